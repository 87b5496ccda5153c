import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, login } from '../support/app.ts';
import { createTestDatabase, databaseDigest, type TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * The access matrix over every order-side endpoint, discovered from the API's own OpenAPI document
 * (so an endpoint added later is covered without editing this file): strangers — another
 * enterprise, another lab, an unassigned service officer — get 404 on every one of them, the
 * anonymous get 401, and none of their calls changes a single row.
 */

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  minItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  exclusiveMinimum?: number;
  maximum?: number;
  format?: string;
  pattern?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  $ref?: string;
};

/** The document's named schemas (`components.schemas`), which a `$ref` points into. */
let named: Record<string, JsonSchema> = {};

/** The smallest value that a JSON schema accepts, for the common shapes our routes use. */
export function sampleOf(schema: JsonSchema | undefined, key = ''): unknown {
  if (!schema) return undefined;
  if (schema.$ref) return sampleOf(named[schema.$ref.replace('#/components/schemas/', '')], key);
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return sampleOf(alternatives.find((s) => s.type !== 'null') ?? alternatives[0], key);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => sampleOf(s, key) as object));
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of schema.required ?? []) out[name] = sampleOf(schema.properties?.[name], name);
      return out;
    }
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => sampleOf(schema.items, key));
    case 'integer':
    case 'number': {
      const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1);
      return Math.max(min, Math.min(schema.maximum ?? min, 1));
    }
    case 'boolean':
      return false;
    case 'string': {
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date') return '2027-03-01';
      if (schema.format === 'date-time') return '2027-03-01T02:00:00.000Z';
      if (schema.format === 'email') return 'someone@example.com';
      const length = Math.max(schema.minLength ?? 1, 4);
      return (key.toLowerCase().includes('reason') ? '理由说明' : '测试内容测试内容')
        .slice(0, Math.min(length, schema.maxLength ?? 64))
        .padEnd(length, '测');
    }
    default:
      return undefined;
  }
}

interface Operation {
  method: string;
  path: string;
  body: unknown;
  multipart: boolean;
}

let db: TestDatabase;
let app: FastifyInstance;
let tokens: Record<'sme' | 'sme2' | 'lab' | 'lab2' | 'officer' | 'operator', string>;
const ids: Record<string, string> = {};
let operations: Operation[] = [];

/** The tables a stranger's call could touch if access were broken. */
const ORDER_TABLES = [
  'orders',
  'order_lines',
  'order_events',
  'order_samples',
  'sample_custody_entries',
  'order_commission_scans',
  'reports',
  'report_sequences',
  'order_objections',
  'order_messages',
  'order_attachments',
  'order_ratings',
  'bookings',
  'notifications',
  'audit_log',
  'outbox',
];

