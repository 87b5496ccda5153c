import type { DbOrTx, Organisation } from '@qihub/db';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import * as repo from './repository.ts';

export const platformAdminsFor = (tx: DbOrTx, regionCode: string) => repo.platformAdminsCovering(tx, regionCode);

/**
 * Tells the lab's managers what the platform decided, once per step (the dedupe key names the case,
 * the step and its moment, so a step taken again later — changes asked twice — is told again).
 */
export async function notifyLab(
  tx: DbOrTx,
  lab: Pick<Organisation, 'id'>,
  step: { kind: string; caseId: string; at: Date; titleZh: string; titleEn: string; bodyZh?: string; bodyEn?: string },
) {
  const managers = await membersOf(tx, lab.id, { roles: ['manager'] });
  await notifyUsers(
    tx,
    managers,
    {
      kind: step.kind,
      titleZh: step.titleZh,
      titleEn: step.titleEn,
      bodyZh: step.bodyZh,
      bodyEn: step.bodyEn,
      link: '/console/application',
    },
    `admission:${step.caseId}:${step.kind}:${step.at.toISOString()}`,
    step.at,
  );
}
