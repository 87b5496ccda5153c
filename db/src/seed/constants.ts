/** Public constants of the demo seed: accounts, deterministic ids, the seeded catalogue. */
import { ENTERPRISES, OPERATORS, USERS } from './data/accounts.ts';
import { INSTRUMENTS_MATERIALS } from './data/instruments-materials.ts';
import { INSTRUMENTS_SPECIALIST } from './data/instruments-specialist.ts';
import { INSTRUMENTS_SQI } from './data/instruments-sqi.ts';
import { INSTRUMENTS_UNIVERSITY } from './data/instruments-university.ts';
import { LABS } from './data/labs.ts';
import { SERVICES_QI } from './data/services-qi.ts';
import { SERVICES_TESTING } from './data/services.ts';
import type { InstrumentSeed, LabKey, ServiceSeed } from './data/types.ts';
import { instrumentId, orgId, serviceId, userId } from './ids.ts';

/** Password of every demo account. */
export const DEMO_PASSWORD = 'qihub-demo';

/** Demo sign-ins by short name (mirrors tests/support/scenario.ts). */
export const DEMO_USERS = {
  admin: 'admin@demo.qihub.test',
  officer: 'officer@demo.qihub.test',
  lab: 'lab@demo.qihub.test',
  operator: 'operator@demo.qihub.test',
  /** Staff of the demo lab who reviews reports before lab@ signs them. */
  reviewer: 'reviewer@demo.qihub.test',
  lab2: 'lab2@demo.qihub.test',
  sme: 'sme@demo.qihub.test',
  sme2: 'sme2@demo.qihub.test',
  /** The platform-wide operator (系统运维): the job queue dashboard, no organisation. */
  ops: 'ops@demo.qihub.test',
} as const;

/** email → "role: who". */
export const DEMO_ACCOUNTS: Readonly<Record<string, string>> = Object.freeze(
  Object.fromEntries([
    ...USERS.map((u) => [u.email, `${u.role}: ${u.description}`]),
    ...OPERATORS.map((o) => [o.email, `operator (platform-wide): ${o.description}`]),
  ]),
);

/** Ids of the seeded labs by seed key. */
export const DEMO_LAB_IDS: Readonly<Record<LabKey, string>> = Object.freeze(
  Object.fromEntries(LABS.map((l) => [l.key, orgId(`lab:${l.key}`)])) as Record<LabKey, string>,
);
/** The Suzhou provincial testing institute: lab@ (manager) and operator@ belong to it. */
export const DEMO_LAB_ID = orgId('lab:sqi');
/** The Nanjing university analysis centre: lab2@ is its manager. */
export const OTHER_LAB_ID = orgId('lab:njut');
/** Shanghai lab whose only CMA expired in 2025. */
export const EXPIRED_CMA_LAB_ID = orgId('lab:shmat');
/** Guangzhou university platform with no CMA or CNAS. */
export const UNQUALIFIED_LAB_ID = orgId('lab:gzuni');
/** Enterprise A (sme@ is owner) and B (sme2@ is owner). */
export const DEMO_ENTERPRISE_ID = orgId('enterprise:hengrui');
export const OTHER_ENTERPRISE_ID = orgId('enterprise:chengrui');
export const DEMO_ENTERPRISE_IDS: readonly string[] = ENTERPRISES.map((e) => orgId(e.key));
/** Province platform (admin@), Suzhou city platform, Wuzhong service station (officer@). */
export const DEMO_PLATFORM_ID = orgId('platform:js');
export const DEMO_CITY_PLATFORM_ID = orgId('platform:sz');
export const DEMO_STATION_ID = orgId('platform:wz');
/**
 * Ids the seed gives the demo users. A user that already existed under the same e-mail keeps its own
 * id; look users up by e-mail when that matters.
 */
export const DEMO_USER_IDS: Readonly<Record<keyof typeof DEMO_USERS, string>> = Object.freeze(
  Object.fromEntries(Object.entries(DEMO_USERS).map(([k, email]) => [k, userId(email)])) as Record<
    keyof typeof DEMO_USERS,
    string
  >,
);

export const DEMO_INSTRUMENTS: readonly InstrumentSeed[] = [
  ...INSTRUMENTS_SQI,
  ...INSTRUMENTS_MATERIALS,
  ...INSTRUMENTS_UNIVERSITY,
  ...INSTRUMENTS_SPECIALIST,
];
export const DEMO_SERVICES: readonly ServiceSeed[] = [...SERVICES_TESTING, ...SERVICES_QI];
/** Id of a seeded instrument or service by its seed key (e.g. 'sqi-sem', 'sqi-tensile'). */
export const demoInstrumentId = (key: string): string => instrumentId(key);
export const demoServiceId = (key: string): string => serviceId(key);
