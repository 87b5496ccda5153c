import { describe, expect, it } from 'vitest';
import { startInlineRunner } from '@qihub/api/jobs';
import { creditCodeCheckCharacter } from '@qihub/api/lib/credit-code';
import type { MailMessage, Mailer } from '@qihub/api/lib/mailer';
import { bearer, expectProblem, login, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * A lab's managers keep its people: invite by e-mail (an account joins at once and is told; an
 * unknown address gets an e-mailed invitation that becomes a membership when it registers or signs
 * in), change roles, remove. The lab keeps a manager; other labs see nothing; each change is audited.
 */
const t = useSeededApp();

interface MemberList {
  items: { id: string; name: string; role: string; email: string | null }[];
  invitations: { id: string; email: string; role: string }[];
}

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, token: string | null, payload?: object) =>
  t.app.inject({ method, url, headers: token ? bearer(token) : {}, ...(payload ? { payload } : {}) });

async function userId(email: string): Promise<string> {
  const { rows } = await t.db.pool.query<{ id: string }>('SELECT id FROM users WHERE email = $1', [email]);
  return rows[0]!.id;
}

async function auditActions(labId: string): Promise<string[]> {
  const { rows } = await t.db.pool.query<{ action: string }>(
    `SELECT action FROM audit_log WHERE org_id = $1 AND action LIKE 'lab.%' ORDER BY id`,
    [labId],
  );
  return rows.map((r) => r.action);
}

