import { mkdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { AppError, conflict, notFound } from '../../lib/errors.ts';
import type { ReceivedUpload } from '../conversation/index.ts';
import { findLab } from '../labs/index.ts';
import { labForManager, readsApplicationOf } from './access.ts';
import { getApplication } from './application.ts';
import * as repo from './repository.ts';
import { removeUnusedScans, scanPath, type FileDeps } from './scan-files.ts';

export type { FileDeps } from './scan-files.ts';

/**
 * The scan of a CMA/CNAS certificate on a lab's application: PDF, JPEG or PNG (checked by content
 * as the conversation's uploads are), stored at `admission/<lab>/<file id>` under FILES_DIR. Whoever
 * may read the application may read it (the lab's managers, the platform staff of its region);
 * anyone else gets 404.
 */
export const CERTIFICATE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'];
/** A certificate scan is a few pages: 10 MiB is plenty (and less than the general upload limit). */
export const CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024;

const EDITABLE = ['draft', 'changes_requested'] as const;

/** Who may upload (a manager, while the application may be edited); checked before reading the body. */
export async function assertMayUpload(deps: FileDeps, actor: Actor | null, labId: string, index: number) {
  await labForManager(deps, actor, labId);
  const c = await repo.admissionCaseOf(deps.db, labId);
  if (!c) throw conflict('illegal_transition', 'Save the application with its certificates first.');
  if (!(EDITABLE as readonly string[]).includes(c.status)) {
    throw conflict('illegal_transition', `An application that is ${c.status} cannot be edited.`);
  }
  if (!c.application || index >= c.application.certificates.length) throw notFound('certificate');
}

/** Stores the checked file and puts it on the certificate (replacing an earlier scan of it). */
export async function attachCertificateFile(
  deps: FileDeps,
  actor: Actor | null,
  labId: string,
  index: number,
  upload: ReceivedUpload,
  requestId?: string,
) {
  const stored = await (async () => {
    if (!CERTIFICATE_TYPES.includes(upload.contentType)) {
      throw new AppError(415, 'unsupported_file_type', 'A certificate scan is a PDF, JPEG or PNG file.');
    }
    if (upload.sizeBytes > CERTIFICATE_MAX_BYTES) {
      throw new AppError(413, 'file_too_large', 'A certificate scan is at most 10 MiB.');
    }
    const { a } = await labForManager(deps, actor, labId);
    const id = randomUUID();
    const storagePath = path.posix.join('admission', labId, id);
    const finalPath = path.join(deps.filesDir, storagePath);
    await mkdir(path.dirname(finalPath), { recursive: true });
    await rename(upload.tempPath, finalPath);
    return { a, id, finalPath };
  })().catch(async (error: unknown) => {
    await unlink(upload.tempPath).catch(() => {});
    throw error;
  });
  const file = {
    id: stored.id,
    fileName: upload.fileName,
    contentType: upload.contentType,
    sizeBytes: upload.sizeBytes,
  };
  let replaced: string | null = null;
  try {
    await deps.db.transaction(async (tx) => {
      const c = await repo.admissionCaseOf(tx, labId, true);
      if (!c || !c.application || !(EDITABLE as readonly string[]).includes(c.status)) {
        throw conflict('illegal_transition', 'The application cannot be edited now.');
      }
      if (index >= c.application.certificates.length) throw notFound('certificate');
      replaced = c.application.certificates[index]?.file?.id ?? null;
      const certificates = c.application.certificates.map((x, i) => (i === index ? { ...x, file } : x));
      const updated = await repo.updateCase(tx, c.id, [...EDITABLE], {
        application: { ...c.application, certificates },
        updatedAt: deps.clock(),
      });
      if (!updated) throw conflict('illegal_transition', 'The application cannot be edited now.');
      await recordAudit(tx, stored.a, {
        action: 'admission.certificate_file_attached',
        entityType: 'admission_case',
        entityId: c.id,
        orgId: labId,
        before: { file: c.application.certificates[index]?.file ?? null },
        after: { certificate: index, file: { ...file, sha256: upload.sha256 } },
        requestId,
      });
    });
  } catch (error) {
    await unlink(stored.finalPath).catch(() => {});
    throw error;
  }
  // The scan it replaces goes, now that the change is committed (unless an earlier case shows it).
  if (replaced) await removeUnusedScans(deps, labId, [replaced]);
  return getApplication(deps, actor, labId);
}

/**
 * The stored scan, for whoever may read the application it is on (readsApplicationOf: the lab's
 * managers, the platform admins and service officers of its region); anyone else gets 404.
 */
export async function certificateFile(deps: FileDeps, actor: Actor | null, labId: string, fileId: string) {
  const a = requireActor(actor);
  const lab = await findLab(deps.db, labId);
  if (!lab || !readsApplicationOf(a, lab)) throw notFound('file');
  const cases = await repo.casesOfLab(deps.db, labId);
  const file = cases
    .flatMap((c) => c.application?.certificates ?? [])
    .map((c) => c.file)
    .find((f) => f?.id === fileId);
  if (!file) throw notFound('file');
  const full = scanPath(deps.filesDir, labId, file.id);
  if (!full) throw notFound('file');
  return { file, full };
}
