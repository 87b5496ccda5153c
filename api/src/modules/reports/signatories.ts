import { and, asc, eq, isNull } from 'drizzle-orm';
import { labSignatories, memberships, users, type Db, type DbOrTx } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { assertLabManagerOf } from './service.ts';

/**
 * Authorised signatories (授权签字人) of a lab: the people who may issue reports. Managers name
 * them from the lab's members; removing one keeps the row with revoked_at, so who signed what stays
 * on record.
 */
export interface SignatoryDeps {
  db: Db;
  clock: () => Date;
}

type Row = {
  userId: string;
  name: string;
  email: string;
  scopeZh: string;
  createdAt: Date;
  revokedAt: Date | null;
};

function view(r: Row) {
  return {
    user: { id: r.userId, name: r.name, email: r.email },
    scopeZh: r.scopeZh,
    createdAt: r.createdAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
    active: r.revokedAt === null,
  };
}

async function rows(db: DbOrTx, labId: string, userId?: string): Promise<Row[]> {
  return db
    .select({
      userId: labSignatories.userId,
      name: users.displayName,
      email: users.email,
      scopeZh: labSignatories.scopeZh,
      createdAt: labSignatories.createdAt,
      revokedAt: labSignatories.revokedAt,
    })
    .from(labSignatories)
    .innerJoin(users, eq(users.id, labSignatories.userId))
    .where(and(eq(labSignatories.labId, labId), userId ? eq(labSignatories.userId, userId) : undefined))
    .orderBy(asc(users.displayName));
}

/** Any member of the lab may see who signs for it. */
export async function listSignatories(deps: SignatoryDeps, actor: Actor | null, labId: string) {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw forbidden('Only members of this lab may see its signatories.');
  return { items: (await rows(deps.db, labId)).map(view) };
}

export async function addSignatory(
  deps: SignatoryDeps,
  actor: Actor | null,
  labId: string,
  input: { email: string; scopeZh?: string },
) {
  const a = assertLabManagerOf(actor, labId);
  return deps.db.transaction(async (tx) => {
    const [member] = await tx
      .select({ userId: users.id })
      .from(users)
      .innerJoin(memberships, and(eq(memberships.userId, users.id), eq(memberships.orgId, labId)))
      .where(eq(users.email, input.email.trim().toLowerCase()))
      .limit(1);
    if (!member) {
      throw unprocessable('not_a_member', 'A signatory must be a member of the lab.', [
        { path: '/email', code: 'not_a_member', message: 'No member of this lab has this email' },
      ]);
    }
    const now = deps.clock();
    await tx
      .insert(labSignatories)
      .values({ labId, userId: member.userId, scopeZh: input.scopeZh ?? '', createdAt: now })
      .onConflictDoUpdate({
        target: [labSignatories.labId, labSignatories.userId],
        set: { scopeZh: input.scopeZh ?? '', revokedAt: null },
      });
    await recordAudit(tx, a, {
      action: 'lab.signatory_added',
      entityType: 'lab_signatory',
      entityId: `${labId}:${member.userId}`,
      orgId: labId,
      after: { userId: member.userId, scopeZh: input.scopeZh ?? '' },
    });
    const [row] = await rows(tx, labId, member.userId);
    return view(row!);
  });
}

export async function removeSignatory(deps: SignatoryDeps, actor: Actor | null, labId: string, userId: string) {
  const a = assertLabManagerOf(actor, labId);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .update(labSignatories)
      .set({ revokedAt: deps.clock() })
      .where(and(eq(labSignatories.labId, labId), eq(labSignatories.userId, userId), isNull(labSignatories.revokedAt)))
      .returning({ userId: labSignatories.userId });
    if (!row) throw notFound('signatory');
    await recordAudit(tx, a, {
      action: 'lab.signatory_removed',
      entityType: 'lab_signatory',
      entityId: `${labId}:${userId}`,
      orgId: labId,
    });
  });
}