async function seedOrder() {
  const customerOrgId = await orgOf(db, USERS.sme);
  const labId = await orgOf(db, USERS.lab);
  const { rows: users } = await db.pool.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [USERS.sme]);
  const { rows: svc } = await db.pool.query<{ id: string }>(
    `SELECT id FROM services WHERE lab_id = $1 AND kind = 'commissioned_test' AND status = 'active' ORDER BY name_zh LIMIT 1`,
    [labId],
  );
  const orderId = randomUUID();
  await db.pool.query(
    `INSERT INTO orders (id, number, customer_org_id, lab_id, requested_by, status, title_zh, request_notes,
        subtotal_fen, total_fen, report_issued_at, objection_until)
     VALUES ($1, 'QI2099000001', $2, $3, $4, 'report_issued', '镀锌钢板中性盐雾试验', '矩阵测试', 90000, 90000,
        now(), now() + interval '15 days')`,
    [orderId, customerOrgId, labId, users[0]!.id],
  );
  const lineId = randomUUID();
  await db.pool.query(
    `INSERT INTO order_lines (id, order_id, position, service_id, kind, description_zh, parameter_zh, standard_code,
        quantity, unit, unit_price_fen, amount_fen)
     VALUES ($1, $2, 1, $3, 'commissioned_test', '中性盐雾试验 48 h', '中性盐雾试验', 'GB/T 10125-2021', 3, 'sample', 30000, 90000)`,
    [lineId, orderId, svc[0]?.id ?? null],
  );
  const sampleId = randomUUID();
  await db.pool.query(
    `INSERT INTO order_samples (id, order_id, code, name_zh, quantity, status) VALUES ($1, $2, 'QI2099000001-S1', '镀锌钢板 Q235B', 3, 'received')`,
    [sampleId, orderId],
  );
  const reportId = randomUUID();
  await db.pool.query(
    `INSERT INTO reports (id, order_id, lab_id, number, status, verification_code, issued_at)
     VALUES ($1, $2, $3, 'MATRIX-2099-000001', 'issued', $4, now())`,
    [reportId, orderId, labId, randomBytes(12).toString('base64url')],
  );
  const objectionId = randomUUID();
  await db.pool.query(
    `INSERT INTO order_objections (id, order_id, report_id, raised_by, reason) VALUES ($1, $2, $3, $4, '结果有疑问')`,
    [objectionId, orderId, reportId, users[0]!.id],
  );
  const messageId = randomUUID();
  await db.pool.query(
    `INSERT INTO order_messages (id, order_id, author_user_id, author_side, body) VALUES ($1, $2, $3, 'customer', '你好')`,
    [messageId, orderId, users[0]!.id],
  );
  const attachmentId = randomUUID();
  await db.pool.query(
    `INSERT INTO order_attachments (id, order_id, message_id, uploaded_by, file_name, content_type, size_bytes, sha256, storage_path)
     VALUES ($1, $2, $3, $4, 'a.txt', 'text/plain', 1, 'x', 'attachments/none')`,
    [attachmentId, orderId, messageId, users[0]!.id],
  );
  // The demo seed names officer@ as this enterprise's officer; the matrix starts from an unassigned one.
  await db.pool.query(`DELETE FROM enterprise_officers WHERE enterprise_id = $1`, [customerOrgId]);
  Object.assign(ids, {
    orderId,
    lineId,
    sampleId,
    reportId,
    objectionId,
    messageId,
    attachmentId,
    labId,
    customerOrgId,
  });
}

/** Path parameters by name; `{id}` is the order, or the report on /v1/reports/{id}…. */
function fillPath(path: string): string {
  const isReport = path.startsWith('/v1/reports/');
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'id') return isReport ? ids.reportId! : ids.orderId!;
    const key = name.endsWith('Id') ? name : `${name}Id`;
    return ids[key] ?? randomUUID();
  });
}

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db);
  await seedOrder();
  const entries = await Promise.all(
    (['sme', 'sme2', 'lab', 'lab2', 'officer', 'operator'] as const).map(
      async (k) => [k, await login(app, USERS[k])] as const,
    ),
  );
  tokens = Object.fromEntries(entries) as typeof tokens;
  const spec = app.swagger() as {
    paths: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
    components?: { schemas?: Record<string, JsonSchema> };
  };
  named = spec.components?.schemas ?? {};
  operations = Object.entries(spec.paths)
    .filter(([p]) => /^\/v1\/(orders\/\{id\}|reports\/\{id\})/.test(p))
    .flatMap(([p, methods]) =>
      Object.entries(methods)
        .filter(([m]) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
        .map(([m, op]) => {
          const content = op.requestBody?.content ?? {};
          const json = content['application/json']?.schema;
          return {
            method: m.toUpperCase(),
            path: fillPath(p.replace(/:(\w+)/g, '{$1}')),
            body: json ? sampleOf(json) : undefined,
            multipart: !json && Object.keys(content).some((c) => c.startsWith('multipart/')),
          };
        }),
    );
});
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

