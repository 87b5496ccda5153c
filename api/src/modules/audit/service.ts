import type { Db } from '@qihub/db';
import { DateTime } from 'luxon';
import { platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { invalidCursor } from '../../lib/cursor.ts';
import { badRequest, forbidden, notFound } from '../../lib/errors.ts';
import { regionPrefix } from '../../lib/region.ts';
import { PLATFORM_TIME_ZONE } from '../../lib/time.ts';
import { auditCsv } from './csv.ts';
import * as repo from './repository.ts';

/** The most rows one CSV export carries; narrow the filters for more. */
export const CSV_MAX_ROWS = 50_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AuditQuery {
  actor?: string;
  orgId?: string;
  entityType?: string;
  entityId?: string;
  action?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

/** The admin's platform scopes as region prefixes, as reconciliation has them; 403 for anyone else. */
function adminPrefixes(actor: Actor | null): string[] {
  const scopes = platformScopes(requireActor(actor));
  if (scopes.length === 0) throw forbidden('Only platform administrators read the audit log.');
  return scopes.map(regionPrefix);
}

function filterOf(actor: Actor | null, q: AuditQuery): repo.AuditFilter {
  const prefixes = adminPrefixes(actor);
  if (q.from && q.to && q.from > q.to) throw badRequest('invalid_range', '`from` must not be after `to`.');
  const day = (d: string) => DateTime.fromISO(d, { zone: PLATFORM_TIME_ZONE });
  return {
    prefixes,
    ...(q.actor ? (UUID.test(q.actor) ? { actorUserId: q.actor } : { actor: q.actor }) : {}),
    orgId: q.orgId,
    entityType: q.entityType,
    entityId: q.entityId,
    action: q.action,
    start: q.from ? day(q.from).toJSDate() : undefined,
    end: q.to ? day(q.to).plus({ days: 1 }).toJSDate() : undefined,
  };
}

const encode = (id: number) => Buffer.from(JSON.stringify(['audit', id])).toString('base64url');
function decode(cursor: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed[0] === 'audit' && Number.isSafeInteger(parsed[1]) && parsed[1] > 0) {
      return parsed[1] as number;
    }
  } catch {
    // the error below
  }
  throw invalidCursor();
}

export function entryView(r: repo.AuditRow) {
  return {
    id: String(r.id),
    at: r.at.toISOString(),
    actor: { kind: r.actorKind, userId: r.actorUserId, email: r.actorEmail, name: r.actorName, org: r.actorOrg },
    action: r.action,
    entityType: r.entityType,
    entityId: r.entityId,
    org: r.org,
    before: r.before,
    after: r.after,
    requestId: r.requestId,
  };
}

/** The audit log of the admin's region, newest first, a page at a time. */
export async function listAuditLog(deps: { db: Db }, actor: Actor | null, q: AuditQuery) {
  const filter = filterOf(actor, q);
  if (q.cursor) filter.beforeId = decode(q.cursor);
  const limit = q.limit ?? 20;
  const rows = await repo.listAudit(deps.db, filter, limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map(entryView),
    nextCursor: rows.length > limit ? encode(page[page.length - 1]!.id) : null,
  };
}

/** Every entry the filters match (up to CSV_MAX_ROWS), as a CSV file Excel opens in Chinese. */
export async function exportAuditCsv(deps: { db: Db }, actor: Actor | null, q: AuditQuery): Promise<string> {
  const rows = await repo.listAudit(deps.db, filterOf(actor, q), CSV_MAX_ROWS);
  return auditCsv(rows);
}

/** One entry; 404 when it is not in the admin's region (as if it did not exist). */
export async function auditEntry(deps: { db: Db }, actor: Actor | null, id: string) {
  const prefixes = adminPrefixes(actor);
  const row = await repo.auditEntry(deps.db, Number(id), prefixes);
  if (!row) throw notFound('audit entry');
  return entryView(row);
}
