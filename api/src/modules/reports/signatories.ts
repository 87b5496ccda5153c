import type { Db } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { assertLabManagerOf } from './access.ts';
import {
  findLabMemberByEmail,
  revokeSignatory,
  signatoriesOfLab,
  upsertSignatory,
  type SignatoryRow,
} from './repository.ts';

/**
 * Authorised signatories (授权签字人) of a lab: the people who may issue reports. Managers name
 * them from the lab's members; removing one keeps the row with revoked_at, so who signed what stays
 * on record.
 */
export interface SignatoryDeps {
  db: Db;
  clock: () => Date;
}

function view(r: SignatoryRow) {
  return {
    user: { id: r.userId, name: r.name, email: r.email },
    scopeZh: r.scopeZh,
    createdAt: r.createdAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    active: r.revokedAt === null,
  };
}

/** Any member of the lab may see who signs for it. */
export async function listSignatories(deps: SignatoryDeps, actor: Actor | null, labId: string) {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw forbidden('Only members of this lab may see its signatories.');
  return { items: (await signatoriesOfLab(deps.db, labId)).map(view) };
}

export async function addSignatory(
  deps: SignatoryDeps,
  actor: Actor | null,
  labId: string,
  input: { email: string; scopeZh?: string },
) {
  const a = assertLabManagerOf(actor, labId);
  return deps.db.transaction(async (tx) => {
    const member = await findLabMemberByEmail(tx, labId, input.email.trim().toLowerCase());
    if (!member) {
      throw unprocessable('not_a_member', 'A signatory must be a member of the lab.', [
        { path: '/email', code: 'not_a_member', message: 'No member of this lab has this email' },
      ]);
    }
    const now = deps.clock();
    await upsertSignatory(tx, { labId, userId: member.userId, scopeZh: input.scopeZh ?? '', createdAt: now });
    await recordAudit(tx, a, {
      at: now,
      action: 'lab.signatory_added',
      entityType: 'lab_signatory',
      entityId: `${labId}:${member.userId}`,
      orgId: labId,
      after: { userId: member.userId, scopeZh: input.scopeZh ?? '' },
    });
    const [row] = await signatoriesOfLab(tx, labId, member.userId);
    return view(row!);
  });
}

export async function removeSignatory(deps: SignatoryDeps, actor: Actor | null, labId: string, userId: string) {
  const a = assertLabManagerOf(actor, labId);
  return deps.db.transaction(async (tx) => {
    if (!(await revokeSignatory(tx, labId, userId, deps.clock()))) throw notFound('signatory');
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'lab.signatory_removed',
      entityType: 'lab_signatory',
      entityId: `${labId}:${userId}`,
      orgId: labId,
    });
  });
}
