import type { Tx } from '@qihub/db';
import * as billing from '../invoices/index.ts';

interface PaidEvent {
  id: string;
  organiserOrgId: string;
  titleZh: string;
  titleEn: string;
  feeFen: number;
}

/**
 * A paid seat is billed by the organiser — a lab, or a platform for its own events (its own revenue)
 * — to the registrant's organisation when the seat is taken; giving it back in time credits it.
 * A registrant without an organisation is not billed through the platform.
 */
export async function chargeSeat(tx: Tx, event: PaidEvent, registrationId: string, orgId: string | null, now: Date) {
  if (event.feeFen <= 0 || orgId === null) return;
  await billing.charge(tx, {
    labId: event.organiserOrgId,
    customerOrgId: orgId,
    source: { kind: 'event_registration', id: registrationId },
    charge: 'registration',
    descriptionZh: `活动报名费：${event.titleZh}`,
    descriptionEn: `Registration fee: ${event.titleEn || event.titleZh}`,
    amount: event.feeFen,
    at: now,
  });
}

export async function creditSeat(tx: Tx, event: PaidEvent, registrationId: string, now: Date) {
  if (event.feeFen <= 0) return;
  await billing.credit(tx, {
    source: { kind: 'event_registration', id: registrationId },
    original: 'registration',
    charge: 'registration_cancelled',
    descriptionZh: `取消报名：${event.titleZh}`,
    descriptionEn: `Registration cancelled: ${event.titleEn || event.titleZh}`,
    amount: event.feeFen,
    reason: '开课前取消报名 (cancelled before the session)',
    at: now,
  });
}
