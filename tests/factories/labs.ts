import type { TestDatabase } from '../support/db.ts';
import { allowManyHolds, aSiteOf, newInstrumentBody, orgOf, USERS } from '../support/scenario.ts';
import { signIn } from './people.ts';
import { api, ok, type World } from './world.ts';

/**
 * Labs and instruments that read like the domain:
 *
 *   const lab = await aLab(t).withDefaultOrderTerms().withInstrument(anInstrument().open('09:00-17:00')).create();
 *
 * A lab is one of the seeded demo labs (a new lab would need registration and admission first);
 * what is added to it goes through the lab manager's own API calls.
 */

export interface Instrument {
  id: string;
  siteId: string;
}

export interface Lab {
  id: string;
  siteId: string;
  /** A session of the lab's manager. */
  managerToken: string;
  /** The instruments `withInstrument` added, in order. */
  instruments: Instrument[];
}

/** `'09:00-17:00'` → the weekly rows of the opening-hours API for the given ISO weekdays. */
function openingRows(spans: string[], weekdays: number[]) {
  return weekdays.flatMap((weekday) =>
    spans.map((span) => {
      const [opensAt, closesAt] = span.split('-') as [string, string];
      return { weekday, opensAt, closesAt };
    }),
  );
}

export class InstrumentBuilder {
  #overrides: Record<string, unknown>;
  #hours: { weekday: number; opensAt: string; closesAt: string }[] | null = null;
  #policy: Record<string, unknown> | null = null;

  constructor(overrides: Record<string, unknown>) {
    this.#overrides = overrides;
  }

  /** Opening hours of its own, Monday to Friday unless other ISO weekdays are given. */
  open(spans: string | string[], weekdays: number[] = [1, 2, 3, 4, 5]): this {
    this.#hours = openingRows(Array.isArray(spans) ? spans : [spans], weekdays);
    return this;
  }

  units(count: number): this {
    this.#overrides = { ...this.#overrides, unitCount: count };
    return this;
  }

  /** Booking-policy fields over the defaults (`{ requiresApproval: false, leadMinutes: 0 }`). */
  policy(fields: Record<string, unknown>): this {
    this.#policy = { ...this.#policy, ...fields };
    return this;
  }

