import type { Db } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { API_TOKEN_PREFIX, hashSecret, newSecret } from '../auth/index.ts';
import * as repo from './repository.ts';

export interface TokenDeps {
  db: Db;
  clock: () => Date;
}

type TokenRole = 'manager' | 'staff' | 'operator';

/** Only a signed-in manager of a lab handles its integration tokens (a token cannot mint tokens). */
function assertLabManager(actor: Actor | null, orgId: string): Actor {
  const a = requireActor(actor);
  const m = membershipIn(a, orgId);
  // Another lab's (or no lab's) tokens are not there for the caller.
  if (!m || m.orgKind !== 'lab') throw notFound('lab');
  if (a.kind !== 'user' || m.role !== 'manager') {
    throw forbidden('Only a manager of this lab can manage its API tokens.');
  }
  if (m.orgStatus === 'suspended') throw forbidden('A suspended lab cannot manage API tokens.');
  return a;
}

const view = (t: repo.ApiTokenRow, createdByName: string | null) => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  role: t.role as TokenRole,
  createdByName,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt?.toISOString() ?? null,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
});

export async function createToken(
  deps: TokenDeps,
  actor: Actor | null,
  orgId: string,
  input: { name: string; role?: TokenRole; expiresAt?: string },
) {
  const a = assertLabManager(actor, orgId);
  // A token born expired would be shown once and never work.
  if (input.expiresAt && new Date(input.expiresAt).getTime() <= deps.clock().getTime()) {
    throw unprocessable('expiry_in_past', 'A token expires in the future.', [
      { path: '/expiresAt', code: 'expiry_in_past', message: 'Must be in the future' },
    ]);
  }
  const secret = newSecret(API_TOKEN_PREFIX);
  const row = await deps.db.transaction(async (tx) => {
    const created = await repo.insertApiToken(tx, {
      orgId,
      createdBy: a.userId!,
      name: input.name.trim(),
      prefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
      tokenHash: hashSecret(secret),
      role: input.role ?? 'staff',
      expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      createdAt: deps.clock(),
    });
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'api_token.created',
      entityType: 'api_token',
      entityId: created.id,
      orgId,
      after: view(created, null),
    });
    return created;
  });
  // The secret is shown once; only its hash is kept.
  return { ...view(row, await repo.userName(deps.db, row.createdBy)), token: secret };
}

export async function listTokens(deps: TokenDeps, actor: Actor | null, orgId: string) {
  assertLabManager(actor, orgId);
  const rows = await repo.findApiTokensOfOrg(deps.db, orgId);
  return { items: rows.map((r) => view(r, r.createdByName)) };
}

export async function revokeToken(deps: TokenDeps, actor: Actor | null, orgId: string, tokenId: string) {
  const a = assertLabManager(actor, orgId);
  return deps.db.transaction(async (tx) => {
    const before = await repo.lockApiTokenForUpdate(tx, orgId, tokenId);
    if (!before) throw notFound('API token');
    const creator = await repo.userName(tx, before.createdBy);
    if (before.revokedAt) return view(before, creator);
    const after = await repo.revokeApiToken(tx, tokenId, deps.clock());
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'api_token.revoked',
      entityType: 'api_token',
      entityId: tokenId,
      orgId,
      before: view(before, creator),
      after: view(after!, creator),
    });
    return view(after!, creator);
  });
}
