import type { VoucherApplication } from '@qihub/db';
import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { badRequest, conflict, forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { money } from '../../lib/money.ts';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import { isUniqueViolation } from '../../lib/pg-errors.ts';
import { regionContains } from '../../lib/region.ts';
import { localDate } from '../../lib/time.ts';
import { adminPlatforms, assertRuns, enterprisesOf, requireAdmin } from './access.ts';
import type { VoucherDeps } from './programmes.ts';
import * as apps from './repository/applications.ts';
import * as progs from './repository/programmes.ts';
import { afterCursor, applicationView, namesOf, page } from './view.ts';

const yuan = (fen: number) => (fen / 100).toFixed(2);

/** An enterprise applies for a quota of a programme open today, in its region, up to the cap. */
export async function applyForVoucher(
  deps: VoucherDeps,
  actor: Actor | null,
  body: { programmeId: string; amount: { amount: number }; purpose: string; enterpriseOrgId?: string },
) {
  const a = requireActor(actor);
  const mine = enterprisesOf(a);
  const enterpriseId = body.enterpriseOrgId ?? (mine.length === 1 ? mine[0] : undefined);
  if (mine.length === 0) throw forbidden('Only enterprises apply for innovation vouchers.');
  if (!enterpriseId) {
    throw badRequest('validation_failed', 'Name the enterprise that applies.', [
      { path: '/enterpriseOrgId', code: 'required', message: 'Choose one of your enterprises.' },
    ]);
  }
  if (!mine.includes(enterpriseId)) throw notFound('enterprise');
  const now = deps.clock();
  const today = localDate(now);
  return deps.db.transaction(async (tx) => {
    const p = await progs.findProgramme(tx, body.programmeId);
    if (!p) throw notFound('voucher programme');
    if (p.status !== 'active' || today < p.validFrom || today > p.validTo) {
      throw unprocessable('voucher_programme_closed', 'The programme is not open for applications today.');
    }
    const enterprise = (await progs.findOrg(tx, enterpriseId))!;
    if (!regionContains(p.regionCode, enterprise.regionCode)) {
      throw unprocessable('voucher_region_mismatch', 'The programme is for enterprises of another region.');
    }
    if (body.amount.amount > p.capFen) {
      throw unprocessable(
        'voucher_over_cap',
        `The programme grants at most ¥${yuan(p.capFen)} per enterprise a year.`,
        [{ path: '/amount/amount', code: 'voucher_over_cap', message: `At most ${p.capFen} fen.` }],
      );
    }
    let row: VoucherApplication;
    try {
      row = await tx.transaction(async (sp) =>
        apps.insertApplication(sp, {
          programmeId: p.id,
          enterpriseOrgId: enterpriseId,
          year: Number(today.slice(0, 4)),
          requestedFen: body.amount.amount,
          purpose: body.purpose,
          appliedBy: a.userId,
          createdAt: now,
          updatedAt: now,
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw conflict('voucher_application_exists', 'The enterprise already has an application this year.');
      }
      throw error;
    }
    await recordAudit(tx, a, {
      at: now,
      action: 'voucher_application.submitted',
      entityType: 'voucher_application',
      entityId: row.id,
      orgId: enterpriseId,
      after: row,
    });
    return applicationView(row, p, await namesOf(tx, [enterpriseId]));
  });
}

/** An enterprise's own applications; an admin's, those of their programmes. */
export async function listApplications(
  deps: VoucherDeps,
  actor: Actor | null,
  q: { limit?: number; cursor?: string; status?: VoucherApplication['status'] },
) {
  const a = requireActor(actor);
  const limit = q.limit ?? 20;
  const rows = await apps.listApplications(deps.db, {
    enterprises: enterprisesOf(a),
    issuers: adminPlatforms(a),
    status: q.status,
    after: afterCursor(q.cursor, 'voucher_applications'),
    limit: limit + 1,
  });
  const names = await namesOf(
    deps.db,
    rows.map((r) => r.application.enterpriseOrgId),
  );
  return page(
    rows,
    limit,
    'voucher_applications',
    (r) => ({ at: r.application.createdAt, id: r.application.id }),
    (r) => applicationView(r.application, r.programme, names),
  );
}

/** The admin of the programme's platform grants a quota (at most the cap) or rejects with a reason. */
export async function decideApplication(
  deps: VoucherDeps,
  actor: Actor | null,
  id: string,
  decision: { approve: true; quota: number } | { approve: false; reason: string },
) {
  const { actor: a, platforms } = requireAdmin(actor);
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const before = await apps.findApplication(tx, id, true);
    if (!before) throw notFound('voucher application');
    const p = assertRuns(platforms, await progs.findProgramme(tx, before.programmeId));
    if (decision.approve && decision.quota > p.capFen) {
      throw unprocessable(
        'voucher_over_cap',
        `The programme grants at most ¥${yuan(p.capFen)} per enterprise a year.`,
        [{ path: '/quota/amount', code: 'voucher_over_cap', message: `At most ${p.capFen} fen.` }],
      );
    }
    const after = await apps.decideApplication(
      tx,
      id,
      decision.approve
        ? {
            status: 'approved',
            quotaFen: decision.quota,
            remainingFen: decision.quota,
            decidedBy: a.userId,
            decidedAt: now,
            updatedAt: now,
          }
        : { status: 'rejected', reason: decision.reason, decidedBy: a.userId, decidedAt: now, updatedAt: now },
    );
    if (!after) throw conflict('illegal_transition', `The application is already ${before.status}.`);
    await recordAudit(tx, a, {
      at: now,
      action: decision.approve ? 'voucher_application.approved' : 'voucher_application.rejected',
      entityType: 'voucher_application',
      entityId: id,
      orgId: p.issuerOrgId,
      before,
      after,
    });
    const users = await membersOf(tx, after.enterpriseOrgId, { activeOnly: true });
    await notifyUsers(
      tx,
      users,
      decision.approve
        ? {
            kind: 'voucher_application_approved',
            titleZh: `创新券申请已批准：${p.nameZh}，额度 ¥${yuan(decision.quota)}`,
            titleEn: `Innovation voucher approved: ${p.nameEn || p.nameZh}, quota ¥${yuan(decision.quota)}`,
            link: '/vouchers',
          }
        : {
            kind: 'voucher_application_rejected',
            titleZh: `创新券申请未获批准：${p.nameZh}`,
            titleEn: `Innovation voucher application rejected: ${p.nameEn || p.nameZh}`,
            bodyZh: decision.reason,
            bodyEn: decision.reason,
            link: '/vouchers',
          },
      `voucher_application:${id}:decided`,
      now,
    );
    return applicationView(after, p, await namesOf(tx, [after.enterpriseOrgId]));
  });
}

/** The caller's enterprises' approved quotas and what is left of each. */
export async function myVouchers(deps: VoucherDeps, actor: Actor | null) {
  const a = requireActor(actor);
  const rows = await apps.approvedOf(deps.db, enterprisesOf(a));
  const names = await namesOf(
    deps.db,
    rows.map((r) => r.application.enterpriseOrgId),
  );
  return {
    items: rows.map(({ application: x, programme: p }) => ({
      applicationId: x.id,
      programme: {
        id: p.id,
        nameZh: p.nameZh,
        nameEn: p.nameEn,
        shareBp: p.shareBp,
        eligibleKinds: p.eligibleKinds,
        validFrom: p.validFrom,
        validTo: p.validTo,
      },
      enterprise: {
        id: x.enterpriseOrgId,
        nameZh: names.get(x.enterpriseOrgId)?.nameZh ?? '',
        nameEn: names.get(x.enterpriseOrgId)?.nameEn ?? '',
      },
      year: x.year,
      quota: money(x.quotaFen),
      remaining: money(x.remainingFen),
    })),
  };
}
