import { unlink } from 'node:fs/promises';
import path from 'node:path';
import type { AdmissionCase, DbOrTx } from '@qihub/db';
import type { AdmissionDeps } from './deps.ts';
import * as repo from './repository.ts';

/** Where the certificate scans live: `admission/<lab>/<file id>` under FILES_DIR. */
export interface FileDeps extends AdmissionDeps {
  filesDir: string;
}

/** The scan's path on disk, or null if the id would lead out of the lab's folder. */
export function scanPath(filesDir: string, labId: string, fileId: string): string | null {
  const root = path.resolve(filesDir);
  const full = path.resolve(root, 'admission', labId, fileId);
  return full.startsWith(root + path.sep) ? full : null;
}

/** The ids of the scans on a case's certificates. */
export function scanIds(c: AdmissionCase | undefined): string[] {
  return c?.application?.certificates.flatMap((x) => (x.file ? [x.file.id] : [])) ?? [];
}

/**
 * Removes from disk the scans no case of the lab refers to any more (one replaced, or its certificate
 * taken off the application). Called only after the transaction that dropped them has committed, so
 * a refused or rolled-back change never loses a file; a scan an earlier case still shows (the history
 * of a lab that applies again) or a qualification of the lab now holds is kept. A file already gone
 * is no error.
 */
export async function removeUnusedScans(deps: { db: DbOrTx; filesDir: string }, labId: string, fileIds: string[]) {
  if (fileIds.length === 0) return;
  const inUse = new Set((await repo.casesOfLab(deps.db, labId)).flatMap(scanIds));
  for (const p of await repo.qualificationFilePaths(deps.db, labId)) inUse.add(p.split('/').pop()!);
  for (const id of new Set(fileIds)) {
    if (inUse.has(id)) continue;
    const full = scanPath(deps.filesDir, labId, id);
    if (full) await unlink(full).catch(() => {});
  }
}
