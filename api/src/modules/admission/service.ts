import type { Db } from '@qihub/db';
import { isPlatformAdminFor, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { enqueueAfterCommit, recordAudit } from '../../lib/audit.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { conflict, forbidden, notFound } from '../../lib/errors.ts';
import { regionPrefix } from '../../lib/region.ts';
import { findLab } from '../labs/index.ts';
import * as repo from './repository.ts';

export interface AdmissionDeps {
  db: Db;
  clock: () => Date;
}

/** Platform staff see the labs of their own region and below (province → city → station). */
export async function listLabsForPlatform(
  deps: AdmissionDeps,
  actor: Actor | null,
  query: { status?: 'pending' | 'active' | 'suspended'; limit?: number; cursor?: string },
) {
  const a = requireActor(actor);
  const scopes = platformScopes(a, ['admin', 'service_officer']);
  if (scopes.length === 0) throw forbidden('Only platform staff can review providers.');
  const limit = query.limit ?? 50;
  const after = query.cursor ? decodeCursor(query.cursor, 'newest', 'timestamptz') : undefined;
  const rows = await repo.labsInRegions(
    deps.db,
    [...new Set(scopes.map(regionPrefix))],
    query.status,
    limit,
    after ? { key: String(after.key), id: after.id } : undefined,
  );
  const items = rows.slice(0, limit).map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor('newest', last.createdAt, last.id) : null };
}

/**
 * Admits a lab that applied: only a platform admin whose region covers the lab. A lab outside the
 * admin's region is answered as not found, so its existence is not revealed.
 */
export async function admitLab(deps: AdmissionDeps, actor: Actor | null, labId: string, requestId?: string) {
  const a = requireActor(actor);
  if (platformScopes(a, ['admin']).length === 0) throw forbidden('Only a platform administrator can admit providers.');
  const lab = await findLab(deps.db, labId);
  if (!lab || !isPlatformAdminFor(a, lab.regionCode)) throw notFound('lab');
  await deps.db.transaction(async (tx) => {
    const now = deps.clock();
    const updated = await repo.admitLab(tx, labId, now);
    if (!updated) throw conflict('illegal_transition', `A lab that is ${lab.status} cannot be admitted.`);
    await recordAudit(tx, a, {
      action: 'lab.admitted',
      entityType: 'organisation',
      entityId: labId,
      orgId: labId,
      before: { status: lab.status },
      after: { status: 'active' },
      requestId,
    });
    await enqueueAfterCommit(tx, 'notify.lab-admitted', { labId }, `lab-admitted:${labId}`);
  });
  return { id: labId, status: 'active' as const };
}