describe('lab members', () => {
  it('lists members for the lab’s members, contact details and invitations for managers only; 404 elsewhere', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const [manager, operator, lab2, sme] = (await Promise.all(
      [USERS.lab, USERS.operator, USERS.lab2, USERS.sme].map((u) => login(t.app, u)),
    )) as [string, string, string, string];
    const mine = await call('GET', `/v1/labs/${labId}/members`, manager);
    expect(mine.statusCode, mine.body).toBe(200);
    const list = mine.json<MemberList>();
    expect(list.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ email: USERS.lab, role: 'manager' })]),
    );
    const asOperator = (await call('GET', `/v1/labs/${labId}/members`, operator)).json<MemberList>();
    expect(asOperator.items.every((m) => m.email === null)).toBe(true);
    expect(asOperator.invitations).toEqual([]);
    expectProblem(await call('GET', `/v1/labs/${labId}/members`, lab2), 404, 'not_found');
    expectProblem(await call('GET', `/v1/labs/${labId}/members`, sme), 404, 'not_found');
    expectProblem(await call('GET', `/v1/labs/${labId}/members`, null), 401, 'unauthenticated');
  });

  it('adds an existing account at once and tells them; refuses staff (403), other labs (404) and bad input', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const [manager, operator, lab2] = (await Promise.all(
      [USERS.lab, USERS.operator, USERS.lab2].map((u) => login(t.app, u)),
    )) as [string, string, string, string];
    const url = `/v1/labs/${labId}/members`;
    expectProblem(await call('POST', url, operator, { email: USERS.sme2, role: 'staff' }), 403, 'forbidden');
    expectProblem(await call('POST', url, lab2, { email: USERS.sme2, role: 'staff' }), 404, 'not_found');
    expectProblem(
      await call('POST', url, manager, { email: 'not-an-address', role: 'staff' }),
      400,
      'validation_failed',
    );
    expectProblem(await call('POST', url, manager, { email: USERS.sme2, role: 'owner' }), 400, 'validation_failed');

    const res = await call('POST', url, manager, { email: USERS.sme2.toUpperCase(), role: 'staff' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'member', email: USERS.sme2, role: 'staff' });
    expectProblem(await call('POST', url, manager, { email: USERS.sme2, role: 'operator' }), 409, 'already_member');

    const sme2 = await login(t.app, USERS.sme2);
    const inbox = await call('GET', '/v1/notifications', sme2);
    expect(inbox.json<{ items: { kind: string; link: string }[] }>().items).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'lab_membership', link: `/console?lab=${labId}` })]),
    );
    const me = await call('GET', '/v1/auth/me', sme2);
    expect(JSON.stringify(me.json())).toContain(labId);
    expect(await auditActions(labId)).toContain('lab.member_added');
  });

  it('invites an unknown address by e-mail; it joins when it registers; an invitation can be withdrawn', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const manager = await login(t.app, USERS.lab);
    const url = `/v1/labs/${labId}/members`;
    const invited = await call('POST', url, manager, { email: 'New.Tester@Example.cn', role: 'operator' });
    expect(invited.statusCode, invited.body).toBe(201);
    expect(invited.json()).toMatchObject({ status: 'invited', email: 'new.tester@example.cn', userId: null });
    expectProblem(
      await call('POST', url, manager, { email: 'new.tester@example.cn', role: 'staff' }),
      409,
      'already_invited',
    );
    const other = await call('POST', url, manager, { email: 'withdrawn@example.cn', role: 'staff' });
    const list = (await call('GET', url, manager)).json<MemberList>();
    expect(list.invitations.map((i) => i.email).sort()).toEqual(['new.tester@example.cn', 'withdrawn@example.cn']);

    // The invitation e-mail goes through the outbox, once.
    const sent: MailMessage[] = [];
    const mailer: Mailer = { send: async (m) => void sent.push(m), close: () => {} };
    const runner = startInlineRunner(t.db.db, { intervalMs: 60_000, mailer, webUrl: 'https://qihub.example' });
    await runner.tick();
    await runner.tick();
    await runner.stop();
    const toNew = sent.filter((m) => m.to === 'new.tester@example.cn');
    expect(toNew).toHaveLength(1);
    expect(toNew[0]!.text).toContain('https://qihub.example/register?email=new.tester%40example.cn');

    const withdrawId = other.json<{ invitationId: string }>().invitationId;
    const lab2 = await login(t.app, USERS.lab2);
    expectProblem(await call('DELETE', `/v1/labs/${labId}/invitations/${withdrawId}`, lab2), 404, 'not_found');
    expect((await call('DELETE', `/v1/labs/${labId}/invitations/${withdrawId}`, manager)).statusCode).toBe(204);
    expectProblem(await call('DELETE', `/v1/labs/${labId}/invitations/${withdrawId}`, manager), 404, 'not_found');

    const body17 = '91320500MA1N00001';
    const reg = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/register',
      payload: {
        kind: 'enterprise',
        email: 'new.tester@example.cn',
        password: 'a-long-enough-password',
        displayName: '新测试员',
        organisation: {
          nameZh: '苏州新测试员工作室',
          creditCode: body17 + creditCodeCheckCharacter(body17),
          regionCode: '320500',
        },
      },
    });
    expect(reg.statusCode, reg.body).toBe(201);
    const after = (await call('GET', url, manager)).json<MemberList>();
    expect(after.invitations).toEqual([]);
    expect(after.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ email: 'new.tester@example.cn', role: 'operator' })]),
    );
    expect(await auditActions(labId)).toEqual(
      expect.arrayContaining(['lab.member_invited', 'lab.invitation_cancelled', 'lab.invitation_accepted']),
    );
  });

  it('an invitation to an existing address made before sign-in is taken at sign-in', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    // Written as a manager's invitation would be, for an address that has an account by now.
    await t.db.pool.query(
      `INSERT INTO lab_invitations (lab_id, email, role, created_at) VALUES ($1, $2, 'staff', now())`,
      [labId, USERS.officer],
    );
    await login(t.app, USERS.officer);
    const { rows } = await t.db.pool.query('SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2', [
      labId,
      await userId(USERS.officer),
    ]);
    expect(rows).toEqual([{ role: 'staff' }]);
  });

  it('changes roles and removes members; the last manager is neither demoted nor removed', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const [manager, operator, lab2] = (await Promise.all(
      [USERS.lab, USERS.operator, USERS.lab2].map((u) => login(t.app, u)),
    )) as [string, string, string, string];
    const managerId = await userId(USERS.lab);
    const operatorId = await userId(USERS.operator);
    const { rows } = await t.db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM memberships WHERE org_id = $1 AND role = 'manager'`,
      [labId],
    );
    expect(rows[0]!.n).toBe(1);

    expectProblem(
      await call('PATCH', `/v1/labs/${labId}/members/${managerId}`, manager, { role: 'staff' }),
      409,
      'last_manager',
    );
    expectProblem(await call('DELETE', `/v1/labs/${labId}/members/${managerId}`, manager), 409, 'last_manager');
    expectProblem(
      await call('PATCH', `/v1/labs/${labId}/members/${managerId}`, operator, { role: 'staff' }),
      403,
      'forbidden',
    );
    expectProblem(
      await call('PATCH', `/v1/labs/${labId}/members/${operatorId}`, lab2, { role: 'staff' }),
      404,
      'not_found',
    );
    expectProblem(await call('DELETE', `/v1/labs/${labId}/members/${operatorId}`, lab2), 404, 'not_found');
    expectProblem(
      await call('PATCH', `/v1/labs/${labId}/members/${operatorId}`, manager, { role: 'admin' }),
      400,
      'validation_failed',
    );
    expectProblem(
      await call('PATCH', `/v1/labs/${labId}/members/${await userId(USERS.sme)}`, manager, { role: 'staff' }),
      404,
      'not_found',
    );

    const promoted = await call('PATCH', `/v1/labs/${labId}/members/${operatorId}`, manager, { role: 'manager' });
    expect(promoted.statusCode, promoted.body).toBe(200);
    // Now two managers: the first may step down, and the other is then the last one.
    expect((await call('PATCH', `/v1/labs/${labId}/members/${managerId}`, manager, { role: 'staff' })).statusCode).toBe(
      200,
    );
    const newManager = await login(t.app, USERS.operator);
    expectProblem(await call('DELETE', `/v1/labs/${labId}/members/${operatorId}`, newManager), 409, 'last_manager');
    expect(
      (await call('PATCH', `/v1/labs/${labId}/members/${managerId}`, newManager, { role: 'manager' })).statusCode,
    ).toBe(200);
    expect(
      (await call('PATCH', `/v1/labs/${labId}/members/${operatorId}`, manager, { role: 'operator' })).statusCode,
    ).toBe(200);

    const sme2Id = await userId(USERS.sme2);
    await call('POST', `/v1/labs/${labId}/members`, manager, { email: USERS.sme2, role: 'staff' });
    expect((await call('DELETE', `/v1/labs/${labId}/members/${sme2Id}`, manager)).statusCode).toBe(204);
    const list = (await call('GET', `/v1/labs/${labId}/members`, manager)).json<MemberList>();
    expect(list.items.map((m) => m.id)).not.toContain(sme2Id);
    expect(await auditActions(labId)).toEqual(
      expect.arrayContaining(['lab.member_role_changed', 'lab.member_removed']),
    );
  });
});
