import { mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../lib/errors.ts';
/** A received upload (as the conversation's receiveUpload gives it): checked, in the temp folder. */
interface ReceivedUpload {
  tempPath: string;
  contentType: string;
  sizeBytes: number;
}

/**
 * The scan of a CMA / CNAS certificate, wherever a lab hands one in (its admission application, its
 * qualifications in the console): PDF, JPEG or PNG — checked by name, declared type and content as
 * the conversation's uploads are — of at most 10 MiB, stored under FILES_DIR at `<folder…>/<file id>`.
 */
export const CERTIFICATE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
/** A certificate scan is a few pages: 10 MiB is plenty (and less than the general upload limit). */
export const CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024;

export interface StoredScan {
  id: string;
  /** Relative to FILES_DIR, with forward slashes. */
  storagePath: string;
  /** Where it now lies on disk: the caller removes it if its own transaction fails. */
  fullPath: string;
}

/**
 * Moves a received upload into place once it is a certificate scan and `authorise` (the caller's
 * access check) passes; any refusal removes the temp file, so nothing is left behind.
 */
export async function storeCertificateScan<T>(
  filesDir: string,
  folder: string[],
  upload: ReceivedUpload,
  authorise: () => Promise<T>,
): Promise<StoredScan & { authorised: T }> {
  try {
    if (!CERTIFICATE_TYPES.includes(upload.contentType)) {
      throw new AppError(415, 'unsupported_file_type', 'A scan is a PDF, JPEG or PNG file.');
    }
    if (upload.sizeBytes > CERTIFICATE_MAX_BYTES) {
      throw new AppError(413, 'file_too_large', 'A scan is at most 10 MiB.');
    }
    const authorised = await authorise();
    const id = randomUUID();
    const storagePath = path.posix.join(...folder, id);
    const fullPath = path.join(filesDir, storagePath);
    await mkdir(path.dirname(fullPath), { recursive: true });
    await rename(upload.tempPath, fullPath);
    return { id, storagePath, fullPath, authorised };
  } catch (error) {
    await unlink(upload.tempPath).catch(() => {});
    throw error;
  }
}

/** The stored file's place on disk, or null for a path that would leave FILES_DIR. */
export function scanOnDisk(filesDir: string, storagePath: string): string | null {
  const root = path.resolve(filesDir);
  const full = path.resolve(root, storagePath);
  return full.startsWith(root + path.sep) ? full : null;
}

/** Removes a stored scan (after its row no longer names it, or when the row's transaction failed). */
export async function removeScan(fullPath: string | null) {
  if (fullPath) await unlink(fullPath).catch(() => {});
}
