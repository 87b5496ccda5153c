import { createHash } from 'node:crypto';
import { creditCodeCheckCharacter } from '../credit-code.ts';

/** Fixed namespace of every seeded id; changing it would re-key the whole demo data set. */
const SEED_NAMESPACE = '3f6c2b1e-9d4a-4c7e-8a51-0b7d2e9c4f10';

/**
 * A deterministic UUID (RFC 4122 version 5: SHA-1 of namespace + name), so the seed inserts the same
 * ids on every run and on every machine, and tests can refer to them.
 */
export function stableId(key: string): string {
  const ns = Buffer.from(SEED_NAMESPACE.replace(/-/g, ''), 'hex');
  const digest = createHash('sha1').update(ns).update(key, 'utf8').digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * 统一社会信用代码: 2-character authority + type ("91" company, "12" public institution, "11" government
 * body), the 6-digit GB/T 2260 code of the registering authority, a 9-character body, the check char.
 */
export function creditCode(prefix: string, region: string, body: string): string {
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}$/.test(prefix)) throw new RangeError(`bad prefix ${prefix}`);
  if (!/^[0-9]{6}$/.test(region)) throw new RangeError(`bad region ${region}`);
  if (!/^[0-9A-HJ-NPQRTUWXY]{9}$/.test(body)) throw new RangeError(`bad body ${body}`);
  const first17 = `${prefix}${region}${body}`;
  return `${first17}${creditCodeCheckCharacter(first17)}`;
}

/** Id of a seeded organisation (lab, platform or enterprise) by its seed key. */
export const orgId = (key: string): string => stableId(`org:${key}`);
export const siteId = (labKey: string, siteKey: string): string => stableId(`site:${labKey}:${siteKey}`);
export const instrumentId = (key: string): string => stableId(`instrument:${key}`);
export const serviceId = (key: string): string => stableId(`service:${key}`);
export const userId = (email: string): string => stableId(`user:${email.toLowerCase()}`);
