import type { Db, ServiceKind, VoucherProgramme } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { badRequest, forbidden, unprocessable } from '../../lib/errors.ts';
import { localDate } from '../../lib/time.ts';
import { assertRuns, requireAdmin } from './access.ts';
import * as repo from './repository/programmes.ts';
import { afterCursor, namesOf, page, programmeView } from './view.ts';

export interface VoucherDeps {
  db: Db;
  clock: () => Date;
}

interface ProgrammeFields {
  nameZh: string;
  nameEn?: string;
  shareBp: number;
  cap: { amount: number };
  eligibleKinds: ServiceKind[];
  validFrom: string;
  validTo: string;
}

/** A programme runs from..to inclusive; a new end date cannot already have passed (close it instead). */
function checkValidity(from: string, to: string, today: string | null) {
  if (today !== null && to < today) {
    throw unprocessable('voucher_validity_past', 'The programme would already have ended; close it instead.', [
      { path: '/validTo', code: 'voucher_validity_past', message: `On or after ${today}.` },
    ]);
  }
  if (from > to) {
    throw badRequest('invalid_range', '`validFrom` must not be after `validTo`.', [
      { path: '/validTo', code: 'invalid_range', message: 'The programme must end on or after its first day.' },
    ]);
  }
}

async function viewAll(deps: VoucherDeps, rows: VoucherProgramme[]) {
  const names = await namesOf(
    deps.db,
    rows.map((p) => p.issuerOrgId),
  );
  return rows.map((p) => programmeView(p, names));
}

/** A province or city platform's admin sets up a programme run by (and paid through) that platform. */
export async function createProgramme(
  deps: VoucherDeps,
  actor: Actor | null,
  body: ProgrammeFields & { issuerOrgId?: string },
) {
  const { actor: a, platforms } = requireAdmin(actor);
  checkValidity(body.validFrom, body.validTo, localDate(deps.clock()));
  const issuerId = body.issuerOrgId ?? (platforms.length === 1 ? platforms[0]! : undefined);
  if (!issuerId) {
    throw badRequest('validation_failed', 'Name the platform that runs the programme.', [
      { path: '/issuerOrgId', code: 'required', message: 'You administer more than one platform.' },
    ]);
  }
  if (!platforms.includes(issuerId)) throw forbidden('You do not administer that platform.');
  return deps.db.transaction(async (tx) => {
    const issuer = (await repo.findOrg(tx, issuerId))!;
    if (issuer.platformLevel === 'station') {
      throw unprocessable('voucher_issuer_level', 'Only province and city platforms run voucher programmes.');
    }
    const p = await repo.insertProgramme(tx, {
      issuerOrgId: issuerId,
      regionCode: issuer.regionCode,
      nameZh: body.nameZh,
      nameEn: body.nameEn ?? '',
      shareBp: body.shareBp,
      capFen: body.cap.amount,
      eligibleKinds: body.eligibleKinds,
      validFrom: body.validFrom,
      validTo: body.validTo,
      createdBy: a.userId,
      createdAt: deps.clock(),
      updatedAt: deps.clock(),
    });
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'voucher_programme.created',
      entityType: 'voucher_programme',
      entityId: p.id,
      orgId: issuerId,
      after: p,
    });
    return (await viewAll({ ...deps, db: deps.db }, [p]))[0]!;
  });
}

export async function updateProgramme(
  deps: VoucherDeps,
  actor: Actor | null,
  id: string,
  body: Partial<ProgrammeFields> & { status?: VoucherProgramme['status'] },
) {
  const { actor: a, platforms } = requireAdmin(actor);
  return deps.db.transaction(async (tx) => {
    const before = assertRuns(platforms, await repo.findProgramme(tx, id, true));
    const validFrom = body.validFrom ?? before.validFrom;
    const validTo = body.validTo ?? before.validTo;
    const datesGiven = body.validFrom !== undefined || body.validTo !== undefined;
    checkValidity(validFrom, validTo, datesGiven ? localDate(deps.clock()) : null);
    const after = await repo.updateProgramme(tx, id, {
      ...(body.nameZh !== undefined ? { nameZh: body.nameZh } : {}),
      ...(body.nameEn !== undefined ? { nameEn: body.nameEn } : {}),
      ...(body.shareBp !== undefined ? { shareBp: body.shareBp } : {}),
      ...(body.cap !== undefined ? { capFen: body.cap.amount } : {}),
      ...(body.eligibleKinds !== undefined ? { eligibleKinds: body.eligibleKinds } : {}),
      ...(body.status !== undefined ? { status: body.status } : {}),
      validFrom,
      validTo,
      updatedAt: deps.clock(),
    });
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'voucher_programme.updated',
      entityType: 'voucher_programme',
      entityId: id,
      orgId: before.issuerOrgId,
      before,
      after,
    });
    return (await viewAll(deps, [after]))[0]!;
  });
}

/** The admin's own programmes, newest first. */
export async function listAdminProgrammes(
  deps: VoucherDeps,
  actor: Actor | null,
  q: { limit?: number; cursor?: string },
) {
  const { platforms } = requireAdmin(actor);
  const limit = q.limit ?? 20;
  const rows = await repo.listProgrammes(deps.db, {
    issuers: platforms,
    after: afterCursor(q.cursor, 'voucher_programmes'),
    limit: limit + 1,
  });
  const out = page(
    rows,
    limit,
    'voucher_programmes',
    (p) => ({ at: p.createdAt, id: p.id }),
    (p) => p,
  );
  return { items: await viewAll(deps, out.items), nextCursor: out.nextCursor };
}

/** Programmes open for applications today, for enterprises to choose from (signed-in callers). */
export async function listOpenProgrammes(
  deps: VoucherDeps,
  actor: Actor | null,
  q: { limit?: number; cursor?: string },
) {
  requireActor(actor);
  const limit = q.limit ?? 20;
  const rows = await repo.listProgrammes(deps.db, {
    openOn: localDate(deps.clock()),
    after: afterCursor(q.cursor, 'voucher_programmes'),
    limit: limit + 1,
  });
  const out = page(
    rows,
    limit,
    'voucher_programmes',
    (p) => ({ at: p.createdAt, id: p.id }),
    (p) => p,
  );
  return { items: await viewAll(deps, out.items), nextCursor: out.nextCursor };
}
