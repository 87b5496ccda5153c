import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bearer, testClock, useSeededApp } from '../support/app.ts';
import { moneyDigest } from '../support/money-invariants.ts';
import { aLab, anOrder, ok, orgOf, serviceId, signIn, USERS } from '../factories/index.ts';

/**
 * The access matrix over every money endpoint (issue 11), discovered from the API's own OpenAPI
 * document by its `money` tag, so an endpoint added later is covered without editing this file:
 * another enterprise, another lab and another region's platform admin get 404 for the lab's and
 * the customer's things (403 where the endpoint is about no one object and is not theirs, e.g. the
 * admins' books for a non-admin), the anonymous get 401, nothing of it leaks into any answer, and
 * none of their calls changes a row of the money tables or the audit log.
 */
const clock = testClock(new Date('2026-11-26T02:00:00Z'));
const t = useSeededApp({ clock });

type Stranger = 'sme2' | 'lab2' | 'farAdmin';
const STRANGERS: Stranger[] = ['sme2', 'lab2', 'farAdmin'];
let tk: Record<'sme' | 'sme2' | 'lab' | 'lab2' | 'admin' | 'operator' | 'farAdmin', string>;
const ids: Record<string, string> = {};
/** What must never show in a stranger's answer: the invoice's id and payment reference (its number: `namesInvoice`). */
let secrets: string[] = [];
/** The lab's invoice number: numbers are per issuer, so only that lab's invoice with it is the secret. */
let secretNumber = '';

/** Whether an answer holds an invoice (anything with a number) of the lab with that number. */
function namesInvoice(value: unknown, number: string, labId: string): boolean {
  if (Array.isArray(value)) return value.some((v) => namesInvoice(v, number, labId));
  if (value === null || typeof value !== 'object') return false;
  const o = value as Record<string, unknown>;
  const lab = o.labId ?? (o.lab as { id?: unknown } | undefined)?.id ?? o.issuerId;
  if (o.number === number && (lab === undefined || lab === labId)) return true;
  return Object.values(o).some((v) => namesInvoice(v, number, labId));
}

interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  template: string;
  url: string;
  admin: boolean;
  aboutOne: boolean;
  body: unknown;
  contentType?: string;
}
let operations: Operation[] = [];

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  format?: string;
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  $ref?: string;
  anyOf?: Schema[];
};
type Spec = {
  paths: Record<
    string,
    Record<
      string,
      {
        tags?: string[];
        parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
  components?: { schemas?: Record<string, Schema> };
};

/** A value the schema accepts, for the shapes our money routes use (dates of 2026, ids of the matrix's rows). */
function sample(schema: Schema | undefined, key: string, named: Record<string, Schema>): unknown {
  if (!schema) return undefined;
  if (schema.$ref) return sample(named[schema.$ref.split('/').pop()!], key, named);
  if (schema.anyOf)
    return sample(
      schema.anyOf.find((s) => s.type !== 'null'),
      key,
      named,
    );
  if (schema.enum) return schema.enum[0];
  const type = Array.isArray(schema.type) ? schema.type.find((x) => x !== 'null') : schema.type;
  if (type === 'object') {
    const out: Record<string, unknown> = {};
    for (const name of schema.required ?? []) out[name] = sample(schema.properties?.[name], name, named);
    return out;
  }
  if (type === 'array') return [];
  if (type === 'integer' || type === 'number') return Math.max(schema.minimum ?? 1, 1);
  if (type === 'boolean') return false;
  if (schema.format === 'date' || schema.pattern?.includes('\\d{4}-'))
    return key === 'to' ? '2026-12-31' : '2026-01-01';
  if (schema.format === 'uuid') return ids[key] ?? randomUUID();
  if (schema.pattern) return fc.sample(fc.stringMatching(new RegExp(schema.pattern)), { numRuns: 1, seed: 11 })[0];
  return '矩阵测试';
}

/**
 * Path parameters: `{id}` of an invoice path is the invoice, `{labId}` the lab, `{orgId}` the
 * customer; any other a value its schema accepts (a fresh id, a month …).
 */
function fillPath(path: string, schemas: Record<string, Schema | undefined>, named: Record<string, Schema>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (name === 'id' && path.startsWith('/v1/invoices/')) return ids.invoiceId!;
    const schema = schemas[name];
    return ids[name] ?? (schema ? String(sample(schema, `${name}:path`, named)) : randomUUID());
  });
}

