import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, notFound } from '../../lib/errors.ts';
import type { ReceivedUpload } from '../conversation/index.ts';
import { CERTIFICATE_MAX_BYTES, findLab, removeScan, storeCertificateScan } from '../labs/index.ts';
import { labForManager, readsApplicationOf } from './access.ts';
import { getApplication } from './application.ts';
import * as repo from './repository.ts';
import { removeUnusedScans, scanPath, type FileDeps } from './scan-files.ts';

export type { FileDeps } from './scan-files.ts';

/**
 * The scan of a CMA/CNAS certificate on a lab's application (checked and stored as the lab's
 * qualifications keep theirs, see labs/certificate-scan.ts) at `admission/<lab>/<file id>` under
 * FILES_DIR. Whoever may read the application may read it (the lab's managers, the platform staff of
 * its region); anyone else gets 404. On admission the scan stays where it is and becomes the
 * qualification's.
 */
export { CERTIFICATE_MAX_BYTES };

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
  const stored = await storeCertificateScan(deps.filesDir, ['admission', labId], upload, async () => {
    const { a } = await labForManager(deps, actor, labId);
    return a;
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
      await recordAudit(tx, stored.authorised, {
        at: deps.clock(),
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
    await removeScan(stored.fullPath);
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
