import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, expectProblem, login } from '../support/app.ts';
import { createTestDatabase, databaseDigest, CATALOGUE_TABLES, type TestDatabase } from '../support/db.ts';
import { aServiceOf, aSiteOf, anInstrumentOf, newInstrumentBody, orgOf, USERS } from '../support/scenario.ts';
import { aLab, anInstrument } from '../factories/index.ts';

let db: TestDatabase;
let app: FastifyInstance;
let labId: string;
let otherLabId: string;
let tokens: Record<keyof typeof USERS, string>;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db);
  labId = await orgOf(db, USERS.lab);
  otherLabId = await orgOf(db, USERS.lab2);
  expect(labId).not.toBe(otherLabId);
  const entries = await Promise.all(
    Object.entries(USERS).map(async ([k, email]) => [k, await login(app, email)] as const),
  );
  tokens = Object.fromEntries(entries) as typeof tokens;
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

async function auditRows(entityId: string) {
  const { rows } = await db.pool.query<{
    action: string;
    actor_user_id: string;
    before: unknown;
    after: Record<string, unknown>;
  }>('SELECT action, actor_user_id, before, after FROM audit_log WHERE entity_id = $1 ORDER BY id', [entityId]);
  return rows;
}

describe('a lab manager runs their own catalogue', () => {
  it('creates, edits and retires an instrument, each step audited', async () => {
    const siteId = await aSiteOf(db, labId);
    const created = await app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/instruments`,
      headers: bearer(tokens.lab),
      payload: newInstrumentBody(siteId),
    });
    expect(created.statusCode, created.body).toBe(201);
    const instrument = created.json<{ id: string; unitCount: number; rates: { externalHour: { amount: number } } }>();
    expect(instrument.rates.externalHour.amount).toBe(40000);
    const { rows: units } = await db.pool.query(
      'SELECT position FROM instrument_units WHERE instrument_id = $1 AND active',
      [instrument.id],
    );
    expect(units.length).toBe(2);

    // Searchable at once, in both languages.
    const found = await app.inject({
      method: 'GET',
      url: `/v1/instruments?q=${encodeURIComponent('场发射扫描电子显微镜（测试）')}`,
    });
    expect(found.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(instrument.id);

    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1/instruments/${instrument.id}`,
      headers: bearer(tokens.lab),
      payload: {
        nameEn: 'Renamed SEM',
        rates: { internalHour: 10000, externalHour: 45000, internalSample: null, externalSample: 8000 },
      },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(
      patched.json<{ nameEn: string; rates: { externalSample: { amount: number } } }>().rates.externalSample.amount,
    ).toBe(8000);
    const renamed = await app.inject({ method: 'GET', url: '/v1/instruments?q=renamed' });
    expect(renamed.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toEqual([instrument.id]);

    const retired = await app.inject({
      method: 'POST',
      url: `/v1/instruments/${instrument.id}/retire`,
      headers: bearer(tokens.lab),
    });
    expect(retired.statusCode).toBe(200);
    expect(retired.json<{ status: string }>().status).toBe('retired');
    // Gone from the public catalogue, still in the lab's own list.
    expectProblem(await app.inject({ method: 'GET', url: `/v1/instruments/${instrument.id}` }), 404, 'not_found');
    const own = await app.inject({
      method: 'GET',
      url: `/v1/labs/${labId}/instruments?status=retired`,
      headers: bearer(tokens.lab),
    });
    expect(own.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(instrument.id);
    expectProblem(
      await app.inject({
        method: 'PATCH',
        url: `/v1/instruments/${instrument.id}`,
        headers: bearer(tokens.lab),
        payload: { nameEn: 'x' },
      }),
      409,
      'instrument_retired',
    );

    const audit = await auditRows(instrument.id);
    expect(audit.map((a) => a.action)).toEqual(['instrument.created', 'instrument.updated', 'instrument.retired']);
    expect(audit[1]!.before).toMatchObject({ nameEn: 'Field-emission SEM (test)', externalRateHour: 40000 });
    expect(audit[1]!.after).toMatchObject({ nameEn: 'Renamed SEM', externalRateHour: 45000 });
    expect(new Set(audit.map((a) => a.actor_user_id)).size).toBe(1);
  });

  it('creates, edits and retires a service, checking price and instruments', async () => {
    const own = await anInstrumentOf(db, labId);
    const foreign = await anInstrumentOf(db, otherLabId);
    const base = {
      kind: 'commissioned_test',
      nameZh: '金属材料室温拉伸试验（测试）',
      nameEn: 'Tensile test at room temperature (test)',
      standardMethods: ['GB/T 228.1-2021'],
      priceModel: 'per_sample',
      priceAmount: 30000,
      turnaroundDays: 5,
    };
    const wrong = await app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/services`,
      headers: bearer(tokens.lab),
      payload: { ...base, priceModel: 'on_quote', instrumentIds: [own.id, foreign.id] },
    });
    const problem = expectProblem(wrong, 400, 'validation_failed');
    expect(problem.errors!.map((e) => `${e.path}:${e.code}`).sort()).toEqual([
      '/instrumentIds/1:unknown_instrument',
      '/priceAmount:price_not_allowed',
    ]);

    const created = await app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/services`,
      headers: bearer(tokens.lab),
      payload: { ...base, instrumentIds: [own.id] },
    });
    expect(created.statusCode, created.body).toBe(201);
    const service = created.json<{ id: string; instruments: { id: string }[] }>();
    expect(service.instruments.map((i) => i.id)).toEqual([own.id]);
    const patched = await app.inject({
      method: 'PATCH',
      url: `/v1/services/${service.id}`,
      headers: bearer(tokens.lab),
      payload: { priceModel: 'on_quote', priceAmount: null },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<{ price: unknown }>().price).toBeNull();
    const retired = await app.inject({
      method: 'POST',
      url: `/v1/services/${service.id}/retire`,
      headers: bearer(tokens.lab),
    });
    expect(retired.json<{ status: string }>().status).toBe('retired');
    expect((await auditRows(service.id)).map((a) => a.action)).toEqual([
      'service.created',
      'service.updated',
      'service.retired',
    ]);

    // The console list has it in every status; the storefront no longer does.
    const list = async (query: string, who: keyof typeof USERS = 'lab') =>
      app.inject({ method: 'GET', url: `/v1/labs/${labId}/services${query}`, headers: bearer(tokens[who]) });
    const all = (await list('?limit=100')).json<{ items: { id: string; status: string }[] }>();
    expect(all.items.find((i) => i.id === service.id)?.status).toBe('retired');
    expect(all.items.some((i) => i.status === 'active')).toBe(true);
    const retiredOnly = (await list('?status=retired&limit=100')).json<{ items: { id: string; status: string }[] }>();
    expect(retiredOnly.items.map((i) => i.id)).toContain(service.id);
    expect(retiredOnly.items.every((i) => i.status === 'retired')).toBe(true);
    const active = (await list('?status=active&limit=100')).json<{ items: { id: string }[] }>();
    expect(active.items.map((i) => i.id)).not.toContain(service.id);
    const storefront = await app.inject({ method: 'GET', url: `/v1/services?lab=${labId}&limit=100` });
    expect(storefront.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(service.id);
    // Operators see the list too (they are members); other labs and customers do not.
    expect((await list('', 'operator')).statusCode).toBe(200);
    expectProblem(await list('', 'lab2'), 403, 'forbidden');
    expectProblem(await list('', 'sme'), 403, 'forbidden');
    expectProblem(await app.inject({ method: 'GET', url: `/v1/labs/${labId}/services` }), 401, 'unauthenticated');
    expectProblem(await list('?status=lost'), 400, 'validation_failed');
  });

  it("pages the console's service list without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: LightMyRequestResponse = await app.inject({
        method: 'GET',
        url: `/v1/labs/${labId}/services?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        headers: bearer(tokens.lab),
      });
      expect(res.statusCode, res.body).toBe(200);
      const page: { items: { id: string }[]; nextCursor: string | null } = res.json();
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    const { rows } = await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM services WHERE lab_id = $1', [
      labId,
    ]);
    expect(seen.length).toBe(rows[0]!.n);
    expect(new Set(seen).size).toBe(seen.length);
  });
});

describe('nobody else can touch a lab catalogue', () => {
  const who = ['lab2', 'operator', 'sme', 'sme2', 'admin', 'anonymous'] as const;

  it.each(who)('%s cannot create, edit or retire the demo lab instruments and services', async (actor) => {
    const instrument = await anInstrumentOf(db, labId);
    const service = await aServiceOf(db, labId);
    const siteId = await aSiteOf(db, labId);
    const headers = actor === 'anonymous' ? {} : bearer(tokens[actor]);
    const expected = actor === 'anonymous' ? ([401, 'unauthenticated'] as const) : ([403, 'forbidden'] as const);
    const before = await databaseDigest(
      db,
      CATALOGUE_TABLES.filter((t) => t !== 'sessions'),
    );

    const attempts = [
      { method: 'POST' as const, url: `/v1/labs/${labId}/instruments`, payload: newInstrumentBody(siteId) },
      { method: 'PATCH' as const, url: `/v1/instruments/${instrument.id}`, payload: { nameZh: '被篡改的名称' } },
      { method: 'POST' as const, url: `/v1/instruments/${instrument.id}/retire` },
      {
        method: 'POST' as const,
        url: `/v1/labs/${labId}/services`,
        payload: { kind: 'training', nameZh: '培训课程', priceModel: 'fixed', priceAmount: 100 },
      },
      { method: 'PATCH' as const, url: `/v1/services/${service.id}`, payload: { nameZh: '被篡改的服务' } },
      { method: 'POST' as const, url: `/v1/services/${service.id}/retire` },
      { method: 'GET' as const, url: `/v1/labs/${labId}/instruments` },
    ];
    // Operators are lab members: they may see the lab's own list, not change it.
    for (const attempt of attempts.filter((a) => !(actor === 'operator' && a.method === 'GET'))) {
      const res = await app.inject({ ...attempt, headers });
      expectProblem(res, expected[0], expected[1]);
    }
    expect(
      await databaseDigest(
        db,
        CATALOGUE_TABLES.filter((t) => t !== 'sessions'),
      ),
    ).toEqual(before);
  });

  it('the other lab manager may not put an instrument on the demo lab site, nor use another lab site', async () => {
    const foreignSite = await aSiteOf(db, otherLabId);
    const res = await app.inject({
      method: 'POST',
      url: `/v1/labs/${labId}/instruments`,
      headers: bearer(tokens.lab),
      payload: newInstrumentBody(foreignSite),
    });
    const body = expectProblem(res, 400, 'validation_failed');
    expect(body.errors).toEqual([expect.objectContaining({ path: '/siteId', code: 'unknown_site' })]);
  });

  it('unknown ids are 404, and a lab one does not belong to is 403 whether it exists or not', async () => {
    const ghost = '00000000-0000-4000-8000-000000000001';
    expectProblem(
      await app.inject({
        method: 'PATCH',
        url: `/v1/instruments/${ghost}`,
        headers: bearer(tokens.lab),
        payload: { nameEn: 'x' },
      }),
      404,
      'not_found',
    );
    expectProblem(
      await app.inject({
        method: 'POST',
        url: `/v1/labs/${ghost}/instruments`,
        headers: bearer(tokens.lab),
        payload: newInstrumentBody(ghost),
      }),
      403,
      'forbidden',
    );
  });
});

describe('API tokens for lab integrations', () => {
  it('a manager mints a token that acts for the lab, and revoking it ends that', async () => {
    const created = await app.inject({
      method: 'POST',
      url: `/v1/orgs/${labId}/api-tokens`,
      headers: bearer(tokens.lab),
      payload: { name: 'LIMS 集成', role: 'manager' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { token, id } = created.json<{ token: string; id: string }>();
    expect(token).toMatch(/^qht_/);
    const { rows } = await db.pool.query<{ token_hash: string }>('SELECT token_hash FROM api_tokens WHERE id = $1', [
      id,
    ]);
    expect(rows[0]!.token_hash).not.toContain(token);

    const instrument = await anInstrumentOf(db, labId);
    const viaToken = await app.inject({
      method: 'PATCH',
      url: `/v1/instruments/${instrument.id}`,
      headers: bearer(token),
      payload: { descriptionEn: 'Updated by the LIMS' },
    });
    expect(viaToken.statusCode, viaToken.body).toBe(200);
    const foreign = await anInstrumentOf(db, otherLabId);
    expectProblem(
      await app.inject({
        method: 'PATCH',
        url: `/v1/instruments/${foreign.id}`,
        headers: bearer(token),
        payload: { descriptionEn: 'x' },
      }),
      403,
      'forbidden',
    );
    // A token cannot mint tokens, and other labs cannot list this lab's tokens.
    expectProblem(
      await app.inject({
        method: 'POST',
        url: `/v1/orgs/${labId}/api-tokens`,
        headers: bearer(token),
        payload: { name: 'x' },
      }),
      403,
      'forbidden',
    );
    expectProblem(
      await app.inject({ method: 'GET', url: `/v1/orgs/${labId}/api-tokens`, headers: bearer(tokens.lab2) }),
      404,
      'not_found',
    );

    const revoked = await app.inject({
      method: 'POST',
      url: `/v1/orgs/${labId}/api-tokens/${id}/revoke`,
      headers: bearer(tokens.lab),
    });
    expect(revoked.statusCode).toBe(200);
    expectProblem(
      await app.inject({
        method: 'PATCH',
        url: `/v1/instruments/${instrument.id}`,
        headers: bearer(token),
        payload: { descriptionEn: 'y' },
      }),
      401,
      'unauthenticated',
    );
  });
});

describe('a lab manager runs their own catalogue, at the same time as others', () => {
  it('takes concurrent price edits of one service without a 500 or a price that breaks its model', async () => {
    const labId = await orgOf(db, USERS.lab);
    const manager = await login(app, USERS.lab);
    const { id } = await aServiceOf(db, labId);
    const edits = Array.from({ length: 30 }, (_, i) =>
      app.inject({
        method: 'PATCH',
        url: `/v1/services/${id}`,
        headers: bearer(manager),
        payload: i % 2 === 0 ? { priceModel: 'on_quote', priceAmount: null } : { priceAmount: 555 + i },
      }),
    );
    const statuses = (await Promise.all(edits)).map((r) => r.statusCode);
    expect(statuses.every((s) => s === 200 || s === 400)).toBe(true);
    const { rows } = await db.pool.query<{ price_model: string; price_amount: number | null }>(
      'SELECT price_model, price_amount FROM services WHERE id = $1',
      [id],
    );
    expect((rows[0]!.price_model === 'on_quote') === (rows[0]!.price_amount === null)).toBe(true);
  });
});

describe('nobody else can touch a lab catalogue, retired entries included', () => {
  it("answers another lab's retired instrument with 404, not 403", async () => {
    const lab = await aLab({ app, db }).withInstrument(anInstrument()).create();
    const id = lab.instruments[0]!.id;
    await app.inject({ method: 'POST', url: `/v1/instruments/${id}/retire`, headers: bearer(lab.managerToken) });
    const other = await login(app, USERS.lab2);
    expectProblem(
      await app.inject({
        method: 'PATCH',
        url: `/v1/instruments/${id}`,
        headers: bearer(other),
        payload: { nameEn: 'x' },
      }),
      404,
      'not_found',
    );
  });
});

describe('API tokens outlive nobody', () => {
  it('stop working when the manager who minted them leaves the lab or is disabled', async () => {
    const labId = await orgOf(db, USERS.lab);
    const manager = await login(app, USERS.lab);
    const mint = async (name: string) =>
      (
        await app.inject({
          method: 'POST',
          url: `/v1/orgs/${labId}/api-tokens`,
          headers: bearer(manager),
          payload: { name, role: 'manager' },
        })
      ).json<{ token: string }>().token;
    const first = await mint('LIMS');
    const second = await mint('Instrument PC');
    const instrument = await anInstrumentOf(db, labId);
    const touch = (token: string) =>
      app.inject({
        method: 'PATCH',
        url: `/v1/instruments/${instrument.id}`,
        headers: bearer(token),
        payload: { descriptionEn: 'ping' },
      });
    expect((await touch(first)).statusCode).toBe(200);

    await db.pool.query(
      "UPDATE memberships SET role = 'staff' WHERE user_id = (SELECT id FROM users WHERE email = $1)",
      [USERS.lab],
    );
    expectProblem(await touch(first), 401, 'unauthenticated');
    await db.pool.query(
      "UPDATE memberships SET role = 'manager' WHERE user_id = (SELECT id FROM users WHERE email = $1)",
      [USERS.lab],
    );
    expect((await touch(second)).statusCode).toBe(200);
    await db.pool.query('UPDATE users SET disabled_at = now() WHERE email = $1', [USERS.lab]);
    expectProblem(await touch(second), 401, 'unauthenticated');
    await db.pool.query('UPDATE users SET disabled_at = NULL WHERE email = $1', [USERS.lab]);
  });
});
