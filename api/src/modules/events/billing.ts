import type { Tx } from '@qihub/db';
import * as billing from '../invoices/index.ts';
import { findSeatsToCome } from './repository.ts';

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

/**
 * Credits a seat given back: what was billed for it, whatever the event's fee is now (the organiser
 * may have changed it since, even to free) — `credit` takes back at most the original line, and
 * nothing when the seat was never billed.
 */
export async function creditSeat(
  tx: Tx,
  event: PaidEvent,
  registrationId: string,
  now: Date,
  reason = SEAT_GIVEN_BACK,
) {
  await billing.credit(tx, {
    source: { kind: 'event_registration', id: registrationId },
    original: 'registration',
    charge: 'registration_cancelled',
    descriptionZh: `取消报名：${event.titleZh}`,
    descriptionEn: `Registration cancelled: ${event.titleEn || event.titleZh}`,
    amount: Number.MAX_SAFE_INTEGER,
    reason,
    at: now,
  });
}

const SEAT_GIVEN_BACK = '开课前取消报名 (cancelled before the session)';

/** The organiser cancelling the event credits every billed seat of the sessions still to come. */
export async function creditCancelledEvent(tx: Tx, event: PaidEvent, now: Date) {
  for (const id of await findSeatsToCome(tx, event.id, now)) {
    await creditSeat(tx, event, id, now, '主办方取消活动 (the organiser cancelled the event)');
  }
}
