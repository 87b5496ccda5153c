import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, expectProblem, login, testClock } from '../support/app.ts';
import { allTables, createTestDatabase, databaseDigest, type TestDatabase } from '../support/db.ts';
import { aServiceOf, aSiteOf, newInstrumentBody, orgOf, USERS } from '../support/scenario.ts';
import { DEMO_CASE_IDS } from '@qihub/db/seed';
import { COMMISSION } from '../factories/index.ts';

/**
 * Well-typed but wrong values — a reversed or empty range, an instant in year 1, 1970 or 9999, a
 * local time in a daylight-saving gap, counts and amounts at 0, −1 and 2^31, ids of the right shape
 * that name nothing — are refused as 4xx problems before anything reaches the database, in every
 * operation of the OpenAPI document, and change nothing.
 *
 * "Before anything reaches the database" is tested against a database that plans every prepared
 * statement afresh with its actual values (plan_cache_mode = force_custom_plan), as PostgreSQL does
 * for the first executions on a freshly started API. A warm server may have switched a statement to
 * a generic plan, which evaluates an expression such as tstzrange($start, $end) only when a row needs
 * it — and so hides a range built from a reversed slot that a cold one answers with a 500. Forcing
 * custom plans makes every request meet the database as the first one does, without starting a new
 * app and database per case; the first test below does start both, for the case that was found.
 */

type Actor = keyof typeof USERS;
type Json = Record<string, unknown>;

const NOW = new Date('2026-11-26T02:00:00Z'); // Thursday 10:00 in Shanghai
/** A slot the booking rules allow on the seeded instruments (Tuesday 10:00–11:00 in Shanghai). */
const SLOT = { start: '2026-12-01T02:00:00Z', end: '2026-12-01T03:00:00Z' };
const UNKNOWN_ID = 'c0ffee00-0b5e-4d1e-9f00-00000000dead';

describe('a freshly started API', () => {
  let db: TestDatabase;
  afterAll(async () => {
    await db?.drop();
  });

  it('answers a booking whose end is not after its start with 422 duration, and writes nothing', async () => {
    // A new database and a new app: the booking's prepared statements have never run.
    db = await createTestDatabase();
    const app = await buildTestApp(db, { clock: testClock(NOW) });
    try {
      const token = await login(app, USERS.sme);
      const instrumentId = await rentedInstrumentOf(db, await orgOf(db, USERS.lab));
      const tables = await allTables(db);
      const before = await databaseDigest(db, tables);
      for (const [start, end] of [
        [SLOT.end, SLOT.start],
        [SLOT.start, SLOT.start],
      ]) {
        const res = await app.inject({
          method: 'POST',
          url: '/v1/bookings',
          headers: bearer(token),
          payload: { instrumentId, start, end, mode: 'self' },
        });
        expectProblem(res, 422, 'duration');
      }
      expect(await databaseDigest(db, tables)).toEqual(before);
    } finally {
      await app.close();
    }
  });
});

