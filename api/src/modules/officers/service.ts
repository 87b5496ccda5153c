import { randomUUID } from 'node:crypto';
import type { Db, DbOrTx } from '@qihub/db';
import { membershipIn, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { regionContains } from '../../lib/region.ts';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import { findOrganisationNames } from '../../lib/repository/organisation-names.ts';
import * as repo from './repository.ts';
import { findOrganisationSummary } from '../../lib/repository/organisation-summary.ts';
import type { EnterpriseRow } from './repository.ts';

/**
 * Service officers (服务专员 / 质量管家): a platform admin names one officer of a platform covering
 * the enterprise's region; the enterprise sees who it is, the officer sees the enterprise's
 * assistance requests and orders.
 */
export interface OfficerDeps {
  db: Db;
  clock: () => Date;
}

export async function findEnterprise(tx: DbOrTx, id: string): Promise<EnterpriseRow | null> {
  const row = await findOrganisationSummary(tx, id);
  return row && row.kind === 'enterprise' ? row : null;
}

export function isAdminOver(actor: Actor | null, regionCode: string): boolean {
  return platformScopes(actor, ['admin']).some((scope) => regionContains(scope, regionCode));
}

async function officerView(tx: DbOrTx, enterprise: EnterpriseRow) {
  const row = await repo.findOfficerAssignment(tx, enterprise.id);
  return {
    enterprise: { id: enterprise.id, nameZh: enterprise.nameZh, nameEn: enterprise.nameEn },
    officer: row ? { id: row.userId, name: row.name, phone: row.phone, email: row.email } : null,
    platform: row ? { id: row.platformId, nameZh: row.platformNameZh, nameEn: row.platformNameEn } : null,
    assignedAt: row ? row.assignedAt.toISOString() : null,
  };
}

/** Members of the enterprise, its officer and the platform admins over its region may look. */
export async function getEnterpriseOfficer(deps: OfficerDeps, actor: Actor | null, enterpriseId: string) {
  const a = requireActor(actor);
  const enterprise = await findEnterprise(deps.db, enterpriseId);
  if (!enterprise) throw notFound('enterprise');
  const allowed =
    !!membershipIn(a, enterpriseId) ||
    isAdminOver(a, enterprise.regionCode) ||
    (!!a.userId && (await repo.officerOf(deps.db, enterpriseId)) === a.userId);
  if (!allowed) throw notFound('enterprise');
  return officerView(deps.db, enterprise);
}

/**
 * A platform admin over the enterprise's region names its officer: a user with the role
 * service_officer in an active platform whose region covers the enterprise. Replaces any earlier one.
 */
export async function assignOfficer(
  deps: OfficerDeps,
  actor: Actor | null,
  enterpriseId: string,
  input: { officerUserId: string },
) {
  const a = requireActor(actor);
  const enterprise = await findEnterprise(deps.db, enterpriseId);
  if (!enterprise) throw notFound('enterprise');
  if (!isAdminOver(a, enterprise.regionCode)) {
    if (membershipIn(a, enterpriseId) || platformScopes(a, ['admin', 'service_officer']).length > 0) {
      throw forbidden('Only a platform admin over the enterprise’s region may name its service officer.');
    }
    throw notFound('enterprise');
  }
  const platforms = await repo.findPlatformsOfServiceOfficer(deps.db, input.officerUserId);
  const covering = platforms
    .filter((p) => regionContains(p.regionCode, enterprise.regionCode))
    // The most local platform (station before city before province) is the officer's home.
    .sort((x, y) => y.regionCode.replace(/0+$/, '').length - x.regionCode.replace(/0+$/, '').length);
  const platform = covering[0];
  if (!platform) {
    throw unprocessable(
      'not_an_officer',
      'That user is not a service officer of a platform covering this enterprise’s region.',
      [{ path: '/officerUserId', code: 'not_an_officer', message: 'Not a service officer for this region.' }],
    );
  }
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const before = await repo.officerOf(tx, enterpriseId);
    await repo.upsertEnterpriseOfficer(tx, {
      enterpriseId,
      platformOrgId: platform.orgId,
      officerUserId: input.officerUserId,
      assignedAt: now,
    });
    const view = await officerView(tx, enterprise);
    await recordAudit(tx, a, {
      at: now,
      action: 'enterprise.officer_assigned',
      entityType: 'organisation',
      entityId: enterpriseId,
      orgId: enterpriseId,
      before: { officerUserId: before },
      after: { officerUserId: input.officerUserId, platformOrgId: platform.orgId },
    });
    if (before !== input.officerUserId) {
      const stamp = randomUUID();
      await notifyUsers(
        tx,
        [input.officerUserId],
        {
          kind: 'officer_assigned',
          titleZh: `您已被指派为${enterprise.nameZh}的服务专员`,
          titleEn: `You are now the service officer of ${enterprise.nameEn || enterprise.nameZh}`,
          bodyZh: '您可以在“我服务的企业”中查看该企业的帮扶申请和委托订单。',
          bodyEn: 'Its assistance requests and orders are listed under your enterprises.',
          link: '/officer',
        },
        `officer-assigned:${enterpriseId}:${stamp}`,
        now,
      );
      await notifyUsers(
        tx,
        await membersOf(tx, enterpriseId),
        {
          kind: 'officer_assigned',
          titleZh: `您的服务专员：${view.officer!.name}`,
          titleEn: `Your service officer: ${view.officer!.name}`,
          bodyZh: `联系电话 ${view.officer!.phone ?? '—'}，邮箱 ${view.officer!.email}。`,
          bodyEn: `Phone ${view.officer!.phone ?? '—'}, email ${view.officer!.email}.`,
          link: '/officer',
        },
        `officer-named:${enterpriseId}:${stamp}`,
        now,
      );
    }
    return view;
  });
}

