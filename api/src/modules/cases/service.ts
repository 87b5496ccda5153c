import type { Db } from '@qihub/db';
import { assertAdmitted, isAdmitted, membershipIn, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { conflict, forbidden, notFound } from '../../lib/errors.ts';
import { notifyUsers } from '../../lib/notify.ts';
import { regionContains, regionPrefix } from '../../lib/region.ts';
import * as repo from './repository.ts';
import type { CaseCreateBody, CasePatchBody } from './schema.ts';

/**
 * Typical cases (典型案例): written by a lab's managers and staff or by a platform's service officers
 * (a draft, edited until submitted), reviewed by the administrators of the case's region (edit,
 * publish, or return with a reason), read by anyone once published.
 */
export interface CaseDeps {
  db: Db;
  clock: () => Date;
}

const LAB_WRITERS = ['manager', 'staff'];
const PLATFORM_WRITERS = ['service_officer', 'admin'];

const iso = (d: Date | null) => d?.toISOString() ?? null;

function view(c: repo.CaseWithOrg) {
  return {
    id: c.id,
    status: c.status,
    regionCode: c.regionCode,
    provider: { id: c.orgId, kind: c.orgKind as 'lab' | 'platform', nameZh: c.orgNameZh, nameEn: c.orgNameEn },
    title: c.title,
    enterpriseName: c.enterpriseName,
    industry: c.industry,
    problem: c.problem,
    service: c.service,
    result: c.result,
    costSavedFen: c.costSavedFen,
    timeSavedDays: c.timeSavedDays,
    notes: c.notes,
    returnReason: c.returnReason,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    submittedAt: iso(c.submittedAt),
    publishedAt: iso(c.publishedAt),
  };
}

function publicView(c: repo.CaseWithOrg) {
  return {
    id: c.id,
    regionCode: c.regionCode,
    provider: { nameZh: c.orgNameZh, nameEn: c.orgNameEn },
    title: c.title,
    enterpriseName: c.enterpriseName,
    industry: c.industry,
    problem: c.problem,
    service: c.service,
    result: c.result,
    costSavedFen: c.costSavedFen,
    timeSavedDays: c.timeSavedDays,
    notes: c.notes,
    publishedAt: c.publishedAt!.toISOString(),
  };
}

const trimmed = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v.trim() : v])) as T;

/** May this person write on the case? Its lab's managers and staff; for a platform's case, its author. */
function canWrite(a: Actor, c: repo.CaseRow & { orgKind: string }): boolean {
  if (c.orgKind === 'lab') {
    const m = membershipIn(a, c.orgId);
    return !!m && LAB_WRITERS.includes(m.role) && isAdmitted(m.orgStatus);
  }
  return c.authorUserId === a.userId;
}

/** May this person see the case on the author's side? Any member of its lab; its author. */
function canSeeAsSubmitter(a: Actor, c: repo.CaseRow & { orgKind: string }): boolean {
  return (c.orgKind === 'lab' && !!membershipIn(a, c.orgId)) || c.authorUserId === a.userId;
}

function userOf(actor: Actor | null): { a: Actor; userId: string } {
  const a = requireActor(actor);
  if (!a.userId) throw forbidden('Typical cases are written by people, not API tokens.');
  return { a, userId: a.userId };
}

function adminPrefixes(a: Actor): string[] {
  const scopes = platformScopes(a);
  if (scopes.length === 0) throw forbidden('Only platform administrators review typical cases.');
  return scopes.map(regionPrefix);
}

const isAdminOf = (a: Actor, regionCode: string) => platformScopes(a).some((s) => regionContains(s, regionCode));

/** Where the author finds their case: the lab console, or the officer desk. */
const authorLink = (c: { id: string; orgKind: string }) =>
  c.orgKind === 'lab' ? `/console/cases/${c.id}` : `/officer/cases/${c.id}`;

export async function createCase(deps: CaseDeps, actor: Actor | null, body: CaseCreateBody) {
  const { a, userId } = userOf(actor);
  const m = membershipIn(a, body.orgId);
  const allowed =
    !!m &&
    ((m.orgKind === 'lab' && LAB_WRITERS.includes(m.role)) ||
      (m.orgKind === 'platform' && PLATFORM_WRITERS.includes(m.role)));
  if (!m || !allowed) throw forbidden('Lab managers and staff, and service officers, write typical cases.');
  assertAdmitted(m);
  const { orgId, ...fields } = trimmed(body);
  return deps.db.transaction(async (tx) => {
    const row = await repo.insertCase(tx, {
      ...fields,
      orgId,
      authorUserId: userId,
      regionCode: m.regionCode,
      createdAt: deps.clock(),
    });
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'case.create',
      entityType: 'typical_case',
      entityId: row.id,
      orgId,
      after: { status: row.status, title: row.title },
    });
    return view((await repo.findCase(tx, row.id))!);
  });
}