async function rentedInstrumentOf(db: TestDatabase, labId: string): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT id FROM instruments WHERE lab_id = $1 AND status = 'active' AND external_rate_hour IS NOT NULL
     ORDER BY name_zh LIMIT 1`,
    [labId],
  );
  return rows[0]!.id;
}

// ---------------------------------------------------------------------------------------------
// The OpenAPI document and the wrong values its schemas let through

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
}
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema: Schema }> };
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const documentFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src/lib/api/openapi.json');
// The committed document (openapi.test.ts proves it is the one the API serves): the operations
// must be known when the tests are collected, one test per operation.
const doc = JSON.parse(readFileSync(documentFile, 'utf8')) as Document;

const deref = (s: Schema): Schema => (s.$ref ? deref(doc.components.schemas[s.$ref.split('/').pop()!]!) : s);

type Kind = 'uuid' | 'uuids' | 'instant' | 'date' | 'local' | 'integer' | 'object' | 'objects';

const LOCAL_PATTERN = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}$';

function kindOf(raw: Schema): Kind | null {
  const s = deref(raw);
  if (s.anyOf) {
    const other = s.anyOf.map(deref).filter((x) => x.type !== 'null');
    return other.length === 1 ? kindOf(other[0]!) : null;
  }
  if (s.type === 'string') {
    if (s.format === 'uuid') return 'uuid';
    if (s.format === 'date-time') return 'instant';
    if (s.format === 'date') return 'date';
    if (s.pattern === LOCAL_PATTERN) return 'local';
    return null;
  }
  if (s.type === 'integer' || s.type === 'number') return 'integer';
  if (s.type === 'object' && s.properties) return 'object';
  if (s.type === 'array' && s.items) {
    const item = deref(s.items);
    if (item.type === 'string' && item.format === 'uuid') return 'uuids';
    if (item.type === 'object') return 'objects';
  }
  return null;
}

const numberSchema = (raw: Schema): Schema => {
  const s = deref(raw);
  return s.anyOf ? deref(s.anyOf.map(deref).find((x) => x.type !== 'null')!) : s;
};

/** A value the schema itself declares acceptable (both bounds given, value inside): the contract allows it. */
function declared(raw: Schema, value: number): boolean {
  const s = numberSchema(raw);
  return s.minimum !== undefined && s.maximum !== undefined && value >= s.minimum && value <= s.maximum;
}

const INSTANTS: Record<string, string> = {
  'year 1': '0001-01-01T00:00:00Z',
  '1970': '1970-01-01T00:00:00Z',
  '9999': '9999-12-31T23:00:00Z',
};
const DATES: Record<string, string> = { 'year 1': '0001-01-01', '1970': '1970-01-01', '9999': '9999-12-31' };
/** Europe/Berlin springs forward at 02:00 on 2027-03-28: 02:30 does not exist that night. */
const LOCALS: Record<string, string> = {
  'DST gap': '2027-03-28T02:30',
  '1970': '1970-01-05T10:00',
  '9999': '9999-12-27T10:00',
};
const COUNTS: Record<string, number> = { '0': 0, '−1': -1, '2^31': 2 ** 31 };
/** Fields that make a range together: reversed or empty, both far away, they are wrong as a pair. */
const PAIRS = [
  ['start', 'end'],
  ['startsAt', 'endsAt'],
  ['from', 'to'],
  ['calibratedOn', 'nextDueOn'],
  ['qualifiedAt', 'expiresAt'],
  ['minPrice', 'maxPrice'],
] as const;
const SYNTHETIC_PAIR: Partial<Record<Kind, [unknown, unknown]>> = {
  instant: ['2026-12-01T02:00:00Z', '2026-12-08T02:00:00Z'],
  date: ['2026-12-01', '2026-12-08'],
  integer: [1000, 5000],
};
const FAR_PAIR: Partial<Record<Kind, Record<string, [unknown, unknown]>>> = {
  instant: {
    '1970': ['1970-01-01T00:00:00Z', '1970-01-01T01:00:00Z'],
    '9999': ['9999-12-31T20:00:00Z', '9999-12-31T21:00:00Z'],
  },
  date: { '1970': ['1970-01-01', '1970-01-02'], '9999': ['9999-12-30', '9999-12-31'] },
};

interface Request {
  path: Record<string, string>;
  query: Json;
  body: Json | undefined;
}
interface Variant {
  name: string;
  /** JSON pointers (with their part: /body/…, /query/…, /path/…) a validation error may name. */
  pointers: string[];
  /** The schema allows this value explicitly, so the operation may accept it. */
  declared: boolean;
  /** A reversed or empty range, or an id naming nothing: refused even by a read. */
  alwaysRefused: boolean;
  apply(r: Request): Request;
}

const clone = <T>(v: T): T => structuredClone(v);
function getAt(root: unknown, pointer: string[]): unknown {
  return pointer.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Json)[k] : undefined), root);
}
function setAt(root: Json, pointer: string[], value: unknown): Json {
  const out = clone(root);
  let v: Json = out;
  for (const k of pointer.slice(0, -1)) v = v[k] as Json;
  v[pointer.at(-1)!] = value;
  return out;
}

interface Leaf {
  pointer: string[];
  schema: Schema;
  kind: Kind;
}

/** The leaves of an object schema worth varying; nested objects and array items when the base has them. */
function leavesOf(raw: Schema, base: unknown, pointer: string[] = []): Leaf[] {
  const s = deref(raw);
  const out: Leaf[] = [];
  for (const [name, sub] of Object.entries(s.properties ?? {})) {
    const kind = kindOf(sub);
    const here = [...pointer, name];
    const value = getAt(base, [name]);
    if (kind === 'object') {
      if (value && typeof value === 'object') out.push(...leavesOf(numberSchema(sub), value, here));
    } else if (kind === 'objects') {
      if (Array.isArray(value) && value.length > 0) {
        out.push(...leavesOf(deref(numberSchema(sub).items!), value[0], [...here, '0']));
      }
    } else if (kind) {
      out.push({ pointer: here, schema: sub, kind });
    }
  }
  return out;
}

function variantsOfPart(part: 'body' | 'query', schema: Schema, base: Json): Variant[] {
  const leaves = leavesOf(schema, base);
  const out: Variant[] = [];
  const at = (p: string[]) => `/${part}/${p.join('/')}`;
  const setting =
    (pointer: string[], value: unknown) =>
    (r: Request): Request => ({ ...r, [part]: setAt((r[part] ?? {}) as Json, pointer, value) });
  const one = (leaf: Leaf, label: string, value: unknown, isDeclared = false, alwaysRefused = false) =>
    out.push({
      name: `${at(leaf.pointer)} = ${label}`,
      pointers: [at(leaf.pointer)],
      declared: isDeclared,
      alwaysRefused,
      apply: setting(leaf.pointer, value),
    });
  for (const leaf of leaves) {
    if (leaf.kind === 'uuid') one(leaf, 'an unknown id', UNKNOWN_ID);
    if (leaf.kind === 'uuids') one(leaf, '[an unknown id]', [UNKNOWN_ID]);
    if (leaf.kind === 'instant') for (const [label, v] of Object.entries(INSTANTS)) one(leaf, label, v);
    if (leaf.kind === 'date') for (const [label, v] of Object.entries(DATES)) one(leaf, label, v);
    if (leaf.kind === 'local') for (const [label, v] of Object.entries(LOCALS)) one(leaf, label, v);
    if (leaf.kind === 'integer') {
      for (const [label, v] of Object.entries(COUNTS)) one(leaf, label, v, declared(leaf.schema, v));
    }
  }
  for (const [from, to] of PAIRS) {
    for (const a of leaves) {
      if (a.pointer.at(-1) !== from) continue;
      const b = leaves.find(
        (l) =>
          l.pointer.at(-1) === to &&
          l.pointer.length === a.pointer.length &&
          l.pointer.slice(0, -1).join('/') === a.pointer.slice(0, -1).join('/'),
      );
      if (!b || a.kind !== b.kind) continue;
      let lo = getAt(base, a.pointer);
      let hi = getAt(base, b.pointer);
      if (lo === undefined || hi === undefined || lo === null || hi === null) [lo, hi] = SYNTHETIC_PAIR[a.kind] ?? [];
      if (lo === undefined) continue;
      const pair = (label: string, x: unknown, y: unknown, alwaysRefused: boolean) =>
        out.push({
          name: `${at(a.pointer)}..${b.pointer.at(-1)} ${label}`,
          pointers: [at(a.pointer), at(b.pointer)],
          declared: false,
          alwaysRefused,
          apply: (r) => setting(b.pointer, y)(setting(a.pointer, x)(r)),
        });
      pair('reversed', hi, lo, true);
      // Instants make half-open ranges ([start, end)), so start = end is empty; dates and prices are
      // inclusive bounds, and one day or one price is a fine range.
      if (a.kind === 'instant') pair('empty', lo, lo, true);
      for (const [label, [x, y]] of Object.entries(FAR_PAIR[a.kind] ?? {})) pair(`both in ${label}`, x, y, false);
    }
  }
  return out;
}

function variantsOf(op: Operation, spec: Spec, f: Fixtures): Variant[] {
  const out: Variant[] = [];
  for (const p of op.parameters ?? []) {
    if (p.in === 'path' && kindOf(p.schema) === 'uuid') {
      out.push({
        name: `/path/${p.name} = an unknown id`,
        pointers: [`/path/${p.name}`],
        declared: false,
        alwaysRefused: true,
        apply: (r) => ({ ...r, path: { ...r.path, [p.name]: UNKNOWN_ID } }),
      });
    }
  }
  const query = (op.parameters ?? []).filter((p) => p.in === 'query');
  if (query.length > 0) {
    const schema: Schema = { type: 'object', properties: Object.fromEntries(query.map((p) => [p.name, p.schema])) };
    out.push(...variantsOfPart('query', schema, spec.query?.(f) ?? {}));
  }
  const body = op.requestBody?.content?.['application/json']?.schema;
  if (body) out.push(...variantsOfPart('body', body, spec.body?.(f) ?? {}));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Who calls each operation, on what, with which otherwise valid request

interface Fixtures {
  labId: string;
  smeOrg: string;
  smeUser: string;
  labUser: string;
  operatorUser: string;
  officerUser: string;
  instrument: string;
  unit: string;
  site: string;
  service: string;
  saltSpray: string;
  chamber: string;
  dstInstrument: string;
  booking: string;
  series: string;
  seriesBooking: string;
  waitlist: string;
  closure: string;
  token: string;
  policy: Json;
  orderRequested: string;
  requestedLine: string;
  orderQuoted: string;
  quotedAt: string;
  orderAwaiting: string;
  sample: string;
  orderReceived: string;
  receivedSample: string;
  orderInProgress: string;
  draftReport: string;
  draftLine: string;
  orderIssued: string;
  objection: string;
  orderClosed: string;
  event: string;
  session: string;
  pastSession: string;
  assistance: string;
  openInvoice: string;
  bankLine: string;
  voucherProgramme: string;
  voucherApplication: string;
  pendingVoucherApplication: string;
  invoice: string;
  platform: string;
  platformBankLine: string;
  platformOpenInvoice: string;
  qualification: string;
}

interface Spec {
  as: Actor;
  path?: (f: Fixtures) => Record<string, string>;
  query?: (f: Fixtures) => Json;
  body?: (f: Fixtures) => Json;
  /** Variants this operation rightly accepts, by name, each with the reason. */
  accepts?: Record<string, string>;
}

const booking = (f: Fixtures) => ({ instrumentId: f.instrument, ...SLOT, mode: 'self' });
const week = { from: '2026-11-30T00:00:00Z', to: '2026-12-07T00:00:00Z' };
const rates = { internalHour: 20000, externalHour: 30000, internalSample: null, externalSample: null };
const serviceBody = (f: Fixtures) => ({
  kind: 'technical_assistance',
  nameZh: '质量诊断',
  priceModel: 'fixed',
  priceAmount: 180000,
  turnaroundDays: 7,
  instrumentIds: [f.instrument],
});
const typicalCase = {
  title: '测试案例',
  enterpriseName: '苏州某企业',
  industry: '',
  problem: '问题',
  service: '服务',
  result: '结果',
  costSavedFen: 100,
  timeSavedDays: 1,
  notes: '',
};
const hours = { rows: [{ weekday: 1, opensAt: '09:00', closesAt: '17:00' }] };
const session = { startsAt: '2026-12-20T01:00:00Z', endsAt: '2026-12-20T03:00:00Z', seats: 30 };
const voucherProgramme = {
  nameZh: '测试创新券',
  shareBp: 5000,
  cap: { amount: 5_000_000, currency: 'CNY' },
  eligibleKinds: ['commissioned_test'],
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
};

const SPECS: Record<string, Spec> = {
  'GET /v1/instruments': { as: 'sme' },
  'PATCH /v1/instruments/{id}': {
    as: 'lab',
    path: (f) => ({ id: f.instrument }),
    body: () => ({ unitCount: 1, rates }),
  },
  'GET /v1/labs/{labId}/instruments': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'GET /v1/instruments/{id}/checkin-candidates': {
    as: 'sme',
    path: (f) => ({ id: f.instrument }),
    query: () => ({ unit: 1 }),
  },
  'GET /v1/labs/{labId}/checkin-labels': {
    as: 'lab',
    path: (f) => ({ labId: f.labId }),
    query: (f) => ({ instrumentId: f.instrument }),
  },
  'POST /v1/labs/{labId}/instruments': {
    as: 'lab',
    path: (f) => ({ labId: f.labId }),
    body: (f) => newInstrumentBody(f.site, { rates }),
  },
  'POST /v1/instruments/{id}/retire': { as: 'lab' },
  'PUT /v1/instruments/{id}/photo': { as: 'lab', path: (f) => ({ id: f.instrument }) },
  'DELETE /v1/instruments/{id}/photo': { as: 'lab' },
  'GET /v1/instruments/{id}/photos/{file}': {
    as: 'sme',
    path: (f) => ({ id: f.instrument, file: '0123456789abcdef-w320.webp' }),
  },
  'GET /v1/services': { as: 'sme' },
  'GET /v1/labs/{labId}/services': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'PATCH /v1/services/{id}': { as: 'lab', path: (f) => ({ id: f.service }), body: serviceBody },
  'POST /v1/labs/{labId}/services': { as: 'lab', path: (f) => ({ labId: f.labId }), body: serviceBody },
  'POST /v1/services/{id}/retire': { as: 'lab' },
  'POST /v1/orgs/{orgId}/api-tokens': {
    as: 'lab',
    path: (f) => ({ orgId: f.labId }),
    body: () => ({ name: '对接 LIMS', expiresAt: '2027-06-01T00:00:00Z' }),
  },
  'POST /v1/orgs/{orgId}/api-tokens/{tokenId}/revoke': {
    as: 'lab',
    path: (f) => ({ orgId: f.labId, tokenId: f.token }),
  },
  'POST /v1/labs/{id}/members': {
    as: 'lab',
    path: (f) => ({ id: f.labId }),
    body: () => ({ email: 'bad-values@example.cn', role: 'staff' }),
  },
  'PATCH /v1/labs/{id}/members/{userId}': {
    as: 'lab',
    path: (f) => ({ id: f.labId, userId: f.operatorUser }),
    body: () => ({ role: 'staff' }),
  },
  'DELETE /v1/labs/{id}/members/{userId}': { as: 'lab', path: (f) => ({ id: f.labId, userId: f.operatorUser }) },
  'DELETE /v1/labs/{id}/invitations/{invitationId}': { as: 'lab', path: (f) => ({ id: f.labId }) },
  'POST /v1/labs/{id}/qualifications': {
    as: 'lab',
    path: (f) => ({ id: f.labId }),
    body: () => ({
      kind: 'cma',
      number: '261099990001',
      issuedOn: '2026-01-01',
      validUntil: '2029-12-31',
      scope: [{ parameterZh: '维氏硬度', standardCode: 'GB/T 4340.1-2024' }],
    }),
  },
  'PATCH /v1/labs/{id}/qualifications/{qualificationId}': {
    as: 'lab',
    path: (f) => ({ id: f.labId, qualificationId: f.qualification }),
    body: () => ({ issuedOn: '2026-01-01', validUntil: '2029-12-31' }),
  },
  'POST /v1/labs/{id}/qualifications/{qualificationId}/file': {
    as: 'lab',
    path: (f) => ({ id: f.labId, qualificationId: f.qualification }),
  },
  'POST /v1/labs/{id}/qualifications/{qualificationId}/withdraw': { as: 'lab', path: (f) => ({ id: f.labId }) },
  'GET /v1/admin/labs': { as: 'admin' },
  'GET /v1/admin/enterprises': { as: 'admin', query: () => ({ region: '320500' }) },
  'GET /v1/admin/service-officers': { as: 'admin' },
  'GET /v1/admin/statistics': {
    as: 'admin',
    query: () => ({ region: '320000', from: '2026-11-01', to: '2026-11-30' }),
  },
  'POST /v1/admin/labs/{id}/admit': { as: 'admin' },
  'GET /v1/labs/{id}/application': { as: 'lab', path: (f) => ({ id: f.labId }) },
  'PUT /v1/labs/{id}/application': {
    as: 'lab',
    path: (f) => ({ id: f.labId }),
    body: () => ({
      entity: { legalName: '苏州检测院', creditCode: '', legalRepresentative: '', address: '' },
      offering: '',
      sites: [{ name: '主楼', regionCode: '320505', address: '科技城' }],
      certificates: [
        { kind: 'cma', number: '261000009999', validFrom: '2025-01-01', validUntil: '2030-01-01', scopeSummary: '' },
      ],
      selfEvaluation: [],
    }),
  },
  'POST /v1/labs/{id}/application/submit': { as: 'lab', path: (f) => ({ id: f.labId }) },
  'POST /v1/labs/{id}/application/certificates/{index}/file': {
    as: 'lab',
    path: (f) => ({ id: f.labId, index: '0' }),
  },
  'GET /v1/admin/labs/{id}': { as: 'admin', path: (f) => ({ id: f.labId }) },
  'POST /v1/admin/labs/{id}/request-changes': { as: 'admin', body: () => ({ reason: '补充材料' }) },
  'POST /v1/admin/labs/{id}/publish-notice': { as: 'admin' },
  'POST /v1/admin/labs/{id}/reject': { as: 'admin', body: () => ({ reason: '不符合条件' }) },
  'POST /v1/admin/labs/{id}/suspend': { as: 'admin', body: () => ({ reason: '抽查不合格' }) },
  'POST /v1/admin/labs/{id}/reinstate': { as: 'admin' },
  'POST /v1/admin/labs/{id}/exit': { as: 'admin', body: () => ({ reason: '主动退出' }) },
  'POST /v1/admin/labs/{id}/complete-exit': { as: 'admin' },
  'POST /v1/admin/objections/{id}/handling': { as: 'admin', body: () => ({ handling: '已核实' }) },
  'GET /v1/notices': { as: 'sme' },
  'POST /v1/notices/{id}/objections': {
    as: 'sme',
    body: () => ({ reason: '资质存疑，请核查', contact: '13800000000' }),
  },
  'POST /v1/bookings': { as: 'sme', body: booking },
  'GET /v1/bookings': { as: 'sme' },
  'POST /v1/bookings/{id}/cancel': { as: 'sme' },
  'POST /v1/bookings/{id}/confirm': { as: 'sme' },
  'POST /v1/bookings/{id}/approve': { as: 'lab' },
  'POST /v1/bookings/{id}/check-in': { as: 'lab' },
  'POST /v1/bookings/{id}/check-out': { as: 'lab' },
  'PUT /v1/bookings/{id}/operator': {
    as: 'lab',
    path: (f) => ({ id: f.booking }),
    body: (f) => ({ operatorId: f.operatorUser }),
  },
  'POST /v1/bookings/{id}/reject': { as: 'lab', body: () => ({ reason: '设备故障' }) },
  'POST /v1/bookings/{id}/reschedule': {
    as: 'sme',
    path: (f) => ({ id: f.booking }),
    body: () => ({ start: '2026-12-02T02:00:00Z', end: '2026-12-02T03:00:00Z' }),
  },
  'POST /v1/booking-series': {
    as: 'sme',
    body: (f) => ({
      instrumentId: f.dstInstrument,
      localStart: '2027-03-15T10:00',
      durationMinutes: 60,
      rule: 'FREQ=WEEKLY;COUNT=2',
      mode: 'self',
      onConflict: 'all_or_nothing',
    }),
    accepts: {
      '/body/localStart = DST gap':
        'RFC 5545 §3.3.5: a local time in the spring-forward gap moves forward by the gap (recurrence.ts)',
    },
  },
  'POST /v1/booking-series/{id}/confirm': { as: 'sme' },
  'POST /v1/booking-series/{id}/cancel': {
    as: 'sme',
    path: (f) => ({ id: f.series }),
    body: (f) => ({ fromBookingId: f.seriesBooking }),
  },
  'POST /v1/waitlist': { as: 'sme2', body: booking },
  'POST /v1/waitlist/{id}/cancel': { as: 'sme2' },
  'GET /v1/instruments/{id}/availability': {
    as: 'sme',
    path: (f) => ({ id: f.instrument }),
    query: () => ({ ...week, durationMinutes: 60 }),
  },
  'GET /v1/availability/search': { as: 'sme', query: () => ({ ...week, durationMinutes: 60 }) },
  'GET /v1/scope-search': { as: 'sme', query: () => ({ q: 'GB/T 10125' }) },
  'PUT /v1/instruments/{id}/opening-hours': { as: 'lab', path: (f) => ({ id: f.instrument }), body: () => hours },
  'PUT /v1/sites/{id}/opening-hours': { as: 'lab', path: (f) => ({ id: f.site }), body: () => hours },
  'GET /v1/labs/{id}/closures': { as: 'lab', path: (f) => ({ id: f.labId }), query: () => week },
  'POST /v1/labs/{id}/closures': {
    as: 'lab',
    path: (f) => ({ id: f.labId }),
    body: (f) => ({
      start: '2026-12-24T00:00:00Z',
      end: '2026-12-25T00:00:00Z',
      reason: '设备检修',
      instrumentId: f.instrument,
      unitId: f.unit,
    }),
  },
  'DELETE /v1/closures/{id}': { as: 'lab' },
  'PUT /v1/instruments/{id}/booking-policy': {
    as: 'lab',
    path: (f) => ({ id: f.instrument }),
    body: (f) => f.policy,
    accepts: {
      '/body/leadMinutes = 0': 'a lab may take bookings up to the start',
      '/body/setupMinutes = 0': 'no set-up buffer',
      '/body/cleanupMinutes = 0': 'no clean-up buffer',
      '/body/cancellationCutoffMinutes = 0': 'free cancellation until the start',
      '/body/cancellationFeeBasisPoints = 0': 'no late-cancellation fee',
      '/body/noShowGraceMinutes = 0': 'no grace after the start before a no-show',
    },
  },
  'PUT /v1/labs/{id}/booking-settings': {
    as: 'lab',
    path: (f) => ({ id: f.labId }),
    body: () => ({ violationThreshold: 3, violationWindowDays: 90 }),
    accepts: { '/body/violationThreshold = 0': 'zero tolerance: blocked after the first violation' },
  },
  'GET /v1/labs/{id}/schedule': { as: 'lab', path: (f) => ({ id: f.labId }), query: () => week },
  'GET /v1/notifications': { as: 'sme' },
  'POST /v1/notifications/{id}/read': { as: 'sme' },
  'GET /v1/cases': { as: 'sme', query: () => ({ region: '320000', limit: 5 }) },
  'GET /v1/cases/{id}': { as: 'sme', path: () => ({ id: DEMO_CASE_IDS.saltSpray }) },
  'POST /v1/case-submissions': { as: 'lab', body: (f) => ({ orgId: f.labId, ...typicalCase }) },
  'GET /v1/case-submissions/{id}': { as: 'lab', path: () => ({ id: DEMO_CASE_IDS.saltSpray }) },
  'PATCH /v1/case-submissions/{id}': {
    as: 'lab',
    path: () => ({ id: DEMO_CASE_IDS.saltSpray }),
    body: () => ({ costSavedFen: 100, timeSavedDays: 1 }),
  },
  'POST /v1/case-submissions/{id}/submit': { as: 'lab', path: () => ({ id: DEMO_CASE_IDS.saltSpray }) },
  'GET /v1/admin/cases/{id}': { as: 'admin', path: () => ({ id: DEMO_CASE_IDS.saltSpray }) },
  'PATCH /v1/admin/cases/{id}': {
    as: 'admin',
    path: () => ({ id: DEMO_CASE_IDS.saltSpray }),
    body: () => ({ costSavedFen: 38_000_000, timeSavedDays: 21 }),
  },
  'POST /v1/admin/cases/{id}/publish': { as: 'admin', path: () => ({ id: DEMO_CASE_IDS.saltSpray }) },
  'POST /v1/admin/cases/{id}/return': {
    as: 'admin',
    path: () => ({ id: DEMO_CASE_IDS.saltSpray }),
    body: () => ({ reason: '请补充数据' }),
  },
  'GET /v1/labs/{id}/training-records': {
    as: 'lab',
    path: (f) => ({ id: f.labId }),
    query: (f) => ({ instrumentId: f.instrument }),
  },
  'POST /v1/labs/{id}/training-records': {
    as: 'lab',
    path: (f) => ({ id: f.labId }),
    body: (f) => ({
      instrumentId: f.instrument,
      email: USERS.sme2,
      qualifiedAt: '2026-11-20T00:00:00Z',
      expiresAt: '2027-11-20T00:00:00Z',
    }),
    accepts: {
      '/body/qualifiedAt = 1970': 'a qualification is recorded with the day it was obtained, however long ago',
      '/body/qualifiedAt..expiresAt both in 1970': 'a lapsed qualification stays on record as history',
    },
  },
  'POST /v1/training-records/{id}/revoke': { as: 'lab' },
  'POST /v1/labs/{id}/standings/{userId}/lift': {
    as: 'lab',
    path: (f) => ({ id: f.labId, userId: f.smeUser }),
    body: () => ({ reason: '已沟通' }),
  },
  'POST /v1/orders': {
    as: 'sme',
    body: (f) => ({
      labId: f.labId,
      requestNotes: '镀锌层耐腐蚀性验证',
      lines: [{ serviceId: f.saltSpray, quantity: 48, standardCode: 'GB/T 10125-2021', parameterZh: '中性盐雾试验' }],
    }),
  },
  'GET /v1/orders': { as: 'sme' },
  'POST /v1/orders/{id}/quote': {
    as: 'lab',
    path: (f) => ({ id: f.orderRequested }),
    body: (f) => ({
      lines: [{ lineId: f.requestedLine, unitPriceFen: 3000, quantity: 48 }],
      addLines: [
        { kind: 'commissioned_test', descriptionZh: '加测附着力', quantity: 1, unit: '项', unitPriceFen: 15000 },
      ],
      validUntil: '2026-12-31',
    }),
  },
  'POST /v1/orders/{id}/accept': {
    as: 'sme',
    path: (f) => ({ id: f.orderQuoted }),
    body: (f) => ({
      quotedAt: f.quotedAt,
      commission: COMMISSION,
      deadlineTierDays: 15,
      samples: [{ nameZh: '镀锌钢板试样', quantity: 3, unit: '件' }],
    }),
    accepts: { '/body/commission/productionDate = 1970': 'old stock is tested too' },
  },
  'POST /v1/orders/{id}/decline': { as: 'sme' },
  'POST /v1/orders/{id}/samples/{sampleId}/receive': {
    as: 'lab',
    path: (f) => ({ id: f.orderAwaiting, sampleId: f.sample }),
    body: () => ({ conditionOnArrival: '包装完好', quantity: 3, storageLocation: 'A-03' }),
  },
  'POST /v1/orders/{id}/samples/{sampleId}/reject': {
    as: 'lab',
    path: (f) => ({ id: f.orderAwaiting, sampleId: f.sample }),
    body: () => ({ reason: '样品破损' }),
  },
  'POST /v1/orders/{id}/samples/{sampleId}/photo': {
    as: 'lab',
    path: (f) => ({ id: f.orderAwaiting, sampleId: f.sample }),
  },
  'POST /v1/orders/{id}/samples/{sampleId}/custody': {
    as: 'lab',
    path: (f) => ({ id: f.orderReceived, sampleId: f.receivedSample }),
    body: () => ({ step: 'stored', location: '样品间 A-3' }),
  },
  'POST /v1/orders/{id}/commission-form/scan': { as: 'lab', path: (f) => ({ id: f.orderAwaiting }) },
  'POST /v1/orders/{id}/schedule': {
    as: 'lab',
    path: (f) => ({ id: f.orderReceived }),
    body: (f) => ({ instrumentId: f.chamber, start: '2026-12-03T02:00:00Z', end: '2026-12-03T04:00:00Z' }),
  },
  'POST /v1/orders/{id}/start': { as: 'lab' },
  'POST /v1/orders/{id}/deliver': { as: 'lab' },
  'POST /v1/orders/{id}/close': { as: 'lab' },
  'POST /v1/orders/{id}/cancel': { as: 'lab', body: () => ({ reason: '客户撤回' }) },
  'POST /v1/orders/{id}/objections': { as: 'sme', body: () => ({ reason: '结果存疑' }) },
  'POST /v1/orders/{id}/objections/{objectionId}/resolve': {
    as: 'lab',
    path: (f) => ({ id: f.orderIssued, objectionId: f.objection }),
    body: () => ({ outcome: 'dismissed', resolution: '复核无误' }),
  },
  'PUT /v1/labs/{id}/order-settings': { as: 'lab', path: (f) => ({ id: f.labId }), body: () => ({}) },
  'POST /v1/orders/{id}/reports': {
    as: 'lab',
    path: (f) => ({ id: f.orderInProgress }),
    body: (f) => ({ testerId: f.operatorUser }),
  },
  'PATCH /v1/reports/{id}': {
    as: 'lab',
    path: (f) => ({ id: f.draftReport }),
    body: (f) => ({
      testerId: f.operatorUser,
      results: [{ lineId: f.draftLine, parameterZh: '中性盐雾试验', result: '48 h 无红锈' }],
    }),
  },
  'POST /v1/reports/{id}/submit': { as: 'lab' },
  'POST /v1/reports/{id}/review': { as: 'lab', body: () => ({ decision: 'approve' }) },
  'POST /v1/reports/{id}/issue': { as: 'lab' },
  'POST /v1/reports/{id}/replace': { as: 'lab', body: () => ({ reason: '更正笔误' }) },
  'POST /v1/reports/{id}/revoke': { as: 'lab', body: () => ({ reason: '数据错误' }) },
  'GET /v1/labs/{id}/reports': { as: 'lab', path: (f) => ({ id: f.labId }) },
  'POST /v1/labs/{id}/signatories': { as: 'lab', body: () => ({ email: USERS.operator }) },
  'DELETE /v1/labs/{id}/signatories/{userId}': { as: 'lab', path: (f) => ({ id: f.labId, userId: f.labUser }) },
  'POST /v1/orders/{id}/messages': { as: 'sme', body: () => ({ body: '请问进度？' }) },
  'POST /v1/orders/{id}/attachments': { as: 'sme' },
  'POST /v1/orders/{id}/rating': { as: 'sme', path: (f) => ({ id: f.orderClosed }), body: () => ({ score: 4 }) },
  'POST /v1/orders/{id}/rating/reply': { as: 'lab', body: () => ({ reply: '感谢' }) },
  'GET /v1/labs/{id}/ratings': { as: 'sme', path: (f) => ({ id: f.labId }) },
  'GET /v1/labs/{id}/order-ratings': { as: 'lab', path: (f) => ({ id: f.labId }) },
  'GET /v1/labs/{id}/calibration-records': { as: 'lab', path: (f) => ({ id: f.labId }) },
  'GET /v1/me/calibration-records': { as: 'sme' },
  'POST /v1/labs/{id}/calibration-records': {
    as: 'lab',
    path: (f) => ({ id: f.labId }),
    body: (f) => ({
      customerOrgId: f.smeOrg,
      instrumentName: '数显卡尺',
      serialNumber: 'SN-2026-77',
      calibratedOn: '2026-11-20',
      nextDueOn: '2027-11-20',
    }),
    accepts: {
      '/body/calibratedOn = 1970': 'calibrations done elsewhere are recorded with their real dates',
      '/body/calibratedOn..nextDueOn both in 1970': 'an instrument long overdue is recorded as such',
    },
  },
  'POST /v1/assistance-requests': {
    as: 'sme',
    body: (f) => ({ enterpriseId: f.smeOrg, titleZh: '铰链锈蚀', problemZh: '盐雾后起泡' }),
  },
  'GET /v1/assistance-requests': { as: 'officer', query: (f) => ({ enterpriseId: f.smeOrg }) },
  'POST /v1/assistance-requests/{id}/assign': {
    as: 'officer',
    path: (f) => ({ id: f.assistance }),
    body: (f) => ({ expertUserId: f.labUser }),
  },
  'POST /v1/assistance-requests/{id}/visits': {
    as: 'officer',
    path: (f) => ({ id: f.assistance }),
    body: () => ({ visitedOn: '2026-11-25', notesZh: '现场查看', problemsFound: 2, problemsSolved: 1 }),
  },
  'POST /v1/assistance-requests/{id}/resolve': { as: 'officer' },
  'POST /v1/assistance-requests/{id}/close': { as: 'officer' },
  'POST /v1/events': {
    as: 'lab',
    body: (f) => ({
      organiserOrgId: f.labId,
      kind: 'seminar',
      titleZh: '质量讲座',
      regionCode: '320500',
      feeFen: 0,
      sessions: [session],
    }),
  },
  'GET /v1/events': {
    as: 'sme',
    query: (f) => ({ from: '2026-12-01', to: '2026-12-31', organiserOrgId: f.labId }),
  },
  'PATCH /v1/events/{id}': { as: 'lab', path: (f) => ({ id: f.event }), body: () => ({ feeFen: 5000 }) },
  'POST /v1/events/{id}/publish': { as: 'lab' },
  'POST /v1/events/{id}/cancel': { as: 'lab' },
  'POST /v1/events/{id}/sessions': { as: 'lab', path: (f) => ({ id: f.event }), body: () => session },
  'PATCH /v1/event-sessions/{id}': { as: 'lab', path: (f) => ({ id: f.session }), body: () => session },
  'DELETE /v1/event-sessions/{id}': { as: 'lab', path: (f) => ({ id: f.session }) },
  'POST /v1/event-sessions/{id}/registrations': { as: 'sme' },
  'DELETE /v1/event-sessions/{id}/registrations/me': { as: 'sme' },
  'POST /v1/event-sessions/{id}/attendance': {
    as: 'lab',
    path: (f) => ({ id: f.pastSession }),
    body: (f) => ({ userId: f.smeUser, attended: true }),
  },
  'PUT /v1/enterprises/{id}/officer': {
    as: 'admin',
    path: (f) => ({ id: f.smeOrg }),
    body: (f) => ({ officerUserId: f.officerUser }),
  },
  'DELETE /v1/enterprises/{id}/officer': { as: 'admin' },
  'GET /v1/officer/requests': { as: 'officer', query: (f) => ({ enterpriseId: f.smeOrg }) },
  // Money (issue 11).
  'GET /v1/invoices': { as: 'sme', query: (f) => ({ labId: f.labId, from: '2026-11-01', to: '2026-11-30' }) },
  'GET /v1/invoices/{id}': { as: 'sme' },
  'GET /v1/orgs/{orgId}/fapiao-title': { as: 'sme' },
  'GET /v1/admin/ledger/trial-balance': { as: 'admin', query: () => ({ from: '2026-11-01', to: '2026-11-30' }) },
  'GET /v1/labs/{labId}/ledger/trial-balance': {
    as: 'lab',
    path: (f) => ({ labId: f.labId }),
    query: () => ({ from: '2026-11-01', to: '2026-11-30' }),
  },
  'POST /v1/labs/{labId}/bank-statements': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'GET /v1/labs/{labId}/bank-lines': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'POST /v1/labs/{labId}/bank-lines/{lineId}/match': {
    as: 'lab',
    path: (f) => ({ labId: f.labId, lineId: f.bankLine }),
    body: (f) => ({ invoiceId: f.openInvoice }),
  },
  'POST /v1/labs/{labId}/bank-lines/{lineId}/dismiss': {
    as: 'lab',
    path: (f) => ({ labId: f.labId, lineId: f.bankLine }),
    body: () => ({ note: '银行结息' }),
  },
  'PUT /v1/orgs/{orgId}/fapiao-title': {
    as: 'sme',
    path: (f) => ({ orgId: f.smeOrg }),
    body: () => ({ type: 'normal', name: '苏州恒瑞精密部件有限公司', taxpayerNumber: '91320506MA1P2Q3R49' }),
  },
  'POST /v1/invoices/{id}/fapiao-request': { as: 'sme', body: () => ({ type: 'normal' }) },
  'GET /v1/fapiao-requests': { as: 'sme', query: () => ({ status: 'pending' }) },
  'GET /v1/labs/{labId}/fapiao-requests': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'GET /v1/labs/{labId}/fapiao-requests.xlsx': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'POST /v1/labs/{labId}/fapiao-requests/{id}/issued': {
    as: 'lab',
    path: (f) => ({ labId: f.labId }),
    body: () => ({ fapiaoNumber: '26322000000012345678', issuedOn: '2026-11-26' }),
  },
  'POST /v1/labs/{labId}/fapiao-requests/{id}/reject': {
    as: 'lab',
    path: (f) => ({ labId: f.labId }),
    body: () => ({ reason: '抬头有误' }),
  },
  'GET /v1/invoices/{id}/pdf': { as: 'sme' },
  'POST /v1/invoices/{id}/payments': {
    as: 'lab',
    body: () => ({ amount: 100, receivedOn: '2026-11-26', channel: 'bank_transfer', note: '网银' }),
  },
  'POST /v1/invoices/{id}/void': { as: 'lab', body: () => ({ reason: '开错' }) },
  'GET /v1/labs/{labId}/billing-settings': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'PUT /v1/labs/{labId}/billing-settings': {
    as: 'lab',
    path: (f) => ({ labId: f.labId }),
    body: () => ({
      terms: 'on_delivery',
      dueDays: 15,
      monthlyDueDays: 30,
      taxRateBp: 600,
      payee: {
        accountName: '江苏省苏南产品质量监督检验研究院',
        bankName: '中国工商银行苏州吴中支行',
        accountNumber: '1102 0207 0900 0156 378',
      },
    }),
  },
  'GET /v1/labs/{labId}/customer-terms': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'PUT /v1/labs/{labId}/customer-terms/{customerOrgId}': {
    as: 'lab',
    path: (f) => ({ labId: f.labId, customerOrgId: f.smeOrg }),
    body: () => ({ terms: 'on_delivery', dueDays: 15 }),
  },
  'DELETE /v1/labs/{labId}/customer-terms/{customerOrgId}': {
    as: 'lab',
    path: (f) => ({ labId: f.labId, customerOrgId: f.smeOrg }),
  },
  'GET /v1/labs/{labId}/statements': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'GET /v1/labs/{labId}/statements/{month}': { as: 'lab', path: (f) => ({ labId: f.labId, month: '2026-10' }) },
  'POST /v1/labs/{labId}/statements/{month}/build': { as: 'lab', path: (f) => ({ labId: f.labId, month: '2026-10' }) },
  'GET /v1/customers/{orgId}/statements/{month}': {
    as: 'sme',
    path: (f) => ({ orgId: f.smeOrg, month: '2026-10' }),
    query: (f) => ({ labId: f.labId }),
  },
  'GET /v1/admin/reconciliation': { as: 'admin', query: () => ({ from: '2026-11-01', to: '2026-11-30' }) },
  'POST /v1/admin/reconciliation/discrepancies/{id}/resolve': { as: 'admin', body: () => ({ note: '已处理' }) },
  // 效能评价 and instrument utilisation (issue 12).
  'GET /v1/admin/efficiency': {
    as: 'admin',
    query: () => ({ region: '320500', from: '2026-11-01', to: '2026-11-30', groupBy: 'kind' }),
  },
  'GET /v1/admin/efficiency/orders': {
    as: 'admin',
    query: (f) => ({
      region: '320000',
      from: '2026-11-01',
      to: '2026-11-30',
      figure: 'turnaround',
      lab: f.labId,
      kind: 'commissioned_test',
      subRegion: '320500',
    }),
  },
  'GET /v1/admin/utilisation': { as: 'admin', query: () => ({ region: '320500', year: 2026 }) },
  'GET /v1/admin/audit': { as: 'admin', query: () => ({ from: '2026-11-01', to: '2026-11-30' }) },
  'GET /v1/admin/audit/{id}': { as: 'admin', path: () => ({ id: '1' }) },
  'GET /v1/admin/holidays': { as: 'admin', query: () => ({ year: 2027 }) },
  'PUT /v1/admin/holidays/{year}': {
    as: 'admin',
    path: () => ({ year: '2027' }),
    body: () => ({ holidays: ['2027-01-01'], makeupWorkdays: [] }),
  },
  // Card payments (issue 11; no STRIPE_SECRET_KEY here, so the card answers are 422 card_not_offered).
  'GET /v1/invoices/{id}/payment-methods': { as: 'sme' },
  'POST /v1/invoices/{id}/checkout': { as: 'sme' },
  'POST /v1/invoices/{id}/refunds': { as: 'lab', body: () => ({ amount: { amount: 100, currency: 'CNY' } }) },
  'GET /v1/labs/{labId}/stripe': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'POST /v1/labs/{labId}/stripe/onboarding': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'PUT /v1/admin/fee-rates/{regionCode}': {
    as: 'admin',
    path: () => ({ regionCode: '320500' }),
    body: () => ({ rateBp: 0 }),
  },
  // The platform's service fee and its own statement (issue 11).
  'GET /v1/admin/fee-rates': { as: 'admin' },
  'GET /v1/labs/{labId}/platform-fees': {
    as: 'lab',
    path: (f) => ({ labId: f.labId }),
    query: () => ({ month: '2026-10', status: 'open' }),
  },
  'GET /v1/admin/platform-fees': { as: 'admin', query: () => ({ month: '2026-10', status: 'open' }) },
  'GET /v1/admin/platform-fees/{id}': { as: 'admin' },
  'POST /v1/admin/platforms/{platformId}/bank-statements': { as: 'admin', path: (f) => ({ platformId: f.platform }) },
  'GET /v1/admin/platforms/{platformId}/bank-lines': { as: 'admin', path: (f) => ({ platformId: f.platform }) },
  'POST /v1/admin/platforms/{platformId}/bank-lines/{lineId}/match': {
    as: 'admin',
    path: (f) => ({ platformId: f.platform, lineId: f.platformBankLine }),
    body: (f) => ({ invoiceId: f.platformOpenInvoice }),
  },
  'POST /v1/admin/platforms/{platformId}/bank-lines/{lineId}/dismiss': {
    as: 'admin',
    path: (f) => ({ platformId: f.platform, lineId: f.platformBankLine }),
    body: () => ({ note: '银行结息' }),
  },
  // Cards on file (issue 11; no STRIPE_SECRET_KEY here, so saving one is 422 card_not_offered).
  'POST /v1/labs/{labId}/card-setup': {
    as: 'sme',
    body: (f) => ({ orgId: f.smeOrg, returnTo: '/invoices' }),
  },
  'GET /v1/labs/{labId}/card-on-file': {
    as: 'sme',
    query: (f) => ({ orgId: f.smeOrg }),
  },
  'GET /v1/orgs/{orgId}/cards': { as: 'sme', path: (f) => ({ orgId: f.smeOrg }), query: (f) => ({ labId: f.labId }) },
  'DELETE /v1/orgs/{orgId}/cards/{cardId}': { as: 'sme', path: (f) => ({ orgId: f.smeOrg }) },
  // Innovation vouchers (issue 11).
  'GET /v1/admin/voucher-programmes': { as: 'admin' },
  'POST /v1/admin/voucher-programmes': {
    as: 'admin',
    body: () => voucherProgramme,
    accepts: {
      '/body/validFrom = 1970': 'a programme entered after it began keeps the start its notice published',
    },
  },
  'PATCH /v1/admin/voucher-programmes/{id}': {
    as: 'admin',
    path: (f) => ({ id: f.voucherProgramme }),
    body: () => ({ validFrom: '2026-01-01', validTo: '2028-12-31' }),
    accepts: {
      '/body/validFrom = 1970': 'a programme entered after it began keeps the start its notice published',
    },
  },
  'GET /v1/voucher-programmes': { as: 'sme' },
  'POST /v1/voucher-applications': {
    as: 'sme2',
    body: (f) => ({ programmeId: f.voucherProgramme, amount: { amount: 100_000, currency: 'CNY' }, purpose: '检测' }),
  },
  'GET /v1/voucher-applications': { as: 'sme' },
  'POST /v1/admin/voucher-applications/{id}/approve': {
    as: 'admin',
    path: (f) => ({ id: f.pendingVoucherApplication }),
    body: () => ({ quota: { amount: 100_000, currency: 'CNY' } }),
  },
  'POST /v1/admin/voucher-applications/{id}/reject': { as: 'admin', body: () => ({ reason: '材料不全' }) },
  'POST /v1/invoices/{id}/voucher': {
    as: 'sme',
    path: (f) => ({ id: f.invoice }),
    body: (f) => ({ applicationId: f.voucherApplication }),
  },
  'POST /v1/labs/{labId}/voucher-claims': {
    as: 'lab',
    path: (f) => ({ labId: f.labId }),
    body: (f) => ({ invoiceId: f.invoice }),
  },
  'GET /v1/labs/{labId}/voucher-claims': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'GET /v1/labs/{labId}/voucher-claims/{id}/evidence.zip': { as: 'lab', path: (f) => ({ labId: f.labId }) },
  'GET /v1/admin/voucher-claims': { as: 'admin' },
  'POST /v1/admin/voucher-claims/{id}/approve': { as: 'admin' },
  'POST /v1/admin/voucher-claims/{id}/reject': { as: 'admin', body: () => ({ reason: '材料不全' }) },
  'POST /v1/admin/voucher-claims/{id}/void': { as: 'admin', body: () => ({ reason: '虚假交易' }) },
  'POST /v1/admin/voucher-claims/{id}/payments': {
    as: 'admin',
    body: () => ({ amount: { amount: 10_000, currency: 'CNY' }, receivedOn: '2026-11-26' }),
  },
  // Reads of one thing: an id of the right shape that names nothing is a 404 (or 403 for a lab).
  'GET /v1/instruments/{id}': { as: 'sme' },
  'GET /v1/services/{id}': { as: 'sme' },
  'GET /v1/labs/{id}': { as: 'sme' },
  'GET /v1/labs/{id}/members': { as: 'lab' },
  'GET /v1/labs/{id}/qualifications': { as: 'lab' },
  'GET /v1/orgs/{orgId}/api-tokens': { as: 'lab' },
  'GET /v1/bookings/{id}': { as: 'sme' },
  'GET /v1/bookings/{id}/contact': { as: 'lab' },
  'GET /v1/booking-series/{id}': { as: 'sme' },
  'GET /v1/instruments/{id}/opening-hours': { as: 'lab' },
  'GET /v1/sites/{id}/opening-hours': { as: 'lab' },
  'GET /v1/instruments/{id}/booking-policy': { as: 'lab' },
  'GET /v1/labs/{id}/booking-settings': { as: 'lab' },
  'GET /v1/labs/{id}/today': { as: 'lab' },
  'GET /v1/bookings/{id}/ics': { as: 'sme' },
  'GET /v1/labs/{id}/violations': { as: 'lab' },
  'GET /v1/orders/{id}': { as: 'sme' },
  'GET /v1/orders/{id}/custody': { as: 'sme' },
  'GET /v1/orders/{id}/scope-matches': { as: 'lab' },
  'GET /v1/orders/{id}/samples/{sampleId}/photo': {
    as: 'lab',
    path: (f) => ({ id: f.orderAwaiting, sampleId: f.sample }),
  },
  'GET /v1/orders/{id}/commission-form': { as: 'sme', path: (f) => ({ id: f.orderAwaiting }) },
  'GET /v1/orders/{id}/commission-form/pdf': { as: 'sme', path: (f) => ({ id: f.orderAwaiting }) },
  'GET /v1/orders/{id}/commission-form/scan': { as: 'lab', path: (f) => ({ id: f.orderAwaiting }) },
  'GET /v1/labs/{id}/order-settings': { as: 'lab' },
  'GET /v1/orders/{id}/reports': { as: 'lab' },
  'GET /v1/reports/{id}': { as: 'lab' },
  'GET /v1/reports/{id}/pdf': { as: 'lab' },
  'GET /v1/labs/{id}/signatories': { as: 'lab' },
  'GET /v1/orders/{id}/messages': { as: 'sme' },
  'GET /v1/labs/{id}/application/files/{fileId}': { as: 'lab', path: (f) => ({ id: f.labId }) },
  'GET /v1/labs/{id}/qualifications/{qualificationId}/file': {
    as: 'lab',
    path: (f) => ({ id: f.labId, qualificationId: f.qualification }),
  },
  'GET /v1/orders/{id}/attachments/{attachmentId}': { as: 'sme', path: (f) => ({ id: f.orderRequested }) },
  'GET /v1/orders/{id}/rating': { as: 'sme' },
  'GET /v1/assistance-requests/{id}': { as: 'officer' },
  'GET /v1/events/{id}': { as: 'sme' },
  'GET /v1/event-sessions/{id}/registrations': { as: 'lab' },
  'GET /v1/enterprises/{id}/officer': { as: 'admin' },
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const operations = Object.entries(doc.paths).flatMap(([p, ops]) =>
  METHODS.filter((m) => ops[m]).map((m) => ({ key: `${m.toUpperCase()} ${p}`, method: m, path: p, op: ops[m]! })),
);
/** Operations that take something worth varying: ids in the path, query parameters, a JSON body. */
const withInput = operations.filter(({ op }) => {
  const empty: Spec = { as: 'sme' };
  return variantsOf(op, empty, {} as Fixtures).length > 0;
});

// ---------------------------------------------------------------------------------------------
// The run

let db: TestDatabase;
let app: FastifyInstance;
let tables: string[];
const tok = {} as Record<Actor, string>;
const f = {} as Fixtures;

function call(method: string, url: string, as: Actor, payload?: unknown): Promise<LightMyRequestResponse> {
  return app.inject({
    method: method as 'GET',
    url,
    headers: bearer(tok[as]),
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

async function ok<T = Json>(res: LightMyRequestResponse | Promise<LightMyRequestResponse>): Promise<T> {
  const r = await res;
  expect(r.statusCode, r.body).toBeLessThan(300);
  return r.json<T>();
}

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await db.pool.query(sql, params);
  if (!rows[0]) throw new Error(`no row for ${sql}`);
  return Object.values(rows[0])[0] as T;
}

/** An order of the demo enterprise at the lab, moved along the flow with the API to `until`. */
async function anOrder(until: 'requested' | 'quoted' | 'awaiting_samples' | 'samples_received' | 'in_progress') {
  const body = SPECS['POST /v1/orders']!.body!(f);
  const created = await ok<{ order: { id: string }; lines: { id: string }[] }>(call('POST', '/v1/orders', 'sme', body));
  const id = created.order.id;
  if (until === 'requested') return { id, line: created.lines[0]!.id };
  await ok(
    call('POST', `/v1/orders/${id}/quote`, 'lab', {
      lines: [{ lineId: created.lines[0]!.id, unitPriceFen: 3000, quantity: 48 }],
      validUntil: '2026-12-31',
    }),
  );
  const quoted = await ok<{ order: { quotedAt: string } }>(call('GET', `/v1/orders/${id}`, 'sme'));
  if (until === 'quoted') return { id, quotedAt: quoted.order.quotedAt };
  const accepted = await ok<{ samples: { id: string }[] }>(
    call('POST', `/v1/orders/${id}/accept`, 'sme', {
      quotedAt: quoted.order.quotedAt,
      commission: COMMISSION,
      deadlineTierDays: 15,
    }),
  );
  if (until === 'awaiting_samples') return { id, sample: accepted.samples[0]!.id };
  for (const s of accepted.samples) {
    await ok(
      call('POST', `/v1/orders/${id}/samples/${s.id}/receive`, 'lab', {
        conditionOnArrival: '包装完好',
        quantity: 3,
      }),
    );
  }
  if (until === 'samples_received') return { id };
  await ok(call('POST', `/v1/orders/${id}/start`, 'lab'));
  return { id };
}

beforeAll(async () => {
  db = await createTestDatabase({ settings: { plan_cache_mode: 'force_custom_plan' } });
  app = await buildTestApp(db, { clock: testClock(NOW) });
  for (const k of Object.keys(USERS) as Actor[]) tok[k] = await login(app, USERS[k]);
  const userId = (email: string) => one<string>('SELECT id FROM users WHERE email = $1', [email]);
  f.labId = await orgOf(db, USERS.lab);
  f.smeOrg = await orgOf(db, USERS.sme);
  f.smeUser = await userId(USERS.sme);
  f.labUser = await userId(USERS.lab);
  f.operatorUser = await userId(USERS.operator);
  f.officerUser = await userId(USERS.officer);
  f.instrument = await rentedInstrumentOf(db, f.labId);
  f.unit = await one('SELECT id FROM instrument_units WHERE instrument_id = $1 AND active ORDER BY position', [
    f.instrument,
  ]);
  f.site = await aSiteOf(db, f.labId);
  f.service = (await aServiceOf(db, f.labId)).id;
  f.saltSpray = await one(`SELECT id FROM services WHERE lab_id = $1 AND name_zh = '中性盐雾试验'`, [f.labId]);
  f.chamber = await one(`SELECT id FROM instruments WHERE lab_id = $1 AND name_zh = '循环盐雾腐蚀试验箱'`, [f.labId]);
  const policy = await ok(call('GET', `/v1/instruments/${f.instrument}/booking-policy`, 'lab'));
  const policyFields = deref(
    doc.paths['/v1/instruments/{id}/booking-policy']!.put!.requestBody!.content!['application/json']!.schema,
  ).properties!;
  f.policy = Object.fromEntries(Object.entries(policy).filter(([k]) => k in policyFields));

  // An instrument at a site in Europe/Berlin, open around the clock and bookable a year ahead, so a
  // series can start in the night clocks spring forward.
  const berlin = await one<string>(
    `INSERT INTO sites SELECT (jsonb_populate_record(NULL::sites,
       to_jsonb(s) || jsonb_build_object('id', gen_random_uuid(), 'time_zone', 'Europe/Berlin', 'name_zh', '柏林站点'))).*
     FROM sites s WHERE id = $1 RETURNING id`,
    [f.site],
  );
  f.dstInstrument = await one<string>(
    `INSERT INTO instruments SELECT (jsonb_populate_record(NULL::instruments,
       to_jsonb(i) || jsonb_build_object('id', gen_random_uuid(), 'site_id', $2::uuid, 'name_zh', '夏令时测试仪器'))).*
     FROM instruments i WHERE id = $1 RETURNING id`,
    [f.instrument, berlin],
  );
  await db.pool.query(`INSERT INTO instrument_units (instrument_id, label, position) VALUES ($1, '#1', 1)`, [
    f.dstInstrument,
  ]);
  await ok(
    call('PUT', `/v1/instruments/${f.dstInstrument}/opening-hours`, 'lab', {
      rows: [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, opensAt: '00:00', closesAt: '23:30' })),
    }),
  );
  await ok(
    call('PUT', `/v1/instruments/${f.dstInstrument}/booking-policy`, 'lab', {
      ...f.policy,
      horizonDays: 365,
      requiresApproval: false,
    }),
  );

  // The objects the operations act on, made with the API.
  const held = await ok<{ id: string }>(call('POST', '/v1/bookings', 'sme', booking(f)));
  f.booking = held.id;
  const series = await ok<{ series: { id: string }; bookings: { id: string }[] }>(
    call('POST', '/v1/booking-series', 'sme', SPECS['POST /v1/booking-series']!.body!(f)),
  );
  f.series = series.series.id;
  f.seriesBooking = series.bookings[0]!.id;
  f.waitlist = (await ok<{ id: string }>(call('POST', '/v1/waitlist', 'sme2', booking(f)))).id;
  f.closure = (
    await ok<{ id: string }>(
      call('POST', `/v1/labs/${f.labId}/closures`, 'lab', SPECS['POST /v1/labs/{id}/closures']!.body!(f)),
    )
  ).id;
  f.token = (
    await ok<{ id: string }>(
      call('POST', `/v1/orgs/${f.labId}/api-tokens`, 'lab', SPECS['POST /v1/orgs/{orgId}/api-tokens']!.body!(f)),
    )
  ).id;

  const requested = await anOrder('requested');
  f.orderRequested = requested.id;
  f.requestedLine = requested.line!;
  const quoted = await anOrder('quoted');
  f.orderQuoted = quoted.id;
  f.quotedAt = quoted.quotedAt!;
  const awaiting = await anOrder('awaiting_samples');
  f.orderAwaiting = awaiting.id;
  f.sample = awaiting.sample!;
  f.orderReceived = (await anOrder('samples_received')).id;
  f.receivedSample = await one<string>('SELECT id FROM order_samples WHERE order_id = $1 LIMIT 1', [f.orderReceived]);
  f.orderInProgress = (await anOrder('in_progress')).id;
  const working = (await anOrder('in_progress')).id;
  const draft = await ok<{ id: string; results: { lineId: string }[] }>(
    call('POST', `/v1/orders/${working}/reports`, 'lab', {}),
  );
  f.draftReport = draft.id;
  f.draftLine = draft.results[0]!.lineId;
  f.orderIssued = await one(`SELECT id FROM orders WHERE number = 'QI2026000201'`);
  f.objection = (
    await ok<{ objections: { id: string }[] }>(
      call('POST', `/v1/orders/${f.orderIssued}/objections`, 'sme', { reason: '结果与自检不一致' }),
    )
  ).objections.at(-1)!.id;
  f.orderClosed = await one(`SELECT id FROM orders WHERE number = 'QI2026000052'`);
  f.event = await one(
    `SELECT e.id FROM events e JOIN event_sessions s ON s.event_id = e.id
     WHERE e.organiser_org_id = $1 ORDER BY s.starts_at LIMIT 1`,
    [f.labId],
  );
  f.session = await one('SELECT id FROM event_sessions WHERE event_id = $1 ORDER BY starts_at LIMIT 1', [f.event]);
  // Attendance is taken once a session has begun: one that began yesterday.
  f.pastSession = await one(
    `INSERT INTO event_sessions (event_id, starts_at, ends_at, seats)
     VALUES ($1, '2026-11-25T01:00:00Z', '2026-11-25T03:00:00Z', 30) RETURNING id`,
    [f.event],
  );
  f.assistance = await one(`SELECT id FROM assistance_requests WHERE enterprise_id = $1 LIMIT 1`, [f.smeOrg]);
  f.openInvoice = await one(
    `SELECT id FROM invoices WHERE lab_id = $1 AND kind = 'invoice' AND status = 'open' ORDER BY issued_at LIMIT 1`,
    [f.labId],
  );
  f.bankLine = await one(
    `WITH s AS (INSERT INTO bank_statements (lab_id, charset, lines, matched, suggested, unmatched, duplicates)
                VALUES ($1, 'UTF-8', 1, 0, 0, 1, 0) RETURNING id)
     INSERT INTO bank_statement_lines (lab_id, statement_id, line_key, txn_date, counterparty, amount_fen, remark, status)
     SELECT $1, id, 'bad-values:1', '2026-11-25', '某公司', 100, '货款', 'unmatched' FROM s RETURNING id`,
    [f.labId],
  );
  // The demo voucher programme, the demo enterprise's approved quota, and another's pending application.
  f.voucherProgramme = await one(`SELECT id FROM voucher_programmes ORDER BY created_at LIMIT 1`);
  f.voucherApplication = await one(
    `SELECT id FROM voucher_applications WHERE enterprise_org_id = $1 AND status = 'approved'`,
    [f.smeOrg],
  );
  f.pendingVoucherApplication = (
    await ok<{ id: string }>(
      call('POST', '/v1/voucher-applications', 'sme2', SPECS['POST /v1/voucher-applications']!.body!(f)),
    )
  ).id;
  f.invoice = await one(
    `SELECT il.invoice_id FROM invoice_lines il WHERE il.source_kind = 'order' AND il.source_id = $1 LIMIT 1`,
    [f.orderAwaiting],
  );
  // The province platform's own statement line waiting in its queue, and an open invoice of the
  // platform to the lab (as its monthly service fee invoice would be).
  f.platform = await orgOf(db, USERS.admin);
  f.platformBankLine = await one(
    `WITH s AS (INSERT INTO bank_statements (lab_id, charset, lines, matched, suggested, unmatched, duplicates)
                VALUES ($1, 'UTF-8', 1, 0, 0, 1, 0) RETURNING id)
     INSERT INTO bank_statement_lines (lab_id, statement_id, line_key, txn_date, counterparty, amount_fen, remark, status)
     SELECT $1, id, 'bad-values:platform:1', '2026-11-25', '某实验室', 100, '服务费', 'unmatched' FROM s RETURNING id`,
    [f.platform],
  );
  f.platformOpenInvoice = await one(
    `INSERT INTO invoices (lab_id, customer_org_id, number, year, seq, status, total_fen, issued_at, due_date,
                           payment_reference, payee, terms)
     VALUES ($1, $2, 'ZD-2026-900001', 2026, 900001, 'open', 100, now(), '2026-12-15', 'QHBADVAL22', '{}', 'monthly')
     RETURNING id`,
    [f.platform, f.labId],
  );
  // A certificate of the lab's own, for the operations on one (its edit, its scan).
  f.qualification = (
    await ok<{ id: string }>(
      call('POST', `/v1/labs/${f.labId}/qualifications`, 'lab', {
        ...SPECS['POST /v1/labs/{id}/qualifications']!.body!(f),
        number: '261099990002',
      }),
    )
  ).id;
  tables = await allTables(db);
}, 120_000);

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

const MUTATING = new Set(['post', 'put', 'patch', 'delete']);

function changes(before: Record<string, string>, after: Record<string, string>, what: string): string[] {
  const changed = Object.keys(after).filter((t) => after[t] !== before[t]);
  return changed.length > 0 ? [`changed ${changed.join(', ')}: ${what}`] : [];
}

describe('every operation refuses well-typed but wrong values before they reach the database', () => {
  it('every operation that takes input has a case here (a new operation needs one)', () => {
    expect(withInput.map((o) => o.key).filter((k) => !SPECS[k])).toEqual([]);
    expect(Object.keys(SPECS).filter((k) => !operations.some((o) => o.key === k))).toEqual([]);
  });

  it.each(withInput.filter((o) => SPECS[o.key]))('$key', async ({ key, method, path: template, op }) => {
    const spec = SPECS[key]!;
    const base: Request = {
      path: spec.path?.(f) ?? {},
      query: spec.query?.(f) ?? {},
      body: spec.body?.(f) ?? (op.requestBody?.content?.['application/json'] ? {} : undefined),
    };
    const failures: string[] = [];
    // Variants an operation may rightly accept (and so change things) run last, so that the others
    // meet the objects as the base request left them; one digest before and one after the others
    // prove they changed nothing, then each of the last is checked on its own.
    const mayAccept = (v: Variant) => MUTATING.has(method) && (v.declared || spec.accepts?.[v.name] !== undefined);
    const all = variantsOf(op, spec, f);
    const variants = [...all.filter((v) => !mayAccept(v)), ...all.filter(mayAccept)];
    const seen: string[] = [];
    let before = await databaseDigest(db, tables);
    let checked = false;
    for (const variant of variants) {
      if (mayAccept(variant) && !checked) {
        const after = await databaseDigest(db, tables);
        failures.push(...changes(before, after, 'by the variants above'));
        before = after;
        checked = true;
      }
      const r = variant.apply(clone(base));
      const url =
        template.replace(/\{(\w+)\}/g, (_, name: string) => r.path[name] ?? UNKNOWN_ID) +
        (Object.keys(r.query).length > 0
          ? `?${new URLSearchParams(Object.entries(r.query).map(([k, v]): [string, string] => [k, String(v)])).toString()}`
          : '');
      const res = await call(method, url, spec.as, r.body);
      const what = `${variant.name} → ${res.statusCode} ${res.body.slice(0, 300)}`;
      const accepted = res.statusCode < 400;
      seen.push(`${variant.name} → ${res.statusCode} ${accepted ? '' : String(res.json<{ code?: string }>().code)}`);
      if (res.statusCode >= 500) {
        failures.push(what);
        continue;
      }
      if (!accepted) {
        if (!/^application\/problem\+json/.test(String(res.headers['content-type'])))
          failures.push(`not a problem: ${what}`);
        const problem = res.json<{ code?: string; errors?: { path: string }[] }>();
        if (!problem.code) failures.push(`no code: ${what}`);
        // A validation failure must be about the value varied, or the base request is wrong.
        if (problem.code === 'validation_failed') {
          const named = (problem.errors ?? []).map((e) => e.path);
          const expected = variant.pointers.map((p) => p.replace(/^\/(body|query|path)/, ''));
          if (!named.some((n) => expected.some((e) => n === e || n.startsWith(`${e}/`)))) {
            failures.push(`refused for another field: ${what}`);
          }
        }
      }
      const allowed =
        variant.declared ||
        spec.accepts?.[variant.name] !== undefined ||
        (!MUTATING.has(method) && !variant.alwaysRefused);
      if (accepted && !allowed) failures.push(`accepted: ${what}`);
      if (checked) {
        const after = await databaseDigest(db, tables);
        if (!accepted) failures.push(...changes(before, after, what));
        before = after;
      }
    }
    if (!checked) failures.push(...changes(before, await databaseDigest(db, tables), 'by the variants above'));
    if (process.env.QIHUB_BAD_VALUES_LOG) console.log(`${key}\n  ${seen.join('\n  ')}`);
    expect(failures).toEqual([]);
  });
});
