import type { Db, Order } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import type { ReceivedUpload } from '../conversation/index.ts';
import { removeScan, scanOnDisk, storeCertificateScan } from '../labs/index.ts';
import { assertSide, LAB_ORDER_MANAGERS, loadOrderFor, recordOrderEvent, type OrderAccess } from '../orders/index.ts';
import { commissionDocument, missingCommission, type CommissionDocument } from './document.ts';
import * as repo from './repository.ts';

/**
 * The commission form of an order as a document: the printable PDF, and the scan of the copy the
 * customer signed and stamped, which the lab's managers and staff attach (and replace). Both are for
 * the order's two parties — the customer's members and the lab's; the enterprise's service officer
 * and the platform admins who may read the order get 403; anyone else 404, as for the order itself.
 * The scan is checked as the certificate scans are (labs/certificate-scan.ts): PDF, JPEG or PNG by
 * name, declared type and content, at most 10 MiB, stored at `commission-forms/<order>/<file id>`.
 */
export interface CommissionDeps {
  db: Db;
  clock: () => Date;
  filesDir: string;
}

async function partyAccess(deps: CommissionDeps, actor: Actor | null, orderId: string): Promise<OrderAccess> {
  const access = await loadOrderFor(deps.db, actor, orderId);
  if (access.side !== 'customer' && access.side !== 'lab') {
    throw forbidden('The commission form is for the customer and the lab.');
  }
  return access;
}

const mayAttach = (access: OrderAccess) =>
  access.side === 'lab' && !!access.role && LAB_ORDER_MANAGERS.includes(access.role);

function assertMayAttachTo(access: OrderAccess): Order {
  assertSide(access, 'lab', LAB_ORDER_MANAGERS);
  if (!access.order.commission) throw missingCommission();
  return access.order;
}

/** Where the order's commission form stands: printable or not yet, and the signed scan if any. */
export async function commissionFormState(deps: CommissionDeps, actor: Actor | null, orderId: string) {
  const access = await partyAccess(deps, actor, orderId);
  return stateOf(deps, access);
}

async function stateOf(deps: CommissionDeps, access: OrderAccess) {
  const row = await repo.commissionScanOf(deps.db, access.order.id);
  const printable = !!access.order.commission && !!access.order.acceptedAt;
  return {
    orderId: access.order.id,
    orderNumber: access.order.number,
    printable,
    mayAttachScan: printable && mayAttach(access),
    scan: row
      ? {
          fileName: row.scan.fileName,
          contentType: row.scan.fileType,
          sizeBytes: row.scan.fileSizeBytes,
          sha256: row.scan.fileSha256,
          uploadedAt: row.scan.uploadedAt.toISOString(),
          uploadedBy: row.scan.uploadedBy ? { id: row.scan.uploadedBy, name: row.uploaderName ?? '' } : null,
        }
      : null,
  };
}

/** The data of the printable form, for the order's two parties. */
export async function commissionFormDocument(
  deps: CommissionDeps,
  actor: Actor | null,
  orderId: string,
): Promise<CommissionDocument> {
  const access = await partyAccess(deps, actor, orderId);
  return commissionDocument(deps.db, access.order);
}

/** Who may attach the scan (the lab's managers and staff, once the form exists): asked before the upload is read. */
export async function assertMayAttachScan(deps: CommissionDeps, actor: Actor | null, orderId: string) {
  assertMayAttachTo(await loadOrderFor(deps.db, actor, orderId));
}

/** Stores the checked scan on the order, replacing an earlier one (removed once this is committed). */
export async function attachCommissionScan(
  deps: CommissionDeps,
  actor: Actor | null,
  orderId: string,
  upload: ReceivedUpload,
) {
  const a = requireActor(actor);
  const stored = await storeCertificateScan(deps.filesDir, ['commission-forms', orderId], upload, () =>
    assertMayAttachScan(deps, a, orderId),
  );
  let replaced: string | null = null;
  try {
    await deps.db.transaction(async (tx) => {
      const order = assertMayAttachTo(await loadOrderFor(tx, a, orderId, { forUpdate: true }));
      const now = deps.clock();
      const before = await repo.putCommissionScan(tx, {
        orderId,
        filePath: stored.storagePath,
        fileName: upload.fileName,
        fileType: upload.contentType,
        fileSha256: upload.sha256,
        fileSizeBytes: upload.sizeBytes,
        uploadedBy: a.userId,
        uploadedAt: now,
      });
      replaced = before?.filePath ?? null;
      await recordOrderEvent(
        tx,
        order,
        {
          actor: a,
          side: 'lab',
          action: before ? 'commission.scan_replaced' : 'commission.scan_attached',
          data: {
            fileName: upload.fileName,
            contentType: upload.contentType,
            sizeBytes: upload.sizeBytes,
            sha256: upload.sha256,
            ...(before ? { replacedSha256: before.fileSha256 } : {}),
          },
        },
        now,
      );
    });
  } catch (error) {
    await removeScan(stored.fullPath);
    throw error;
  }
  if (replaced) await removeScan(scanOnDisk(deps.filesDir, replaced));
  return stateOf(deps, await loadOrderFor(deps.db, a, orderId));
}

/** The stored scan, for the order's two parties; 404 when none is attached. */
export async function commissionScanFile(deps: CommissionDeps, actor: Actor | null, orderId: string) {
  const access = await partyAccess(deps, actor, orderId);
  const row = await repo.commissionScanOf(deps.db, access.order.id);
  const full = row ? scanOnDisk(deps.filesDir, row.scan.filePath) : null;
  if (!row || !full) throw notFound('file');
  return { full, contentType: row.scan.fileType, fileName: row.scan.fileName };
}
