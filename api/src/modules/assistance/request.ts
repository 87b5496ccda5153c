import { requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { forbidden, unprocessable } from '../../lib/errors.ts';
import { notifyUsers } from '../../lib/notify.ts';
import { officerOf } from '../officers/index.ts';
import type { AssistanceDeps } from './access.ts';
import { insertAssistanceRequest } from './repository.ts';
import { viewOf } from './views.ts';

export async function createRequest(
  deps: AssistanceDeps,
  actor: Actor | null,
  input: { enterpriseId?: string; titleZh: string; problemZh: string; trigger?: string; productZh?: string },
) {
  const a = requireActor(actor);
  const mine = a.memberships.filter((m) => m.orgKind === 'enterprise' && m.orgStatus !== 'suspended');
  if (!a.userId || mine.length === 0) throw forbidden('Only members of an enterprise may ask for assistance.');
  let enterpriseId = input.enterpriseId;
  if (enterpriseId) {
    if (!mine.some((m) => m.orgId === enterpriseId)) {
      throw unprocessable('not_your_enterprise', 'You are not a member of that enterprise.', [
        { path: '/enterpriseId', code: 'not_your_enterprise', message: 'Not one of your enterprises.' },
      ]);
    }
  } else if (mine.length > 1) {
    throw unprocessable('enterprise_required', 'You belong to several enterprises: say which one asks.', [
      { path: '/enterpriseId', code: 'enterprise_required', message: 'Required.' },
    ]);
  } else {
    enterpriseId = mine[0]!.orgId;
  }
  const now = deps.clock();
  return deps.db.transaction(async (tx) => {
    const officerUserId = await officerOf(tx, enterpriseId);
    const created = await insertAssistanceRequest(tx, {
      enterpriseId,
      requestedBy: a.userId!,
      titleZh: input.titleZh.trim(),
      problemZh: input.problemZh.trim(),
      trigger: input.trigger ?? 'other',
      productZh: input.productZh?.trim() ?? '',
      officerUserId,
      createdAt: now,
      updatedAt: now,
    });
    const view = await viewOf(tx, created);
    await recordAudit(tx, a, {
      at: now,
      action: 'assistance.requested',
      entityType: 'assistance_request',
      entityId: created.id,
      orgId: enterpriseId,
      after: { titleZh: view.titleZh, trigger: view.trigger },
    });
    if (officerUserId) {
      await notifyUsers(
        tx,
        [officerUserId],
        {
          kind: 'assistance_requested',
          titleZh: `${view.enterprise.nameZh}申请质量技术帮扶：${view.titleZh}`,
          titleEn: `${view.enterprise.nameEn || view.enterprise.nameZh} asks for technical assistance`,
          bodyZh: '请尽快联系企业并指派专家。',
          bodyEn: 'Contact the enterprise and assign an expert.',
          link: `/assistance/${created.id}`,
        },
        `assistance:${created.id}:requested`,
        now,
      );
    }
    return view;
  });
}
