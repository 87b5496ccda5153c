import { randomBytes } from 'node:crypto';
import type { Tx } from '@qihub/db';
import { nextSequence } from '../orders/index.ts';
import { reportNumberTaken } from './repository.ts';

export function newVerificationCode(): string {
  // 18 random bytes → 24 URL-safe characters.
  return randomBytes(18).toString('base64url');
}

export function formatReportNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(6, '0')}`;
}

/**
 * The next report number of the lab for the year, from its sequence row (taken under the row lock,
 * so never handed out twice). A number that already exists — imported or seeded history under the
 * same prefix — is skipped rather than reused.
 */
export async function takeReportNumber(tx: Tx, labId: string, prefix: string, year: number): Promise<string> {
  for (;;) {
    const number = formatReportNumber(prefix, year, await nextSequence(tx, 'report_sequences', { labId, year }));
    if (!(await reportNumberTaken(tx, number))) return number;
  }
}
