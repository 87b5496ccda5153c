import { randomBytes } from 'node:crypto';
import type { DbOrTx } from '@qihub/db';
import { conflict } from '../../lib/errors.ts';
import { isUniqueViolation } from '../../lib/pg-errors.ts';
import {
  findReportPrefix,
  insertSettingsWithPrefix,
  prefixesFreeFor,
  type LabOrderSettingsValues,
} from './repository/settings.ts';

/**
 * Report-number prefixes ("SZQI" in "SZQI-2026-000123") name one lab across the platform: a
 * prefix is held by the lab whose settings row carries it (a unique index makes that the proof),
 * and one another lab has issued numbers under stays that lab's too, so a number never reads as
 * another lab's. A lab that never chose a prefix is given a default when it first needs one
 * (saving settings, issuing its first report): the first free one of `defaultPrefixCandidates`,
 * stored under the same index, so two labs can never end up with the same default.
 */

export const REPORT_PREFIX_INDEX = 'lab_order_settings_report_prefix_uq';

/**
 * "QI" and the first 4, 6, 8 and 10 hex digits of the lab id (upper case; the column allows
 * ^[A-Z0-9]{2,12}$). The four-digit one comes first: it is the default labs have always had.
 */
export function defaultPrefixCandidates(labId: string): string[] {
  const hex = labId.replace(/-/g, '').toUpperCase();
  return [4, 6, 8, 10].map((n) => `QI${hex.slice(0, n)}`);
}

const taken = (prefix: string) =>
  conflict('report_prefix_taken', `The report prefix ${prefix} belongs to another lab.`, [
    { path: '/reportPrefix', code: 'report_prefix_taken', message: 'Another lab uses this prefix' },
  ]);

/** Refuses (409 report_prefix_taken) a prefix another lab holds or has issued numbers under. */
export async function assertReportPrefixFree(db: DbOrTx, labId: string, prefix: string): Promise<void> {
  if ((await prefixesFreeFor(db, labId, [prefix])).length === 0) throw taken(prefix);
}

/** A prefix lost to another lab between the check and the write: the unique index had the last word. */
export function reportPrefixRace(error: unknown, prefix: string): unknown {
  return isUniqueViolation(error, REPORT_PREFIX_INDEX) ? taken(prefix) : error;
}

/** The default a lab without settings would be given now (shown on its settings page; reads only). */
export async function defaultReportPrefix(db: DbOrTx, labId: string): Promise<string> {
  const candidates = defaultPrefixCandidates(labId);
  return (await prefixesFreeFor(db, labId, candidates))[0] ?? candidates[0]!;
}

/**
 * The lab's prefix, giving it a default first if it has none: a settings row with the first free
 * candidate (then random ones), inserted with ON CONFLICT DO NOTHING so that a candidate another
 * lab took a moment ago, or a row a concurrent request just made for this lab, is simply not used.
 */
export async function claimReportPrefix(
  tx: DbOrTx,
  labId: string,
  defaults: Omit<LabOrderSettingsValues, 'reportPrefix'>,
  now: Date,
): Promise<string> {
  const held = () => findReportPrefix(tx, labId);
  const current = await held();
  if (current) return current;
  const random = () => `QI${randomBytes(5).toString('hex').toUpperCase()}`;
  const candidates = [...defaultPrefixCandidates(labId), ...Array.from({ length: 20 }, random)];
  for (const candidate of await prefixesFreeFor(tx, labId, candidates)) {
    const prefix = await insertSettingsWithPrefix(tx, { ...defaults, labId, reportPrefix: candidate, updatedAt: now });
    if (prefix) return prefix;
    const mine = await held();
    if (mine) return mine;
  }
  throw new Error(`no free report prefix for lab ${labId}`);
}
