import { membershipIn, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import { regionContains } from '../../lib/region.ts';
import { localDate } from '../../lib/time.ts';
import type { ReceivedUpload } from '../conversation/index.ts';
import {
  findLab,
  lockQualification,
  managerOf,
  qualificationOf,
  qualificationView as view,
  removeScan,
  scanOnDisk,
  scopeLinesOf,
  storeCertificateScan,
  updateQualification,
  type LabDeps,
} from '../labs/index.ts';

const repo = { qualificationOf, lockQualification, updateQualification, scopeLinesOf };

/**
 * The scan of a certificate the lab keeps in its console (the one it handed in on admission, until
 * it uploads another): its managers upload and replace it; its members and the platform staff of
 * its region (admins and service officers) download it; anyone else gets 404.
 */
export interface QualificationFileDeps extends LabDeps {
  filesDir: string;
}

const withdrawn = () => conflict('qualification_withdrawn', 'A withdrawn certificate is kept as it was.');

/** Who may upload, and onto what: checked before the upload is read. */
export async function assertMayAttachScan(deps: QualificationFileDeps, actor: Actor | null, labId: string, id: string) {
  managerOf(actor, labId);
  const q = await repo.qualificationOf(deps.db, labId, id);
  if (!q) throw notFound('qualification');
  if (q.withdrawnOn !== null) throw withdrawn();
}

/** Puts the checked scan on the certificate; an earlier scan kept by the console is removed after. */
export async function attachQualificationScan(
  deps: QualificationFileDeps,
  actor: Actor | null,
  labId: string,
  id: string,
  upload: ReceivedUpload,
  requestId?: string,
) {
  const stored = await storeCertificateScan(deps.filesDir, ['qualifications', labId], upload, async () =>
    managerOf(actor, labId),
  );
  const today = localDate(deps.clock());
  let result;
  try {
    result = await deps.db.transaction(async (tx) => {
      const before = await repo.lockQualification(tx, labId, id);
      if (!before) throw notFound('qualification');
      if (before.withdrawnOn !== null) throw withdrawn();
      const q = await repo.updateQualification(tx, id, {
        filePath: stored.storagePath,
        fileName: upload.fileName,
        fileType: upload.contentType,
        fileSha256: upload.sha256,
        fileSizeBytes: upload.sizeBytes,
        updatedAt: deps.clock(),
      });
      await recordAudit(tx, stored.authorised, {
        at: deps.clock(),
        action: 'lab.qualification_scan_attached',
        entityType: 'lab_qualification',
        entityId: id,
        orgId: labId,
        before: { fileName: before.fileName, fileSha256: before.fileSha256 },
        after: { fileName: q.fileName, fileSha256: q.fileSha256, sizeBytes: upload.sizeBytes },
        requestId,
      });
      // A scan from the admission application stays: the application still names it.
      const replaced = before.filePath?.startsWith(`qualifications/${labId}/`) ? before.filePath : null;
      return { replaced, record: view(q, await repo.scopeLinesOf(tx, [id]), today) };
    });
  } catch (error) {
    await removeScan(stored.fullPath);
    throw error;
  }
  if (result.replaced) await removeScan(scanOnDisk(deps.filesDir, result.replaced));
  return result.record;
}

/** The stored scan for a member of the lab or the platform staff of its region; 404 to anyone else. */
export async function qualificationScan(deps: QualificationFileDeps, actor: Actor | null, labId: string, id: string) {
  const a = requireActor(actor);
  const lab = await findLab(deps.db, labId);
  const m = membershipIn(a, labId);
  const member = !!m && m.orgKind === 'lab';
  const staff = !!lab && platformScopes(a, ['admin', 'service_officer']).some((s) => regionContains(s, lab.regionCode));
  if (!lab || !(member || staff)) throw notFound('file');
  const q = await repo.qualificationOf(deps.db, labId, id);
  const full = q?.filePath ? scanOnDisk(deps.filesDir, q.filePath) : null;
  if (!q || !full || !q.fileName || !q.fileType) throw notFound('file');
  return { fileName: q.fileName, contentType: q.fileType, full };
}