/** A platform in a region far from the lab's, with its admin signed in. */
async function farAdmin(): Promise<string> {
  const db = t.db.pool;
  const { rows: labRegion } = await db.query<{ region_code: string }>(
    `SELECT region_code FROM organisations WHERE id = $1`,
    [ids.labId],
  );
  const province = labRegion[0]!.region_code.slice(0, 2);
  const { rows: regions } = await db.query<{ code: string; level: string }>(
    `SELECT code, level FROM regions WHERE left(code, 2) <> $1 ORDER BY code LIMIT 1`,
    [province],
  );
  const platform = randomUUID();
  await db.query(
    `INSERT INTO organisations (id, kind, status, name_zh, name_en, region_code, platform_level)
     VALUES ($1, 'platform', 'active', '远方平台', 'Far platform', $2, $3)`,
    [platform, regions[0]!.code, regions[0]!.level],
  );
  const { rows: user } = await db.query<{ id: string }>(
    `INSERT INTO users (email, password_hash, display_name) VALUES ('far-admin@matrix.test', 'x', '远方管理员') RETURNING id`,
  );
  await db.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'admin')`, [user[0]!.id, platform]);
  const token = `qhs_${randomBytes(24).toString('base64url')}`;
  await db.query(`INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, '2030-01-01T00:00:00Z')`, [
    createHash('sha256').update(token).digest('hex'),
    user[0]!.id,
  ]);
  return token;
}

beforeAll(async () => {
  ids.labId = (await aLab(t).withDefaultOrderTerms().create()).id;
  const signed = await signIn(t.app, ['sme', 'sme2', 'lab', 'lab2', 'admin', 'operator']);
  tk = { ...signed, farAdmin: await farAdmin() };
  ids.customerOrgId = await orgOf(t.db, USERS.sme);
  ids.orgId = ids.customerOrgId; // /v1/orgs/{orgId}/…: the customer's own things
  // An accepted order: an invoice with its line and journals, in the lab's book.
  const saltSpray = await serviceId(t.db, ids.labId, '中性盐雾试验');
  const d = await anOrder(t, { customer: tk.sme, lab: tk.lab, labId: ids.labId }).ofService(saltSpray, 24).accepted();
  const { rows } = await t.db.pool.query<{ id: string; number: string; payment_reference: string }>(
    `SELECT i.id, i.number, i.payment_reference FROM invoices i JOIN invoice_lines l ON l.invoice_id = i.id
      WHERE l.source_id = $1`,
    [d.order.id],
  );
  ids.invoiceId = rows[0]!.id;
  ids.id = rows[0]!.id;
  // The demo customers have invoices of other labs too, whose numbers may equal this one's.
  secrets = [rows[0]!.id, rows[0]!.payment_reference];
  secretNumber = rows[0]!.number;
  STATEMENT = statement(rows[0]!.payment_reference, d.order.total.amount);
  // The lab's own statement line waiting in its queue: what a stranger would try to match or dismiss.
  const queued = await t.app.inject({
    method: 'POST',
    url: `/v1/labs/${ids.labId}/bank-statements`,
    headers: { ...bearer(tk.lab), 'content-type': 'text/csv; charset=utf-8' },
    payload: '交易日期,交易流水号,对方户名,摘要,收入金额\r\n2026-11-25,MX0100,某某公司,往来款,2.00\r\n',
  });
  expect(queued.statusCode, queued.body).toBe(200);
  const lines = await t.db.pool.query<{ id: string }>(`SELECT id FROM bank_statement_lines WHERE lab_id = $1`, [
    ids.labId,
  ]);
  ids.lineId = lines.rows[0]!.id;

  const spec = t.app.swagger() as unknown as Spec;
  const named = spec.components?.schemas ?? {};
  // The processor's webhook is public by design: it is authenticated by its signature, which
  // stripe.test.ts tries to forge.
  operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(
        ([m, op]) =>
          ['get', 'post', 'put', 'patch', 'delete'].includes(m) &&
          op.tags?.includes('money') &&
          !path.startsWith('/v1/webhooks/'),
      )
      .map(([m, op]) => {
        const template = path.replace(/:(\w+)/g, '{$1}');
        const query = new URLSearchParams();
        for (const p of op.parameters ?? []) {
          if (p.in === 'query' && p.required) query.set(p.name, String(sample(p.schema, p.name, named)));
        }
        const content = op.requestBody?.content ?? {};
        const json = content['application/json']?.schema;
        const csv = !json && Object.keys(content).some((c) => c.startsWith('text/csv'));
        return {
          method: m.toUpperCase() as Operation['method'],
          template,
          url:
            fillPath(
              template,
              Object.fromEntries((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => [p.name, p.schema])),
              named,
            ) + (query.size > 0 ? `?${query}` : ''),
          admin: template.startsWith('/v1/admin/'),
          aboutOne: /\{\w+\}/.test(template),
          body: json ? sample(json, '', named) : csv ? STATEMENT : undefined,
          ...(csv ? { contentType: 'text/csv; charset=utf-8' } : {}),
        };
      }),
  );
});

const send = (op: Pick<Operation, 'method' | 'url' | 'body' | 'contentType'>, token: string | null) =>
  t.app.inject({
    method: op.method,
    url: op.url,
    headers: { ...(token ? bearer(token) : {}), ...(op.contentType ? { 'content-type': op.contentType } : {}) },
    ...(op.body !== undefined ? { payload: op.body as object } : {}),
  });

/** A bank statement with one credit line that pays the matrix's invoice (and one that matches nothing). */
let STATEMENT = '';
const statement = (reference: string, amount: number) =>
  [
    '交易日期,交易流水号,对方户名,摘要,收入金额',
    `2026-11-26,MX0001,苏州示例五金有限公司,货款 ${reference},${(amount / 100).toFixed(2)}`,
    '2026-11-26,MX0002,某某公司,往来款,1.00',
  ].join('\r\n') + '\r\n';

async function audit(): Promise<string> {
  const { rows } = await t.db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM audit_log`);
  return `audit:${rows[0]!.n}`;
}

