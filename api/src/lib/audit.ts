import type { DbOrTx } from '@qihub/db';
import type { Actor } from './actor.ts';
import { actingOrg } from './actor.ts';
import { insertAuditEntry, insertOutboxRow } from './repository/audit.ts';

export interface AuditInput {
  action: string;
  entityType: string;
  entityId: string;
  orgId: string | null;
  before?: unknown;
  after?: unknown;
  requestId?: string;
  /** The app clock's time of the change: every stamp comes from the app clock (tests move it), never the database's now(). */
  at: Date;
}

/** Writes who did what, when, with before/after — in the caller's transaction. */
export async function recordAudit(tx: DbOrTx, actor: Actor | null, input: AuditInput): Promise<void> {
  await insertAuditEntry(tx, {
    actorUserId: actor?.userId ?? null,
    actorOrgId: actor ? actingOrg(actor, input.orgId ?? undefined) : null,
    actorKind: actor ? actor.kind : 'system',
    action: input.action,
    entityType: input.entityType,
    entityId: input.entityId,
    orgId: input.orgId,
    before: input.before === undefined ? null : (JSON.parse(JSON.stringify(input.before)) as unknown),
    after: input.after === undefined ? null : (JSON.parse(JSON.stringify(input.after)) as unknown),
    requestId: input.requestId ?? null,
    at: input.at,
  });
}

/** Queues a side effect to run after commit; `dedupeKey` becomes the job id (idempotent relay). */
export async function enqueueAfterCommit(
  tx: DbOrTx,
  topic: string,
  payload: Record<string, unknown>,
  dedupeKey: string,
): Promise<void> {
  await insertOutboxRow(tx, { topic, payload, dedupeKey });
}
