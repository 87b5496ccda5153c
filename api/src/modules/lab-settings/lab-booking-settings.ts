import { type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { unprocessable, type FieldError } from '../../lib/errors.ts';
import { DEFAULT_LAB_SETTINGS } from '../training-and-violations/index.ts';
import * as repo from './repository.ts';
import type { BookingSettingsBody } from './schema.ts';
import { assertEditor, assertReader, type ScheduleDeps } from './access.ts';

/** Upper bound of both hold limits (as the table's CHECK). */
const MAX_HOLDS = 1000;

export async function getLabSettings(deps: ScheduleDeps, actor: Actor | null, labId: string) {
  assertReader(actor, labId, 'lab');
  const row = await repo.labSettings(deps.db, labId);
  return row
    ? {
        violationThreshold: row.violationThreshold,
        violationWindowDays: row.violationWindowDays,
        maxHoldsPerInstrument: row.maxHoldsPerInstrument,
        maxHoldsPerLab: row.maxHoldsPerLab,
      }
    : DEFAULT_LAB_SETTINGS;
}

export async function putLabSettings(
  deps: ScheduleDeps,
  actor: Actor | null,
  labId: string,
  body: BookingSettingsBody,
  requestId?: string,
) {
  const a = assertEditor(actor, labId, 'lab');
  const errors: FieldError[] = [];
  if (body.violationThreshold < 0 || body.violationThreshold > 1000) {
    errors.push({ path: '/violationThreshold', code: 'out_of_range', message: 'violationThreshold: 0 to 1000.' });
  }
  if (body.violationWindowDays < 1 || body.violationWindowDays > 3650) {
    errors.push({ path: '/violationWindowDays', code: 'out_of_range', message: 'violationWindowDays: 1 to 3650.' });
  }
  await deps.db.transaction(async (tx) => {
    const before = await repo.labSettings(tx, labId);
    // The hold limits are optional in the body (older clients send only the violation settings):
    // an absent one keeps its current value.
    const holds = {
      maxHoldsPerInstrument:
        body.maxHoldsPerInstrument ?? before?.maxHoldsPerInstrument ?? DEFAULT_LAB_SETTINGS.maxHoldsPerInstrument,
      maxHoldsPerLab: body.maxHoldsPerLab ?? before?.maxHoldsPerLab ?? DEFAULT_LAB_SETTINGS.maxHoldsPerLab,
    };
    if (holds.maxHoldsPerInstrument < 1 || holds.maxHoldsPerInstrument > MAX_HOLDS) {
      errors.push({
        path: '/maxHoldsPerInstrument',
        code: 'out_of_range',
        message: `maxHoldsPerInstrument: 1 to ${MAX_HOLDS}.`,
      });
    } else if (holds.maxHoldsPerLab < holds.maxHoldsPerInstrument || holds.maxHoldsPerLab > MAX_HOLDS) {
      errors.push({
        path: '/maxHoldsPerLab',
        code: holds.maxHoldsPerLab < holds.maxHoldsPerInstrument ? 'below_per_instrument' : 'out_of_range',
        message: `maxHoldsPerLab: from maxHoldsPerInstrument to ${MAX_HOLDS}.`,
      });
    }
    if (errors.length > 0) throw unprocessable('invalid_settings', errors[0]!.message, errors);
    const after = await repo.upsertLabSettings(tx, {
      labId,
      violationThreshold: body.violationThreshold,
      violationWindowDays: body.violationWindowDays,
      ...holds,
      updatedAt: deps.clock(),
    });
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'lab_booking_settings.updated',
      entityType: 'organisation',
      entityId: labId,
      orgId: labId,
      before: before ?? null,
      after,
      requestId,
    });
  });
  return getLabSettings(deps, a, labId);
}