/** A platform admin over the region removes the enterprise's officer (idempotent). */
export async function removeOfficer(deps: OfficerDeps, actor: Actor | null, enterpriseId: string) {
  const a = requireActor(actor);
  const enterprise = await findEnterprise(deps.db, enterpriseId);
  if (!enterprise) throw notFound('enterprise');
  if (!isAdminOver(a, enterprise.regionCode)) {
    if (membershipIn(a, enterpriseId) || platformScopes(a, ['admin', 'service_officer']).length > 0) {
      throw forbidden('Only a platform admin over the enterprise’s region may change its service officer.');
    }
    throw notFound('enterprise');
  }
  return deps.db.transaction(async (tx) => {
    const removed = await repo.deleteEnterpriseOfficer(tx, enterpriseId);
    if (removed.length > 0) {
      await recordAudit(tx, a, {
        at: deps.clock(),
        action: 'enterprise.officer_removed',
        entityType: 'organisation',
        entityId: enterpriseId,
        orgId: enterpriseId,
        before: { officerUserId: removed[0]!.officerUserId },
        after: { officerUserId: null },
      });
    }
    return officerView(tx, enterprise);
  });
}

function assertOfficer(actor: Actor | null): string {
  const a = requireActor(actor);
  if (!a.userId || platformScopes(a, ['service_officer']).length === 0) {
    throw forbidden('Only service officers have enterprises.');
  }
  return a.userId;
}

/** The officer's enterprises, with how many assistance requests and orders are still open. */
export async function myEnterprises(deps: OfficerDeps, actor: Actor | null) {
  const userId = assertOfficer(actor);
  const rows = await repo.findEnterprisesServedBy(deps.db, userId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      regionCode: r.regionCode,
      contactPhone: r.contactPhone,
      assignedAt: r.assignedAt.toISOString(),
      openAssistance: r.openAssistance,
      openOrders: r.openOrders,
    })),
  };
}

/** Assistance requests and orders of the officer's enterprises, newest activity first. */
export async function officerRequests(
  deps: OfficerDeps,
  actor: Actor | null,
  query: { enterpriseId?: string; kind?: 'assistance' | 'order' },
) {
  const userId = assertOfficer(actor);
  let enterpriseIds = await repo.enterprisesOfOfficer(deps.db, userId);
  if (query.enterpriseId) enterpriseIds = enterpriseIds.filter((id) => id === query.enterpriseId);
  if (enterpriseIds.length === 0) return { items: [] };
  const names = new Map(
    (await findOrganisationNames(deps.db, enterpriseIds)).map((o) => [
      o.id,
      { id: o.id, nameZh: o.nameZh, nameEn: o.nameEn },
    ]),
  );
  const items: {
    id: string;
    kind: 'assistance' | 'order';
    number: string | null;
    title: string;
    status: string;
    enterprise: { id: string; nameZh: string; nameEn: string };
    createdAt: string;
    updatedAt: string;
  }[] = [];
  if (query.kind !== 'order') {
    const rows = await repo.findAssistanceRequestsOf(deps.db, enterpriseIds, 200);
    for (const r of rows) {
      items.push({
        id: r.id,
        kind: 'assistance',
        number: null,
        title: r.titleZh,
        status: r.status,
        enterprise: names.get(r.enterpriseId)!,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      });
    }
  }
  if (query.kind !== 'assistance') {
    const rows = await repo.findOrdersOf(deps.db, enterpriseIds, 200);
    for (const r of rows) {
      items.push({
        id: r.id,
        kind: 'order',
        number: r.number,
        title: r.titleZh,
        status: r.status,
        enterprise: names.get(r.customerOrgId)!,
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      });
    }
  }
  items.sort((x, y) => y.updatedAt.localeCompare(x.updatedAt));
  return { items };
}
