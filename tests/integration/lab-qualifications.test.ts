import { describe, expect, it } from 'vitest';
import { markScope } from '@qihub/api/modules/orders/accreditation-scope';
import { localDate } from '@qihub/api/lib/time';
import { bearer, expectProblem, login, testClock, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * A lab keeps its CMA / CNAS certificates: managers add, edit and withdraw them with their scope
 * lines; members read them; other labs get 404. A certificate gives its mark up to and including
 * its last valid day in China time, and none from the next day (or from the day it is withdrawn).
 */
const clock = testClock(new Date('2026-12-31T15:59:59Z')); // 23:59:59 on 31 December in Shanghai
const t = useSeededApp({ clock });

interface Qual {
  id: string;
  state: string;
  number: string;
  withdrawnOn: string | null;
  scope: { parameterZh: string; standardCode: string }[];
}

const body = {
  kind: 'cma',
  number: '261012349876',
  issuedOn: '2026-01-05',
  validUntil: '2026-12-31',
  scope: [
    {
      productZh: '金属材料',
      parameterZh: '维氏硬度',
      parameterEn: 'Vickers hardness',
      standardCode: 'GB/T 4340.1-2024',
    },
  ],
};
const ITEM = [{ parameterZh: '维氏硬度', standardCode: 'GB/T 4340.1-2024' }];

describe('a lab’s qualifications', () => {
  it('are kept by its managers only: staff 403, other labs 404, bad values 400, a taken number 409', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const [manager, operator, lab2] = [
      await login(t.app, USERS.lab),
      await login(t.app, USERS.operator),
      await login(t.app, USERS.lab2),
    ];
    const url = `/v1/labs/${labId}/qualifications`;
    const post = (token: string, payload: object) =>
      t.app.inject({ method: 'POST', url, headers: bearer(token), payload });
    expectProblem(await post(operator, body), 403, 'forbidden');
    expectProblem(await post(lab2, body), 404, 'not_found');
    expectProblem(await t.app.inject({ method: 'GET', url, headers: bearer(lab2) }), 404, 'not_found');
    expectProblem(await post(manager, { ...body, number: '12345' }), 400, 'validation_failed');
    expectProblem(await post(manager, { ...body, kind: 'cnas', number: '261012349876' }), 400, 'validation_failed');
    expectProblem(await post(manager, { ...body, validUntil: '2026-01-05' }), 422, 'qualification_ends_before_start');
    // Six years is the longest a CMA certificate or a CNAS accreditation runs.
    expectProblem(await post(manager, { ...body, validUntil: '2032-01-05' }), 422, 'qualification_too_long');
    expectProblem(await post(manager, { ...body, issuedOn: '1970-01-01' }), 422, 'qualification_too_long');
    expectProblem(await post(manager, { ...body, scope: [...body.scope, ...body.scope] }), 400, 'validation_failed');
    expectProblem(
      await post(manager, { ...body, scope: [{ parameterZh: '', standardCode: 'GB 1' }] }),
      400,
      'validation_failed',
    );

    const created = await post(manager, body);
    expect(created.statusCode, created.body).toBe(201);
    const q = created.json<Qual>();
    expect(q).toMatchObject({ state: 'valid', withdrawnOn: null, scope: [{ parameterZh: '维氏硬度' }] });
    expectProblem(await post(manager, body), 409, 'qualification_number_taken');

    const read = await t.app.inject({ method: 'GET', url, headers: bearer(operator) });
    expect(read.json<{ items: Qual[] }>().items.map((i) => i.id)).toContain(q.id);

    const patchUrl = `${url}/${q.id}`;
    expectProblem(
      await t.app.inject({
        method: 'PATCH',
        url: patchUrl,
        headers: bearer(operator),
        payload: { validUntil: '2027-01-31' },
      }),
      403,
      'forbidden',
    );
    expectProblem(
      await t.app.inject({
        method: 'PATCH',
        url: patchUrl,
        headers: bearer(lab2),
        payload: { validUntil: '2027-01-31' },
      }),
      404,
      'not_found',
    );
    const edited = await t.app.inject({
      method: 'PATCH',
      url: patchUrl,
      headers: bearer(manager),
      payload: { scope: [...body.scope, { parameterZh: '中性盐雾', standardCode: 'GB/T 10125-2021' }] },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json<Qual>().scope).toHaveLength(2);
    const { rows } = await t.db.pool.query<{ action: string }>(
      `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [q.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['lab.qualification_added', 'lab.qualification_edited']);
  });

  it('gives its mark through the last valid day in Shanghai and none from the next day', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const manager = await login(t.app, USERS.lab);
    expect(localDate(clock.now)).toBe('2026-12-31');
    expect((await markScope(t.db.db, labId, ITEM, localDate(clock.now)))[0]!.inCmaScope).toBe(true);
    const list = async () =>
      (await t.app.inject({ method: 'GET', url: `/v1/labs/${labId}/qualifications`, headers: bearer(manager) }))
        .json<{ items: Qual[] }>()
        .items.find((i) => i.number === body.number)!;
    expect((await list()).state).toBe('valid');

    clock.advance(1000); // 00:00:00 on 1 January in Shanghai (still 31 December in UTC)
    expect(clock.now.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(localDate(clock.now)).toBe('2027-01-01');
    expect((await markScope(t.db.db, labId, ITEM, localDate(clock.now)))[0]!.inCmaScope).toBe(false);
    expect((await list()).state).toBe('expired');
    const lab = (await t.app.inject({ method: 'GET', url: `/v1/labs/${labId}`, headers: bearer(manager) })).json<{
      qualifications: { number: string; valid: boolean }[];
    }>();
    expect(lab.qualifications.find((x) => x.number === body.number)!.valid).toBe(false);
  });

  it('a withdrawn certificate gives no mark from the day it was withdrawn and cannot be edited', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const manager = await login(t.app, USERS.lab);
    const url = `/v1/labs/${labId}/qualifications`;
    const created = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(manager),
      payload: { ...body, kind: 'cnas', number: 'CNAS L9876', issuedOn: '2026-06-01', validUntil: '2029-05-31' },
    });
    const q = created.json<Qual>();
    const today = localDate(clock.now);
    const withdrawn = await t.app.inject({ method: 'POST', url: `${url}/${q.id}/withdraw`, headers: bearer(manager) });
    expect(withdrawn.json<Qual>()).toMatchObject({ state: 'withdrawn', withdrawnOn: today });
    expect((await markScope(t.db.db, labId, ITEM, today))[0]!.inCnasScope).toBe(false);
    expect((await markScope(t.db.db, labId, ITEM, '2026-12-30'))[0]!.inCnasScope).toBe(true);
    expectProblem(
      await t.app.inject({
        method: 'PATCH',
        url: `${url}/${q.id}`,
        headers: bearer(manager),
        payload: { validUntil: '2030-01-01' },
      }),
      409,
      'qualification_withdrawn',
    );
  });
});
