import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildTestApp, expectProblem, login } from '../support/app.ts';
import { CATALOGUE_TABLES, createTestDatabase, databaseDigest, type TestDatabase } from '../support/db.ts';
import { aServiceOf, aSiteOf, anInstrumentOf, newInstrumentBody, orgOf, USERS } from '../support/scenario.ts';

/**
 * Every route that takes input, fed missing, extra and wrong-typed fields by an actor who would
 * otherwise be allowed: each answer is 400 problem+json with field errors, and nothing changes.
 */
let db: TestDatabase;
let app: FastifyInstance;
let manager: string;
let labId: string;
let instrumentId: string;
let serviceId: string;
let siteId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await buildTestApp(db);
  manager = await login(app, USERS.lab);
  labId = await orgOf(db, USERS.lab);
  instrumentId = (await anInstrumentOf(db, labId)).id;
  serviceId = (await aServiceOf(db, labId)).id;
  siteId = await aSiteOf(db, labId);
});
afterAll(async () => {
  await app.close();
  await db.drop();
});

type Case = {
  name: string;
  method: 'POST' | 'PATCH' | 'GET';
  url: () => string;
  payload?: unknown | (() => unknown);
  path?: string;
  code?: string;
};

const registerBody = {
  kind: 'enterprise',
  email: 'bad.input@example.cn',
  password: 'long-enough-password',
  displayName: '测试',
  organisation: { nameZh: '坏输入有限公司', creditCode: '91320594MA1MBKQ15M', regionCode: '320500' },
};
const serviceBody = { kind: 'training', nameZh: '内审员培训', priceModel: 'fixed', priceAmount: 180000 };

