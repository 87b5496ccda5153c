import type { BookingPolicySnapshot } from '@qihub/db';
import { canSeeCatalogueEntry, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, notFound, unprocessable, type FieldError } from '../../lib/errors.ts';
import { DEFAULT_POLICY } from '../availability/index.ts';
import * as repo from './repository.ts';
import type { PolicyBody } from './schema.ts';
import { instrumentOfLabMember, type ScheduleDeps } from './access.ts';

function policyView(p: BookingPolicySnapshot, isDefault: boolean) {
  return {
    slotMinutes: p.slotMinutes,
    minMinutes: p.minMinutes,
    maxMinutes: p.maxMinutes,
    leadMinutes: p.leadMinutes,
    horizonDays: p.horizonDays,
    setupMinutes: p.setupMinutes,
    cleanupMinutes: p.cleanupMinutes,
    modes: p.modes,
    requiresApproval: p.requiresApproval,
    holdMinutes: p.holdMinutes,
    cancellationCutoffMinutes: p.cancellationCutoffMinutes,
    cancellationFeeBasisPoints: p.cancellationFeeBasisPoints,
    qualificationRequired: p.qualificationRequired,
    noShowGraceMinutes: p.noShowGraceMinutes,
    lateVoidMinutes: p.lateVoidMinutes,
    quotaMinutesPerWeek: p.quotaMinutesPerWeek,
    isDefault,
  };
}

const WEEK_MINUTES = 7 * 24 * 60;

/** Every rule of a policy, checked before the table's CHECK constraints could be (422, a code per field). */
export function checkPolicy(p: PolicyBody): FieldError[] {
  const errors: FieldError[] = [];
  const range = (field: keyof PolicyBody, min: number, max: number) => {
    const v = p[field] as number;
    if (!Number.isInteger(v) || v < min || v > max) {
      errors.push({ path: `/${field}`, code: 'out_of_range', message: `${field} must be from ${min} to ${max}.` });
      return false;
    }
    return true;
  };
  const slotOk = range('slotMinutes', 5, 1440);
  const minOk = range('minMinutes', 1, WEEK_MINUTES);
  const maxOk = range('maxMinutes', 1, WEEK_MINUTES);
  range('leadMinutes', 0, 365 * 24 * 60);
  range('horizonDays', 1, 730);
  range('setupMinutes', 0, 1440);
  range('cleanupMinutes', 0, 1440);
  range('holdMinutes', 1, 7 * 24 * 60);
  range('cancellationCutoffMinutes', 0, 365 * 24 * 60);
  range('cancellationFeeBasisPoints', 0, 10000);
  const graceOk = range('noShowGraceMinutes', 0, 1440);
  const voidOk = range('lateVoidMinutes', 0, 1440);
  if (minOk && maxOk && p.maxMinutes < p.minMinutes) {
    errors.push({ path: '/maxMinutes', code: 'max_below_min', message: 'maxMinutes is below minMinutes.' });
  }
  if (slotOk && minOk && p.minMinutes % p.slotMinutes !== 0) {
    errors.push({ path: '/minMinutes', code: 'off_grid', message: 'minMinutes must be a multiple of slotMinutes.' });
  }
  if (slotOk && maxOk && p.maxMinutes % p.slotMinutes !== 0) {
    errors.push({ path: '/maxMinutes', code: 'off_grid', message: 'maxMinutes must be a multiple of slotMinutes.' });
  }
  if (graceOk && voidOk && p.lateVoidMinutes < p.noShowGraceMinutes) {
    errors.push({
      path: '/lateVoidMinutes',
      code: 'void_before_grace',
      message: 'lateVoidMinutes must not be shorter than noShowGraceMinutes.',
    });
  }
  if (p.modes.length === 0 || new Set(p.modes).size !== p.modes.length) {
    errors.push({ path: '/modes', code: 'invalid_modes', message: 'Offer self, assisted or both, each once.' });
  }
  if (p.quotaMinutesPerWeek !== null) {
    if (!Number.isInteger(p.quotaMinutesPerWeek) || p.quotaMinutesPerWeek < 1 || p.quotaMinutesPerWeek > WEEK_MINUTES) {
      errors.push({
        path: '/quotaMinutesPerWeek',
        code: 'out_of_range',
        message: `quotaMinutesPerWeek must be null or from 1 to ${WEEK_MINUTES}.`,
      });
    }
  }
  return errors;
}

/**
 * The rules a booking is made under are public wherever the instrument is: customers read them on
 * the booking form (lead time, cancellation fee, qualification needed …). Unlisted instruments (a
 * retired one, or any of a lab awaiting admission) stay visible to the lab's members only.
 */
export async function getPolicy(deps: ScheduleDeps, actor: Actor | null, instrumentId: string) {
  const inst = await repo.instrumentScope(deps.db, instrumentId);
  if (!inst) throw notFound('instrument');
  const labStatus = await repo.labStatus(deps.db, inst.labId);
  if (!canSeeCatalogueEntry(actor, { labId: inst.labId, labStatus: labStatus ?? 'suspended', status: inst.status })) {
    throw notFound('instrument');
  }
  const row = await repo.policyRow(deps.db, instrumentId);
  return row ? policyView({ ...DEFAULT_POLICY, ...row }, false) : policyView(DEFAULT_POLICY, true);
}

/** Upserts the policy. Bookings keep the snapshot taken when they were made: only new ones follow. */
export async function putPolicy(
  deps: ScheduleDeps,
  actor: Actor | null,
  instrumentId: string,
  body: PolicyBody,
  requestId?: string,
) {
  const { a } = await instrumentOfLabMember(deps, actor, instrumentId, true);
  const errors = checkPolicy(body);
  if (errors.length > 0) throw unprocessable('invalid_policy', errors[0]!.message, errors);
  await deps.db.transaction(async (tx) => {
    const inst = await repo.instrumentScope(tx, instrumentId, true);
    if (!inst) throw notFound('instrument');
    if (inst.status === 'retired') throw conflict('instrument_retired', 'A retired instrument cannot be edited.');
    const before = await repo.policyRow(tx, instrumentId);
    const after = await repo.upsertPolicy(tx, {
      instrumentId,
      slotMinutes: body.slotMinutes,
      minMinutes: body.minMinutes,
      maxMinutes: body.maxMinutes,
      leadMinutes: body.leadMinutes,
      horizonDays: body.horizonDays,
      setupMinutes: body.setupMinutes,
      cleanupMinutes: body.cleanupMinutes,
      modes: [...body.modes],
      requiresApproval: body.requiresApproval,
      holdMinutes: body.holdMinutes,
      cancellationCutoffMinutes: body.cancellationCutoffMinutes,
      cancellationFeeBasisPoints: body.cancellationFeeBasisPoints,
      qualificationRequired: body.qualificationRequired,
      noShowGraceMinutes: body.noShowGraceMinutes,
      lateVoidMinutes: body.lateVoidMinutes,
      quotaMinutesPerWeek: body.quotaMinutesPerWeek,
      updatedAt: deps.clock(),
    });
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'booking_policy.updated',
      entityType: 'instrument',
      entityId: instrumentId,
      orgId: inst.labId,
      before: before ?? null,
      after,
      requestId,
    });
  });
  return getPolicy(deps, a, instrumentId);
}