describe('money access matrix', () => {
  it('finds the money endpoints in the OpenAPI document', () => {
    const templates = operations.map((o) => `${o.method} ${o.template}`);
    expect(templates).toEqual(
      expect.arrayContaining([
        'GET /v1/invoices',
        'GET /v1/invoices/{id}',
        'GET /v1/admin/ledger/trial-balance',
        'GET /v1/labs/{labId}/ledger/trial-balance',
        'POST /v1/labs/{labId}/bank-statements',
        'GET /v1/labs/{labId}/bank-lines',
        'POST /v1/labs/{labId}/bank-lines/{lineId}/match',
        'POST /v1/invoices/{id}/fapiao-request',
        'PUT /v1/orgs/{orgId}/fapiao-title',
      ]),
    );
  });

  it('lets the customer and the lab read the invoice, the lab and the region’s admin their books', async () => {
    for (const who of ['sme', 'lab'] as const) {
      const inv = ok<{ id: string }>(
        await send({ method: 'GET', url: `/v1/invoices/${ids.invoiceId}`, body: undefined }, tk[who]),
      );
      expect(inv.id).toBe(ids.invoiceId);
      const list = ok<{ items: { id: string }[] }>(
        await send({ method: 'GET', url: '/v1/invoices', body: undefined }, tk[who]),
      );
      expect(list.items.map((i) => i.id)).toContain(ids.invoiceId);
    }
    const period = 'from=2026-01-01&to=2026-12-31';
    type TB = { accounts: { book: { id: string } }[] };
    const own = ok<TB>(
      await send(
        { method: 'GET', url: `/v1/labs/${ids.labId}/ledger/trial-balance?${period}`, body: undefined },
        tk.lab,
      ),
    );
    expect(own.accounts.length).toBeGreaterThan(0);
    const region = ok<TB>(
      await send({ method: 'GET', url: `/v1/admin/ledger/trial-balance?${period}`, body: undefined }, tk.admin),
    );
    expect(region.accounts.some((a) => a.book.id === ids.labId)).toBe(true);
    const queue = ok<{ items: { id: string }[] }>(
      await send({ method: 'GET', url: `/v1/labs/${ids.labId}/bank-lines`, body: undefined }, tk.lab),
    );
    expect(queue.items.map((l) => l.id)).toContain(ids.lineId);
    // The lab's operator runs instruments; the books are its managers' and staff's.
    const op = await send(
      { method: 'GET', url: `/v1/labs/${ids.labId}/ledger/trial-balance?${period}`, body: undefined },
      tk.operator,
    );
    expect(op.statusCode).toBe(403);
  });

  it('answers strangers 404 (403 for the admins’ books), the anonymous 401, leaks nothing and changes nothing', async () => {
    const before = (await moneyDigest(t.db)) + (await audit());
    const seen: string[] = [];
    for (const op of operations) {
      const anonymous = await send(op, null);
      expect(anonymous.statusCode, `anonymous ${op.method} ${op.url}: ${anonymous.body}`).toBe(401);
      for (const who of STRANGERS) {
        const res = await send(op, tk[who]);
        const label = `${who} ${op.method} ${op.url}: ${res.statusCode} ${res.body.slice(0, 300)}`;
        seen.push(`${who} ${op.method} ${op.template} ${res.statusCode}`);
        // A problem names the URL it answers (`instance`): that is the caller's own words, not a leak.
        const { instance: _url, ...answer } = res.json<Record<string, unknown>>();
        for (const secret of secrets) expect(JSON.stringify(answer), label).not.toContain(secret);
        expect(namesInvoice(answer, secretNumber, ids.labId!), label).toBe(false);
        const isAdmin = who === 'farAdmin';
        if (op.admin && !isAdmin) expect(res.statusCode, label).toBe(403);
        else if (op.aboutOne) expect(res.statusCode, label).toBe(404);
        else if (op.method === 'GET') {
          expect(res.statusCode, label).toBe(200);
          // Nothing of the lab's or its customer's in a stranger's list or books. sme2's enterprise is
          // a customer of the demo lab too (its seeded instrument time): its own invoices name the
          // lab, so for it nothing of the lab's other customer may show.
          expect(res.body, label).not.toContain(who === 'sme2' ? ids.customerOrgId : ids.labId);
        } else expect([403, 404], label).toContain(res.statusCode);
      }
    }
    expect(seen.length).toBeGreaterThanOrEqual(12);
    expect((await moneyDigest(t.db)) + (await audit())).toBe(before);
  });

  it('filters by the lab or the customer do not open another organisation’s invoices', async () => {
    for (const who of STRANGERS) {
      for (const q of [`labId=${ids.labId}`, `customerOrgId=${ids.customerOrgId}`, 'status=open']) {
        const list = ok<{ items: { id: string }[] }>(
          await send({ method: 'GET', url: `/v1/invoices?${q}`, body: undefined }, tk[who]),
        );
        expect(
          list.items.map((i) => i.id),
          `${who} ?${q}`,
        ).not.toContain(ids.invoiceId);
      }
    }
  });

  it('a platform admin is no customer of the lab’s invoices: 404 even in the lab’s own region', async () => {
    const res = await send({ method: 'GET', url: `/v1/invoices/${ids.invoiceId}`, body: undefined }, tk.admin);
    expect(res.statusCode).toBe(404);
  });
});