const cases: Case[] = [
  {
    name: 'login: missing password',
    method: 'POST',
    url: () => '/v1/auth/login',
    payload: { email: 'a@b.cn' },
    path: '/password',
    code: 'required',
  },
  {
    name: 'login: extra field',
    method: 'POST',
    url: () => '/v1/auth/login',
    payload: { email: 'a@b.cn', password: 'x', admin: true },
    path: '/admin',
    code: 'unknown_field',
  },
  {
    name: 'login: wrong type',
    method: 'POST',
    url: () => '/v1/auth/login',
    payload: { email: 42, password: 'x' },
    path: '/email',
    code: 'invalid_type',
  },
  {
    name: 'login: not an email',
    method: 'POST',
    url: () => '/v1/auth/login',
    payload: { email: 'nope', password: 'x' },
    path: '/email',
    code: 'invalid_format',
  },
  { name: 'login: no body', method: 'POST', url: () => '/v1/auth/login', path: '/', code: 'invalid_type' },
  {
    name: 'register: missing organisation',
    method: 'POST',
    url: () => '/v1/auth/register',
    payload: { ...registerBody, organisation: undefined },
    path: '/organisation',
    code: 'required',
  },
  {
    name: 'register: extra nested field',
    method: 'POST',
    url: () => '/v1/auth/register',
    payload: { ...registerBody, organisation: { ...registerBody.organisation, status: 'active' } },
    path: '/organisation/status',
    code: 'unknown_field',
  },
  {
    name: 'register: short password',
    method: 'POST',
    url: () => '/v1/auth/register',
    payload: { ...registerBody, password: 'short' },
    path: '/password',
    code: 'too_short',
  },
  {
    name: 'register: unknown kind',
    method: 'POST',
    url: () => '/v1/auth/register',
    payload: { ...registerBody, kind: 'platform' },
    path: '/kind',
    code: 'invalid_value',
  },
  {
    name: 'instrument create: missing name',
    method: 'POST',
    url: () => `/v1/labs/${labId}/instruments`,
    payload: () => ({ ...newInstrumentBody(siteId), nameZh: undefined }),
    path: '/nameZh',
    code: 'required',
  },
  {
    name: 'instrument create: extra field',
    method: 'POST',
    url: () => `/v1/labs/${labId}/instruments`,
    payload: () => ({ ...newInstrumentBody(siteId), labId: 'x' }),
    path: '/labId',
    code: 'unknown_field',
  },
  {
    name: 'instrument create: float money',
    method: 'POST',
    url: () => `/v1/labs/${labId}/instruments`,
    payload: () =>
      newInstrumentBody(siteId, {
        rates: { internalHour: 1.5, externalHour: null, internalSample: null, externalSample: null },
      }),
    path: '/rates/internalHour',
    code: 'invalid_type',
  },
  {
    name: 'instrument create: negative units',
    method: 'POST',
    url: () => `/v1/labs/${labId}/instruments`,
    payload: () => newInstrumentBody(siteId, { unitCount: 0 }),
    path: '/unitCount',
    code: 'too_small',
  },
  {
    name: 'instrument create: unknown category',
    method: 'POST',
    url: () => `/v1/labs/${labId}/instruments`,
    payload: () => newInstrumentBody(siteId, { categoryCode: 'teleporter' }),
    path: '/categoryCode',
    code: 'unknown_category',
  },
  {
    name: 'instrument create: bad lab id',
    method: 'POST',
    url: () => '/v1/labs/not-a-uuid/instruments',
    payload: () => newInstrumentBody(siteId),
    path: '/labId',
    code: 'invalid_format',
  },
  {
    name: 'instrument patch: empty',
    method: 'PATCH',
    url: () => `/v1/instruments/${instrumentId}`,
    payload: {},
    path: '/',
    code: 'too_few',
  },
  {
    name: 'instrument patch: wrong type',
    method: 'PATCH',
    url: () => `/v1/instruments/${instrumentId}`,
    payload: { techniques: 'SEM' },
    path: '/techniques',
    code: 'invalid_type',
  },
  {
    name: 'instrument patch: extra field',
    method: 'PATCH',
    url: () => `/v1/instruments/${instrumentId}`,
    payload: () => ({ labId }),
    path: '/labId',
    code: 'unknown_field',
  },
  {
    name: 'instrument patch: retired via status',
    method: 'PATCH',
    url: () => `/v1/instruments/${instrumentId}`,
    payload: { status: 'retired' },
    path: '/status',
    code: 'invalid_value',
  },
  {
    name: 'instrument patch: bad id',
    method: 'PATCH',
    url: () => '/v1/instruments/123',
    payload: { nameEn: 'x' },
    path: '/id',
    code: 'invalid_format',
  },
  {
    name: 'instrument retire: bad id',
    method: 'POST',
    url: () => '/v1/instruments/123/retire',
    path: '/id',
    code: 'invalid_format',
  },
  {
    name: 'service create: missing kind',
    method: 'POST',
    url: () => `/v1/labs/${labId}/services`,
    payload: { ...serviceBody, kind: undefined },
    path: '/kind',
    code: 'required',
  },
  {
    name: 'service create: unknown kind',
    method: 'POST',
    url: () => `/v1/labs/${labId}/services`,
    payload: { ...serviceBody, kind: 'astrology' },
    path: '/kind',
    code: 'invalid_value',
  },
  {
    name: 'service create: price missing',
    method: 'POST',
    url: () => `/v1/labs/${labId}/services`,
    payload: { ...serviceBody, priceAmount: null },
    path: '/priceAmount',
    code: 'required',
  },
  {
    name: 'service patch: extra field',
    method: 'PATCH',
    url: () => `/v1/services/${serviceId}`,
    payload: { searchText: 'x' },
    path: '/searchText',
    code: 'unknown_field',
  },
  {
    name: 'service patch: string price',
    method: 'PATCH',
    url: () => `/v1/services/${serviceId}`,
    payload: { priceAmount: 'free' },
    path: '/priceAmount',
    code: 'invalid_type',
  },
  {
    name: 'token create: missing name',
    method: 'POST',
    url: () => `/v1/orgs/${labId}/api-tokens`,
    payload: {},
    path: '/name',
    code: 'required',
  },
  {
    name: 'token create: bad role',
    method: 'POST',
    url: () => `/v1/orgs/${labId}/api-tokens`,
    payload: { name: 'x', role: 'admin' },
    path: '/role',
    code: 'invalid_value',
  },
  { name: 'lab: bad id', method: 'GET', url: () => '/v1/labs/xyz', path: '/id', code: 'invalid_format' },
  {
    name: 'services: bad kind filter',
    method: 'GET',
    url: () => '/v1/services?kind=astrology',
    path: '/kind',
    code: 'invalid_value',
  },
  {
    name: 'regions: bad level',
    method: 'GET',
    url: () => '/v1/regions?level=planet',
    path: '/level',
    code: 'invalid_value',
  },
  {
    name: 'service create: extra field',
    method: 'POST',
    url: () => `/v1/labs/${labId}/services`,
    payload: () => ({ ...serviceBody, labId }),
    path: '/labId',
    code: 'unknown_field',
  },
  {
    name: 'service retire: bad id',
    method: 'POST',
    url: () => '/v1/services/nope/retire',
    path: '/id',
    code: 'invalid_format',
  },
  {
    name: 'service detail: bad id',
    method: 'GET',
    url: () => '/v1/services/nope',
    path: '/id',
    code: 'invalid_format',
  },
  {
    name: 'instrument detail: bad id',
    method: 'GET',
    url: () => '/v1/instruments/nope',
    path: '/id',
    code: 'invalid_format',
  },
  {
    name: 'lab instruments: bad status',
    method: 'GET',
    url: () => `/v1/labs/${labId}/instruments?status=lost`,
    path: '/status',
    code: 'invalid_value',
  },
  {
    name: 'token revoke: bad token id',
    method: 'POST',
    url: () => `/v1/orgs/${labId}/api-tokens/nope/revoke`,
    path: '/tokenId',
    code: 'invalid_format',
  },
  {
    name: 'tokens list: bad org id',
    method: 'GET',
    url: () => '/v1/orgs/nope/api-tokens',
    path: '/orgId',
    code: 'invalid_format',
  },
  {
    name: 'token create: bad expiry',
    method: 'POST',
    url: () => `/v1/orgs/${labId}/api-tokens`,
    payload: { name: 'x', expiresAt: 'tomorrow' },
    path: '/expiresAt',
    code: 'invalid_format',
  },
  {
    name: 'admit: bad id',
    method: 'POST',
    url: () => '/v1/admin/labs/nope/admit',
    path: '/id',
    code: 'invalid_format',
  },
  {
    name: 'admin labs: bad status',
    method: 'GET',
    url: () => '/v1/admin/labs?status=gone',
    path: '/status',
    code: 'invalid_value',
  },
  {
    name: 'register: bad region code',
    method: 'POST',
    url: () => '/v1/auth/register',
    payload: { ...registerBody, organisation: { ...registerBody.organisation, regionCode: '3205' } },
    path: '/organisation/regionCode',
    code: 'invalid_format',
  },
  {
    name: 'regions: bad parent',
    method: 'GET',
    url: () => '/v1/regions?parent=12',
    path: '/parent',
    code: 'invalid_format',
  },
];

