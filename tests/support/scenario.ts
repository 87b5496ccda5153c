import type { TestDatabase } from './db.ts';

/** The organisation a demo user belongs to (by email), so tests need no hard-coded ids. */
export async function orgOf(db: TestDatabase, email: string): Promise<string> {
  const { rows } = await db.pool.query<{ org_id: string }>(
    `SELECT m.org_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1 LIMIT 1`,
    [email],
  );
  if (!rows[0]) throw new Error(`no membership for ${email}`);
  return rows[0].org_id;
}

export async function anInstrumentOf(
  db: TestDatabase,
  labId: string,
  status = 'active',
): Promise<{ id: string; site_id: string; name_zh: string }> {
  const { rows } = await db.pool.query<{ id: string; site_id: string; name_zh: string }>(
    `SELECT id, site_id, name_zh FROM instruments WHERE lab_id = $1 AND status = $2 ORDER BY name_zh LIMIT 1`,
    [labId, status],
  );
  if (!rows[0]) throw new Error(`lab ${labId} has no ${status} instrument`);
  return rows[0];
}

export async function aServiceOf(db: TestDatabase, labId: string): Promise<{ id: string }> {
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT id FROM services WHERE lab_id = $1 AND status = 'active' ORDER BY name_zh LIMIT 1`,
    [labId],
  );
  if (!rows[0]) throw new Error(`lab ${labId} has no service`);
  return rows[0];
}

export async function aSiteOf(db: TestDatabase, labId: string): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(`SELECT id FROM sites WHERE lab_id = $1 LIMIT 1`, [labId]);
  return rows[0]!.id;
}

export const USERS = {
  admin: 'admin@demo.qihub.test',
  lab: 'lab@demo.qihub.test',
  operator: 'operator@demo.qihub.test',
  lab2: 'lab2@demo.qihub.test',
  sme: 'sme@demo.qihub.test',
  sme2: 'sme2@demo.qihub.test',
  officer: 'officer@demo.qihub.test',
} as const;

export function newInstrumentBody(siteId: string, overrides: Record<string, unknown> = {}) {
  return {
    siteId,
    nameZh: '场发射扫描电子显微镜（测试）',
    nameEn: 'Field-emission SEM (test)',
    model: 'SU5000',
    manufacturer: 'Hitachi',
    categoryCode: 'sem',
    techniques: ['SE', 'BSE', 'EDS'],
    specs: { '分辨率 Resolution': '1.2 nm @ 30 kV' },
    descriptionZh: '测试用仪器',
    descriptionEn: 'Instrument created by a test',
    unitCount: 2,
    status: 'active',
    photoUrl: null,
    rates: { internalHour: 20000, externalHour: 40000, internalSample: null, externalSample: null },
    ...overrides,
  };
}

/**
 * Lets one person hold many slots at a lab at once (the default hold limits are 2 per instrument
 * and 5 per lab, see the lab's booking settings): for tests about other rules that keep more holds
 * open than that.
 */
export async function allowManyHolds(db: TestDatabase, labId: string, holds = 1000): Promise<void> {
  await db.pool.query(
    `INSERT INTO lab_booking_settings (lab_id, max_holds_per_instrument, max_holds_per_lab) VALUES ($1, $2, $2)
     ON CONFLICT (lab_id) DO UPDATE SET max_holds_per_instrument = $2, max_holds_per_lab = $2`,
    [labId, holds],
  );
}
