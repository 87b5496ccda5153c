import type { BookingPolicySnapshot } from '@qihub/db';

/** The booking policy of an instrument that has set none (its fields: `booking_policies`). */
export const DEFAULT_POLICY: BookingPolicySnapshot = {
  slotMinutes: 30,
  minMinutes: 30,
  maxMinutes: 480,
  leadMinutes: 24 * 60,
  horizonDays: 60,
  setupMinutes: 0,
  cleanupMinutes: 0,
  modes: ['self', 'assisted'],
  requiresApproval: true,
  holdMinutes: 15,
  cancellationCutoffMinutes: 24 * 60,
  cancellationFeeBasisPoints: 5000,
  qualificationRequired: false,
  noShowGraceMinutes: 15,
  lateVoidMinutes: 60,
  quotaMinutesPerWeek: null,
};