export async function mySubmittedCases(deps: CaseDeps, actor: Actor | null) {
  const { a, userId } = userOf(actor);
  const labs = a.memberships.filter((m) => m.orgKind === 'lab').map((m) => m.orgId);
  return { items: (await repo.findSubmitterCases(deps.db, userId, labs)).map(view) };
}

export async function mySubmittedCase(deps: CaseDeps, actor: Actor | null, id: string) {
  const { a } = userOf(actor);
  const c = await repo.findCase(deps.db, id);
  if (!c || !canSeeAsSubmitter(a, c)) throw notFound('case');
  return view(c);
}

/** The author edits while the case is a draft or has come back; submitted or published, it is the admin's. */
export async function editMyCase(deps: CaseDeps, actor: Actor | null, id: string, patch: CasePatchBody) {
  const { a } = userOf(actor);
  return deps.db.transaction(async (tx) => {
    const c = await repo.findCase(tx, id);
    if (!c || !canSeeAsSubmitter(a, c)) throw notFound('case');
    if (!canWrite(a, c)) throw forbidden('Only the lab’s managers and staff, or the author, edit this case.');
    const row = await repo.updateCaseIn(tx, id, ['draft', 'returned'], { ...trimmed(patch), updatedAt: deps.clock() });
    if (!row) throw conflict('illegal_transition', 'A submitted or published case is edited by the platform.');
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'case.edit',
      entityType: 'typical_case',
      entityId: id,
      orgId: c.orgId,
      before: Object.fromEntries(Object.keys(patch).map((k) => [k, c[k as keyof typeof c]])),
      after: patch,
    });
    return view((await repo.findCase(tx, id))!);
  });
}

/** draft or returned → submitted; the region's administrators are told. */
export async function submitCase(deps: CaseDeps, actor: Actor | null, id: string) {
  const { a } = userOf(actor);
  return deps.db.transaction(async (tx) => {
    const c = await repo.findCase(tx, id);
    if (!c || !canSeeAsSubmitter(a, c)) throw notFound('case');
    if (!canWrite(a, c)) throw forbidden('Only the lab’s managers and staff, or the author, submit this case.');
    const at = deps.clock();
    const row = await repo.updateCaseIn(tx, id, ['draft', 'returned'], {
      status: 'submitted',
      submittedAt: at,
      updatedAt: at,
    });
    if (!row)
      throw conflict('illegal_transition', `The case is ${c.status}; only a draft or a returned case is submitted.`);
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'case.submit',
      entityType: 'typical_case',
      entityId: id,
      orgId: c.orgId,
      before: { status: c.status },
      after: { status: row.status },
    });
    await notifyUsers(
      tx,
      await repo.platformAdminsCovering(tx, c.regionCode),
      {
        kind: 'case_submitted',
        titleZh: '新的典型案例待审核',
        titleEn: 'A typical case awaits review',
        bodyZh: `${c.orgNameZh}：${row.title}`,
        bodyEn: `${c.orgNameEn || c.orgNameZh}: ${row.title}`,
        link: `/admin/cases/${id}`,
      },
      `case:${id}:submitted:${at.getTime()}`,
      deps.clock(),
    );
    return view((await repo.findCase(tx, id))!);
  });
}

export async function regionCases(deps: CaseDeps, actor: Actor | null, query: { status?: repo.CaseStatus }) {
  const a = requireActor(actor);
  const prefixes = adminPrefixes(a);
  // Drafts stay on their author's desk.
  if (query.status === 'draft') return { items: [] };
  return { items: (await repo.findRegionCases(deps.db, prefixes, query.status)).map(view) };
}

async function regionCase(db: Parameters<typeof repo.findCase>[0], a: Actor, id: string) {
  adminPrefixes(a);
  const c = await repo.findCase(db, id);
  // Another region's case, or a draft, is not there for this administrator.
  if (!c || c.status === 'draft' || !isAdminOf(a, c.regionCode)) throw notFound('case');
  return c;
}

