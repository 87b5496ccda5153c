import { ENTERPRISES, OPERATORS, PLATFORMS, USERS } from './data/accounts.ts';
import { LABS } from './data/labs.ts';
import { ORDER_SEQUENCE_FLOOR, ORDERS } from './data/orders.ts';
import { DEMO_EVENTS } from './data/quality-services.ts';
import { INSTRUMENT_CATEGORIES, REGIONS } from './data/reference.ts';
import type { LabKey, LabSeed } from './data/types.ts';
import { DEMO_INSTRUMENTS, DEMO_SERVICES } from './constants.ts';

/** Fails fast on inconsistent seed data (the database would reject most of it less readably). */
export function validateSeedData(): void {
  const problems: string[] = [];
  const regionCodes = new Set(REGIONS.map((r) => r.code));
  const categoryCodes = new Set(INSTRUMENT_CATEGORIES.map((c) => c.code));
  const labs = new Map<LabKey, LabSeed>(LABS.map((l) => [l.key, l]));
  const unique = (what: string, keys: string[]) => {
    const seen = new Set<string>();
    for (const k of keys) {
      if (seen.has(k)) problems.push(`duplicate ${what} ${k}`);
      seen.add(k);
    }
  };
  unique(
    'lab',
    LABS.map((l) => l.key),
  );
  unique(
    'instrument',
    DEMO_INSTRUMENTS.map((i) => i.key),
  );
  unique(
    'service',
    DEMO_SERVICES.map((s) => s.key),
  );
  unique(
    'user',
    [...USERS, ...OPERATORS].map((u) => u.email),
  );
  unique(
    'region',
    REGIONS.map((r) => r.code),
  );
  for (const r of REGIONS)
    if (r.parentCode && !regionCodes.has(r.parentCode)) problems.push(`region ${r.code}: unknown parent`);
  for (const org of [...LABS, ...PLATFORMS, ...ENTERPRISES]) {
    if (!regionCodes.has(org.regionCode)) problems.push(`${org.key}: unknown region ${org.regionCode}`);
  }
  for (const lab of LABS) {
    for (const s of lab.sites)
      if (!regionCodes.has(s.regionCode)) problems.push(`site ${lab.key}/${s.key}: unknown region`);
    for (const q of lab.qualifications) {
      if (q.siteKey && !lab.sites.some((s) => s.key === q.siteKey))
        problems.push(`${lab.key} ${q.number}: unknown site`);
      if (!(q.validUntil > q.issuedOn)) problems.push(`${lab.key} ${q.number}: dates`);
      const format = q.kind === 'cma' ? /^[0-9]{12}$/ : /^CNAS [LIPR][0-9]{4,5}$/;
      if (!format.test(q.number)) problems.push(`${lab.key} ${q.number}: not a ${q.kind} number`);
    }
  }
  const instrumentLab = new Map<string, LabKey>();
  for (const i of DEMO_INSTRUMENTS) {
    instrumentLab.set(i.key, i.lab);
    const lab = labs.get(i.lab);
    if (!lab) problems.push(`instrument ${i.key}: unknown lab`);
    else if (i.site && !lab.sites.some((s) => s.key === i.site))
      problems.push(`instrument ${i.key}: unknown site ${i.site}`);
    if (!categoryCodes.has(i.category)) problems.push(`instrument ${i.key}: unknown category ${i.category}`);
  }
  for (const s of DEMO_SERVICES) {
    if (!labs.has(s.lab)) problems.push(`service ${s.key}: unknown lab`);
    if ((s.priceModel === 'on_quote') !== (s.price === null))
      problems.push(`service ${s.key}: price must be null iff on_quote`);
    for (const k of s.instruments ?? []) {
      if (instrumentLab.get(k) !== s.lab) problems.push(`service ${s.key}: instrument ${k} is not of lab ${s.lab}`);
    }
  }
  const orgKeys = new Set([
    ...LABS.map((l) => `lab:${l.key}`),
    ...PLATFORMS.map((p) => p.key),
    ...ENTERPRISES.map((e) => e.key),
  ]);
  for (const u of USERS) {
    if (!orgKeys.has(u.orgKey)) problems.push(`user ${u.email}: unknown org ${u.orgKey}`);
  }
  for (const u of [...USERS, ...OPERATORS]) {
    if (u.email !== u.email.toLowerCase()) problems.push(`user ${u.email}: e-mail must be lower-case`);
  }
  // Issue 4 demo data: orders name real services of their lab, known users, unique numbers below the floor.
  const emails = new Set(USERS.map((u) => u.email));
  const services = new Map(DEMO_SERVICES.map((s) => [s.key, s]));
  unique(
    'order number',
    ORDERS.map((o) => o.number),
  );
  for (const o of ORDERS) {
    for (const l of o.lines) {
      if (services.get(l.service)?.lab !== o.lab)
        problems.push(`order ${o.number}: service ${l.service} not of ${o.lab}`);
    }
    const people = [o.requestedBy, o.quote?.by, o.accepted?.by, o.receivedBy, o.report?.reviewer, o.report?.signatory];
    for (const e of [...people, ...(o.messages ?? []).map((m) => m.email), o.rating?.reply?.email]) {
      if (e && !emails.has(e)) problems.push(`order ${o.number}: unknown user ${e}`);
    }
    const match = /^QI(\d{4})(\d{6})$/.exec(o.number);
    if (!match) problems.push(`order ${o.number}: bad number`);
    else if (Number(match[1]) === ORDER_SEQUENCE_FLOOR.year && Number(match[2]) > ORDER_SEQUENCE_FLOOR.lastValue)
      problems.push(`order ${o.number}: above the sequence floor`);
    if (o.rating && o.status !== 'closed') problems.push(`order ${o.number}: rated but not closed`);
  }
  for (const e of DEMO_EVENTS) {
    if (e.service && !services.has(e.service)) problems.push(`event ${e.key}: unknown service`);
  }
  if (problems.length > 0) throw new Error(`invalid seed data:\n  ${problems.join('\n  ')}`);
}