describe('bad input changes nothing', () => {
  it.each(cases)('$name → 400', async (c) => {
    const before = await databaseDigest(db, CATALOGUE_TABLES);
    const res = await app.inject({
      method: c.method,
      url: c.url(),
      headers: bearer(manager),
      ...(c.payload !== undefined
        ? { payload: (typeof c.payload === 'function' ? c.payload() : c.payload) as object }
        : {}),
    });
    const body = expectProblem(res, 400, c.path ? 'validation_failed' : 'malformed_body');
    if (c.path) {
      expect(body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: c.path, code: c.code })]));
    }
    expect(await databaseDigest(db, CATALOGUE_TABLES)).toEqual(before);
  });

  it('malformed JSON and the wrong content type are problems too', async () => {
    const before = await databaseDigest(db, CATALOGUE_TABLES);
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'content-type': 'application/json' },
        payload: '{"email":',
      }),
      400,
      'malformed_body',
    );
    expectProblem(
      await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        headers: { 'content-type': 'text/xml' },
        payload: '<a/>',
      }),
      415,
      'unsupported_media_type',
    );
    expectProblem(await app.inject({ method: 'GET', url: '/v1/nothing-here' }), 404, 'not_found');
    expect(await databaseDigest(db, CATALOGUE_TABLES)).toEqual(before);
  });
});
