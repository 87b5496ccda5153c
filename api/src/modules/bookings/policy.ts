import type { BookingPolicySnapshot, DbOrTx } from '@qihub/db';
import { policyOf } from './repository.ts';
import { DEFAULT_POLICY } from './rules.ts';

/** The instrument's booking policy as a plain snapshot (the defaults when it has set none). */
export async function policyFor(db: DbOrTx, instrumentId: string): Promise<BookingPolicySnapshot> {
  const stored = await policyOf(db, instrumentId);
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
