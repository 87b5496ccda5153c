import type { Db } from '@qihub/db';
import { isPlatformAdminFor, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { badRequest, conflict, notFound } from '../../lib/errors.ts';
import { adminPrefixes } from './overview.ts';
import * as repo from './repository.ts';
import { discrepancyView } from './view.ts';

/** A platform admin of the lab's region resolves a discrepancy with a note (audited). */
export async function resolveDiscrepancy(
  deps: { db: Db; clock: () => Date },
  actor: Actor | null,
  id: string,
  note: string,
) {
  const a = requireActor(actor);
  adminPrefixes(a);
  const text = note.trim();
  if (!text) throw badRequest('discrepancy_note_required', 'Say how it was resolved.');
  return deps.db.transaction(async (tx) => {
    const region = await repo.discrepancyWithRegion(tx, id);
    if (region === null || !isPlatformAdminFor(a, region)) throw notFound('discrepancy');
    const row = await repo.markResolved(tx, id, a.userId, text, deps.clock());
    if (!row) throw conflict('illegal_transition', 'The discrepancy is already resolved.');
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'reconciliation.resolve',
      entityType: 'reconciliation_discrepancy',
      entityId: id,
      orgId: null,
      before: { resolvedAt: null },
      after: {
        resolvedAt: row.resolvedAt,
        note: text,
        kind: row.kind,
        subject: { kind: row.subjectKind, id: row.subjectId },
      },
    });
    return discrepancyView((await repo.discrepancyById(tx, id))!);
  });
}