async function call(op: Operation, token: string | null) {
  return app.inject({
    method: op.method as 'GET',
    url: op.path,
    headers: token ? bearer(token) : {},
    ...(op.body !== undefined ? { payload: op.body as object } : {}),
  });
}

describe('order access matrix', () => {
  it('finds the order-side endpoints in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThan(0);
    expect(operations.some((o) => o.method === 'GET' && o.path === `/v1/orders/${ids.orderId}`)).toBe(true);
  });

  it('lets the customer, the lab and no one else read the order', async () => {
    const url = `/v1/orders/${ids.orderId}`;
    for (const who of ['sme', 'lab', 'operator'] as const) {
      const res = await app.inject({ method: 'GET', url, headers: bearer(tokens[who]) });
      expect(res.statusCode, `${who}: ${res.body}`).toBe(200);
    }
    for (const who of ['sme2', 'lab2', 'officer'] as const) {
      const res = await app.inject({ method: 'GET', url, headers: bearer(tokens[who]) });
      expect(res.statusCode, `${who}: ${res.body}`).toBe(404);
    }
  });

  it('a service officer reads the orders of the enterprises assigned to them, and only those', async () => {
    const { rows } = await db.pool.query<{ user_id: string; org_id: string }>(
      `SELECT m.user_id, m.org_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.email = $1`,
      [USERS.officer],
    );
    await db.pool.query(
      `INSERT INTO enterprise_officers (enterprise_id, platform_org_id, officer_user_id) VALUES ($1, $2, $3)
       ON CONFLICT (enterprise_id) DO UPDATE SET officer_user_id = EXCLUDED.officer_user_id, platform_org_id = EXCLUDED.platform_org_id`,
      [ids.customerOrgId, rows[0]!.org_id, rows[0]!.user_id],
    );
    try {
      const res = await app.inject({
        method: 'GET',
        url: `/v1/orders/${ids.orderId}`,
        headers: bearer(tokens.officer),
      });
      expect(res.statusCode, res.body).toBe(200);
    } finally {
      await db.pool.query(`DELETE FROM enterprise_officers WHERE enterprise_id = $1`, [ids.customerOrgId]);
    }
  });

  it('answers 401 to the anonymous on every endpoint', async () => {
    const failures: string[] = [];
    for (const op of operations) {
      const res = await call(op, null);
      if (res.statusCode !== 401)
        failures.push(`${op.method} ${op.path} → ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 404 to another enterprise, another lab and an unassigned officer on every endpoint, and changes nothing', async () => {
    const before = await databaseDigest(db, ORDER_TABLES);
    const failures: string[] = [];
    for (const who of ['sme2', 'lab2', 'officer'] as const) {
      for (const op of operations) {
        if (op.multipart) continue; // covered by the conversation tests with real uploads
        const res = await call(op, tokens[who]);
        if (res.statusCode !== 404) {
          failures.push(`${who}: ${op.method} ${op.path} → ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(await databaseDigest(db, ORDER_TABLES)).toEqual(before);
  });

  it('resolves every endpoint for the parties themselves (so the 404s above are about access, not a wrong path)', async () => {
    // Answers that are a real 404 for a party: nothing of that kind exists yet on this order.
    const legitimatelyMissing = [
      /\/rating\/reply$/,
      /\/photo$/,
      /\/rating$/,
      /\/attachments\/[^/]+$/,
      // No signed scan is attached to this order yet.
      /\/commission-form\/scan$/,
    ];
    const failures: string[] = [];
    for (const op of operations) {
      if (op.multipart || legitimatelyMissing.some((re) => re.test(op.path))) continue;
      const answers = await Promise.all([call(op, tokens.sme), call(op, tokens.lab)]);
      if (answers.every((res) => res.statusCode === 404)) {
        failures.push(`${op.method} ${op.path} → 404 for both parties: ${answers[1]!.body.slice(0, 160)}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
