import type { BookingPolicySnapshot, DbOrTx } from '@qihub/db';
import { policyOf, type PolicyRow } from './repository.ts';
import { DEFAULT_POLICY } from '../availability/index.ts';

/** The instrument's booking policy as a plain snapshot (the defaults when it has set none). */
export async function policyFor(db: DbOrTx, instrumentId: string): Promise<BookingPolicySnapshot> {
  return snapshotOf(await policyOf(db, instrumentId));
}

/** A stored policy row as a plain snapshot (the defaults when there is none). */
export function snapshotOf(stored: PolicyRow | null | undefined): BookingPolicySnapshot {
  if (!stored) return DEFAULT_POLICY;
  return {
    slotMinutes: stored.slotMinutes,
    minMinutes: stored.minMinutes,
    maxMinutes: stored.maxMinutes,
    leadMinutes: stored.leadMinutes,
    horizonDays: stored.horizonDays,
    setupMinutes: stored.setupMinutes,
    cleanupMinutes: stored.cleanupMinutes,
    modes: stored.modes,
    requiresApproval: stored.requiresApproval,
    holdMinutes: stored.holdMinutes,
    cancellationCutoffMinutes: stored.cancellationCutoffMinutes,
    cancellationFeeBasisPoints: stored.cancellationFeeBasisPoints,
    qualificationRequired: stored.qualificationRequired,
    noShowGraceMinutes: stored.noShowGraceMinutes,
    lateVoidMinutes: stored.lateVoidMinutes,
    quotaMinutesPerWeek: stored.quotaMinutesPerWeek,
  };
}