  /** Creates it at a site of the lab, as the lab's manager would. */
  async create(world: World, lab: { id: string; siteId: string; managerToken: string }): Promise<Instrument> {
    const token = lab.managerToken;
    const call = api(world.app);
    const created = ok<{ id: string }>(
      await call(token, 'POST', `/v1/labs/${lab.id}/instruments`, newInstrumentBody(lab.siteId, this.#overrides)),
      201,
    );
    if (this.#hours) {
      ok(await call(token, 'PUT', `/v1/instruments/${created.id}/opening-hours`, { rows: this.#hours }));
    }
    if (this.#policy) {
      const current = ok<Record<string, unknown>>(
        await call(token, 'GET', `/v1/instruments/${created.id}/booking-policy`),
      );
      const { isDefault: _isDefault, ...fields } = current;
      ok(await call(token, 'PUT', `/v1/instruments/${created.id}/booking-policy`, { ...fields, ...this.#policy }));
    }
    return { id: created.id, siteId: lab.siteId };
  }
}

/** A new instrument (a two-unit SEM rented by the hour unless overridden). */
export function anInstrument(overrides: Record<string, unknown> = {}): InstrumentBuilder {
  return new InstrumentBuilder(overrides);
}

export class LabBuilder {
  #world: World;
  #manager: 'lab' | 'lab2';
  #instruments: InstrumentBuilder[] = [];
  #defaultOrderTerms = false;
  #holds: number | null = null;

  constructor(world: World, manager: 'lab' | 'lab2') {
    this.#world = world;
    this.#manager = manager;
  }

  withInstrument(instrument: InstrumentBuilder): this {
    this.#instruments.push(instrument);
    return this;
  }

  /** The order terms as the defaults (auto-quote on, expedite 30/100/150 %, 15 days to object), whatever the seed set. */
  withDefaultOrderTerms(): this {
    this.#defaultOrderTerms = true;
    return this;
  }

  /** Lets one person keep many holds open at once (for tests about other rules than the hold limits). */
  allowingManyHolds(holds = 1000): this {
    this.#holds = holds;
    return this;
  }

  async create(): Promise<Lab> {
    const { db } = this.#world;
    const id = await orgOf(db, USERS[this.#manager]);
    const siteId = await aSiteOf(db, id);
    const { [this.#manager]: managerToken } = await signIn(this.#world.app, [this.#manager]);
    if (this.#defaultOrderTerms) await useDefaultOrderTerms(db, id);
    if (this.#holds !== null) await allowManyHolds(db, id, this.#holds);
    const lab: Lab = { id, siteId, managerToken, instruments: [] };
    for (const instrument of this.#instruments) lab.instruments.push(await instrument.create(this.#world, lab));
    return lab;
  }
}

/** The seeded lab managed by `lab@` (or `lab2@`). */
export function aLab(world: World, manager: 'lab' | 'lab2' = 'lab'): LabBuilder {
  return new LabBuilder(world, manager);
}

/** Drops the lab's own order terms, so the defaults apply. */
export async function useDefaultOrderTerms(db: TestDatabase, labId: string): Promise<void> {
  await db.pool.query('DELETE FROM lab_order_settings WHERE lab_id = $1', [labId]);
}

/**
 * The lab's active instruments rented by the hour — to outside customers, and with `bothRates` to
 * members too — the pool the booking tests draw their instruments from. Ordered by id (stable
 * across seeds) or by name (the first is the one a person would pick).
 */
export async function rentableInstruments(
  db: TestDatabase,
  labId: string,
  { bothRates = true, orderBy = 'id' }: { bothRates?: boolean; orderBy?: 'id' | 'name_zh' } = {},
): Promise<string[]> {
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT id FROM instruments WHERE lab_id = $1 AND status = 'active' AND external_rate_hour IS NOT NULL
       ${bothRates ? 'AND internal_rate_hour IS NOT NULL' : ''} ORDER BY ${orderBy === 'id' ? 'id' : 'name_zh'}`,
    [labId],
  );
  return rows.map((r) => r.id);
}

/** Gives an instrument exactly `units` active units (#1…#n), adding units it lacks. */
export async function setUnitCount(db: TestDatabase, instrumentId: string, units: number): Promise<void> {
  await db.pool.query('UPDATE instruments SET unit_count = $2 WHERE id = $1', [instrumentId, units]);
  await db.pool.query(
    `INSERT INTO instrument_units (instrument_id, label, position)
     SELECT $1, '#' || p, p FROM generate_series(1, $2) p ON CONFLICT DO NOTHING`,
    [instrumentId, units],
  );
  await db.pool.query('UPDATE instrument_units SET active = position <= $2 WHERE instrument_id = $1', [
    instrumentId,
    units,
  ]);
}

/** Sets booking-policy columns of an instrument (snake_case, as stored), the rest as they are or default. */
export async function setBookingPolicy(
  db: TestDatabase,
  instrumentId: string,
  columns: Record<string, unknown>,
): Promise<void> {
  const keys = Object.keys(columns);
  await db.pool.query(
    `INSERT INTO booking_policies (instrument_id, ${keys.join(', ')})
     VALUES ($1, ${keys.map((_, i) => `$${i + 2}`).join(', ')})
     ON CONFLICT (instrument_id) DO UPDATE SET ${keys.map((k) => `${k} = EXCLUDED.${k}`).join(', ')}`,
    [instrumentId, ...Object.values(columns)],
  );
}

/** Back to the default booking policy for these instruments, whatever the seed set. */
export async function useDefaultBookingPolicies(db: TestDatabase, instrumentIds: string[]): Promise<void> {
  await db.pool.query('DELETE FROM booking_policies WHERE instrument_id = ANY($1::uuid[])', [instrumentIds]);
}