export async function regionCaseById(deps: CaseDeps, actor: Actor | null, id: string) {
  return view(await regionCase(deps.db, requireActor(actor), id));
}

/** The administrator corrects a submitted or published case before or after publishing it. */
export async function adminEditCase(deps: CaseDeps, actor: Actor | null, id: string, patch: CasePatchBody) {
  const a = requireActor(actor);
  return deps.db.transaction(async (tx) => {
    const c = await regionCase(tx, a, id);
    const row = await repo.updateCaseIn(tx, id, ['submitted', 'published'], {
      ...trimmed(patch),
      updatedAt: deps.clock(),
    });
    if (!row) throw conflict('illegal_transition', 'A returned case is with its author.');
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'case.edit',
      entityType: 'typical_case',
      entityId: id,
      orgId: c.orgId,
      before: Object.fromEntries(Object.keys(patch).map((k) => [k, c[k as keyof typeof c]])),
      after: patch,
    });
    return view((await repo.findCase(tx, id))!);
  });
}

/** submitted → published: on the public page from now on; the author is told. */
export async function publishCase(deps: CaseDeps, actor: Actor | null, id: string) {
  const a = requireActor(actor);
  return deps.db.transaction(async (tx) => {
    const c = await regionCase(tx, a, id);
    const at = deps.clock();
    const row = await repo.updateCaseIn(tx, id, ['submitted'], {
      status: 'published',
      publishedAt: at,
      publishedBy: a.userId,
      returnReason: null,
      updatedAt: at,
    });
    if (!row) throw conflict('illegal_transition', `The case is ${c.status}; only a submitted case is published.`);
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'case.publish',
      entityType: 'typical_case',
      entityId: id,
      orgId: c.orgId,
      before: { status: c.status },
      after: { status: row.status, publishedAt: at },
    });
    await notifyUsers(
      tx,
      [c.authorUserId],
      {
        kind: 'case_published',
        titleZh: '您的典型案例已发布',
        titleEn: 'Your typical case is published',
        bodyZh: row.title,
        bodyEn: row.title,
        link: `/cases/${id}`,
      },
      `case:${id}:published:${at.getTime()}`,
      deps.clock(),
    );
    return view((await repo.findCase(tx, id))!);
  });
}

/**
 * submitted (or published: taken down) → returned with a reason; the author edits and submits again.
 */
export async function returnCase(deps: CaseDeps, actor: Actor | null, id: string, reason: string) {
  const a = requireActor(actor);
  return deps.db.transaction(async (tx) => {
    const c = await regionCase(tx, a, id);
    const at = deps.clock();
    const row = await repo.updateCaseIn(tx, id, ['submitted', 'published'], {
      status: 'returned',
      returnReason: reason.trim(),
      publishedAt: null,
      publishedBy: null,
      updatedAt: at,
    });
    if (!row) throw conflict('illegal_transition', `The case is ${c.status}; it is already with its author.`);
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'case.return',
      entityType: 'typical_case',
      entityId: id,
      orgId: c.orgId,
      before: { status: c.status },
      after: { status: row.status, reason: row.returnReason },
    });
    await notifyUsers(
      tx,
      [c.authorUserId],
      {
        kind: 'case_returned',
        titleZh: '典型案例被退回修改',
        titleEn: 'Your typical case was returned',
        bodyZh: `${row.title}：${row.returnReason}`,
        bodyEn: `${row.title}: ${row.returnReason}`,
        link: authorLink(c),
      },
      `case:${id}:returned:${at.getTime()}`,
      deps.clock(),
    );
    return view((await repo.findCase(tx, id))!);
  });
}

export async function publishedCases(deps: CaseDeps, query: { region?: string; limit?: number; cursor?: string }) {
  const limit = query.limit ?? 20;
  const after = query.cursor ? decodeCursor(query.cursor, 'cases', 'timestamptz') : undefined;
  const rows = await repo.findPublishedCases(deps.db, {
    regionPrefix: query.region ? regionPrefix(query.region) : undefined,
    after: after ? { publishedAt: new Date(String(after.key)), id: after.id } : undefined,
    limit: limit + 1,
  });
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return {
    items: items.map(publicView),
    nextCursor: rows.length > limit && last ? encodeCursor('cases', last.publishedAt!.toISOString(), last.id) : null,
  };
}

export async function publishedCase(deps: CaseDeps, id: string) {
  const c = await repo.findCase(deps.db, id);
  if (!c || c.status !== 'published') throw notFound('case');
  return publicView(c);
}
