import type { LabStatement } from '@qihub/db';
import { isPlatformAdminFor, membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { badRequest, conflict, forbidden, notFound } from '../../lib/errors.ts';
import { buildStatement, provisionalStatement, type StatementDeps } from './build.ts';
import { monthHasBegun, monthIsOver } from './figures.ts';
import * as repo from './repository.ts';

export type StatementFormat = 'json' | 'pdf' | 'xlsx';

const MONTH = /^(19|20)[0-9]{2}-(0[1-9]|1[0-2])$/;

/** Who sees a lab's statements: its managers and staff, and the platform admins of its region. */
async function labForReading(deps: StatementDeps, actor: Actor | null, labId: string) {
  const a = requireActor(actor);
  const lab = await repo.labInfo(deps.db, labId);
  if (!lab || lab.kind !== 'lab') throw notFound('lab');
  const m = membershipIn(a, labId);
  if (m && (m.role === 'manager' || m.role === 'staff')) return a;
  if (isPlatformAdminFor(a, lab.regionCode)) return a;
  if (m) throw forbidden('Only the lab’s managers and staff see its statements.');
  throw notFound('lab');
}

function pastMonth(deps: StatementDeps, month: string) {
  if (!monthIsOver(month, deps.clock())) {
    throw conflict('month_not_over', 'A statement is built once its month is over (Asia/Shanghai).');
  }
}

/**
 * The stored statement of a past month, built now if no run has built it yet; for the running
 * month, the statement so far (provisional, not stored). A month yet to come is a 409.
 */
async function storedOrBuilt(deps: StatementDeps, key: { labId: string; customerOrgId: string | null; month: string }) {
  if (!monthIsOver(key.month, deps.clock()) && monthHasBegun(key.month, deps.clock())) {
    return provisionalStatement(deps, key);
  }
  pastMonth(deps, key.month);
  return (await repo.findStatement(deps.db, key)) ?? buildStatement(deps, key);
}

export async function labStatement(deps: StatementDeps, actor: Actor | null, labId: string, month: string) {
  await labForReading(deps, actor, labId);
  return storedOrBuilt(deps, { labId, customerOrgId: null, month });
}

/** A lab manager rebuilds a past month's statement (after a late correction, say); same data, same files. */
export async function rebuildLabStatement(deps: StatementDeps, actor: Actor | null, labId: string, month: string) {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw notFound('lab');
  if (m.role !== 'manager') throw forbidden('Only the lab’s managers build its statements.');
  pastMonth(deps, month);
  return buildStatement(deps, { labId, customerOrgId: null, month });
}

export async function listLabStatements(
  deps: StatementDeps,
  actor: Actor | null,
  labId: string,
  q: { limit?: number; cursor?: string },
) {
  await labForReading(deps, actor, labId);
  if (q.cursor !== undefined && !MONTH.test(q.cursor)) throw badRequest('invalid_cursor', 'The cursor is not valid.');
  const limit = q.limit ?? 20;
  const rows = await repo.listStatements(deps.db, labId, q.cursor, limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map((r) => ({
      month: r.month,
      builtAt: r.builtAt.toISOString(),
      sha256: { json: r.jsonSha256, pdf: r.pdfSha256, xlsx: r.xlsxSha256 },
    })),
    nextCursor: rows.length > limit ? page[page.length - 1]!.month : null,
  };
}

/** A customer's statement of its account with one lab: any member of the customer organisation. */
export async function customerStatement(
  deps: StatementDeps,
  actor: Actor | null,
  orgId: string,
  labId: string,
  month: string,
) {
  const a = requireActor(actor);
  if (!membershipIn(a, orgId)) throw notFound('organisation');
  const lab = await repo.labInfo(deps.db, labId);
  if (!lab || lab.kind !== 'lab' || !(await repo.isCustomerOf(deps.db, labId, orgId))) throw notFound('statement');
  return storedOrBuilt(deps, { labId, customerOrgId: orgId, month });
}

const TYPES: Record<StatementFormat, string> = {
  json: 'application/json; charset=utf-8',
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** `?format=` wins; otherwise the Accept header picks the PDF or the workbook; JSON by default. */
export function pickFormat(format: StatementFormat | undefined, accept: string | undefined): StatementFormat {
  if (format) return format;
  const a = (accept ?? '').toLowerCase();
  if (a.includes(TYPES.pdf)) return 'pdf';
  if (a.includes(TYPES.xlsx)) return 'xlsx';
  return 'json';
}

/** The file to send: its bytes, media type, name and hash. */
export function statementFile(s: LabStatement, format: StatementFormat) {
  const base = `statement-${s.month}`;
  if (format === 'pdf') return { body: s.pdf, type: TYPES.pdf, name: `${base}.pdf`, sha256: s.pdfSha256 };
  if (format === 'xlsx') return { body: s.xlsx, type: TYPES.xlsx, name: `${base}.xlsx`, sha256: s.xlsxSha256 };
  return { body: s.json, type: TYPES.json, name: `${base}.json`, sha256: s.jsonSha256 };
}
