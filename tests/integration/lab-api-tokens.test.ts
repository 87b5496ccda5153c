import { describe, expect, it } from 'vitest';
import { bearer, expectProblem, login, useSeededApp } from '../support/app.ts';
import { orgOf, USERS } from '../support/scenario.ts';

/**
 * The console's API tokens page rests on these: a manager lists, creates (the secret once) and
 * revokes; the list says who created each token and when it was last used; other labs see nothing.
 */
const t = useSeededApp();

interface TokenView {
  id: string;
  name: string;
  prefix: string;
  createdByName: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  token?: string;
}

describe('API tokens of a lab', () => {
  it('are for its managers only: staff 403, other labs 404, bad input 400', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const operator = await login(t.app, USERS.operator);
    const lab2 = await login(t.app, USERS.lab2);
    const manager = await login(t.app, USERS.lab);
    const url = `/v1/orgs/${labId}/api-tokens`;
    for (const [token, status, code] of [
      [operator, 403, 'forbidden'],
      [lab2, 404, 'not_found'],
    ] as const) {
      expectProblem(await t.app.inject({ method: 'GET', url, headers: bearer(token) }), status, code);
      expectProblem(
        await t.app.inject({ method: 'POST', url, headers: bearer(token), payload: { name: 'x' } }),
        status,
        code,
      );
    }
    for (const payload of [
      { name: '' },
      { name: 'x'.repeat(101) },
      { name: 'x', role: 'owner' },
      { name: 'x', extra: 1 },
    ]) {
      expectProblem(
        await t.app.inject({ method: 'POST', url, headers: bearer(manager), payload }),
        400,
        'validation_failed',
      );
    }
    const created = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(manager),
      payload: { name: '对接 LIMS' },
    });
    const { id } = created.json<TokenView>();
    expectProblem(
      await t.app.inject({ method: 'POST', url: `${url}/${id}/revoke`, headers: bearer(lab2) }),
      404,
      'not_found',
    );
    expectProblem(
      await t.app.inject({ method: 'POST', url: `${url}/${id}/revoke`, headers: bearer(operator) }),
      403,
      'forbidden',
    );
  });

  it('shows the secret once, then lists name, prefix, creator and last use; a revoked token stops working', async () => {
    const labId = await orgOf(t.db, USERS.lab);
    const manager = await login(t.app, USERS.lab);
    const url = `/v1/orgs/${labId}/api-tokens`;
    const created = await t.app.inject({
      method: 'POST',
      url,
      headers: bearer(manager),
      payload: { name: '仪器电脑', role: 'operator' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json<TokenView>();
    expect(view.token).toMatch(/^qht_/);
    expect(view.token!.startsWith(view.prefix)).toBe(true);
    const { rows } = await t.db.pool.query<{ display_name: string }>(
      'SELECT display_name FROM users WHERE email = $1',
      [USERS.lab],
    );
    expect(view.createdByName).toBe(rows[0]!.display_name);

    // The token works, and the list then says when it was last used; the secret is never listed.
    expect(
      (await t.app.inject({ method: 'GET', url: `/v1/labs/${labId}/members`, headers: bearer(view.token!) }))
        .statusCode,
    ).toBe(200);
    const listed = (await t.app.inject({ method: 'GET', url, headers: bearer(manager) })).json<{
      items: TokenView[];
    }>();
    const mine = listed.items.find((i) => i.id === view.id)!;
    expect(mine).toMatchObject({ name: '仪器电脑', prefix: view.prefix, createdByName: rows[0]!.display_name });
    expect(mine.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(view.token!);

    const revoked = await t.app.inject({ method: 'POST', url: `${url}/${view.id}/revoke`, headers: bearer(manager) });
    expect(revoked.json<TokenView>().revokedAt).not.toBeNull();
    expect(
      (await t.app.inject({ method: 'GET', url: `/v1/labs/${labId}/members`, headers: bearer(view.token!) }))
        .statusCode,
    ).toBe(401);
  });
});
