import { hashPassword, verifyPassword, type Db, type DbOrTx } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { enqueueAfterCommit, recordAudit } from '../../lib/audit.ts';
import { checkCreditCode, normaliseCreditCode } from '../../lib/credit-code.ts';
import { AppError, conflict, unauthenticated, validationFailed, type FieldError } from '../../lib/errors.ts';
import { isUniqueViolation } from '../../lib/pg-errors.ts';
import * as repo from './repository.ts';
import { API_TOKEN_PREFIX, hashSecret, newSecret, SESSION_PREFIX } from './tokens.ts';
import { acceptInvitations } from '../labs/index.ts';

export interface AuthDeps {
  db: Db;
  clock: () => Date;
  sessionTtlMinutes: number;
}

export interface SessionGrant {
  token: string;
  expiresAt: Date;
  userId: string;
}

// A real argon2id hash of a random password, verified when the email is unknown so that a wrong
// email costs the same time as a wrong password (no account enumeration by timing).
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword(newSecret('dummy_')));

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export async function login(
  deps: AuthDeps,
  input: { email: string; password: string; userAgent?: string | null },
): Promise<SessionGrant> {
  const user = await repo.findUserByEmail(deps.db, normaliseEmail(input.email));
  const ok = await verifyPassword(user?.passwordHash ?? (await getDummyHash()), input.password);
  if (!user || !ok || user.disabledAt) {
    throw new AppError(401, 'invalid_credentials', 'The email or password is not correct.');
  }
  // Invitations to this address sent since (or before the account existed) become memberships now.
  const now = deps.clock();
  await deps.db.transaction((tx) => acceptInvitations(tx, user, now));
  return startSession(deps.db, deps, user.id, input.userAgent ?? null);
}

async function startSession(
  db: DbOrTx,
  deps: Pick<AuthDeps, 'clock' | 'sessionTtlMinutes'>,
  userId: string,
  userAgent: string | null,
): Promise<SessionGrant> {
  const token = newSecret(SESSION_PREFIX);
  const expiresAt = new Date(deps.clock().getTime() + deps.sessionTtlMinutes * 60_000);
  await repo.insertSession(db, { tokenHash: hashSecret(token), userId, expiresAt, userAgent });
  return { token, expiresAt, userId };
}

export async function logout(deps: AuthDeps, actor: Actor | null): Promise<void> {
  if (!actor?.sessionId) return;
  await repo.revokeSession(deps.db, actor.sessionId, deps.clock());
}

/** Resolves a bearer secret (session or API token) to an actor, or null when it is not valid now. */
export async function resolveActor(deps: AuthDeps, secret: string): Promise<Actor | null> {
  const now = deps.clock();
  const hash = hashSecret(secret);
  if (secret.startsWith(API_TOKEN_PREFIX)) {
    const token = await repo.findLiveApiToken(deps.db, hash, now);
    if (!token || token.orgStatus === 'suspended') return null;
    await repo.touchApiToken(deps.db, token.id, now);
    return {
      kind: 'api_token',
      userId: null,
      tokenId: token.id,
      sessionId: null,
      memberships: [
        {
          orgId: token.orgId,
          orgKind: token.orgKind,
          orgStatus: token.orgStatus,
          role: token.role,
          regionCode: token.regionCode,
        },
      ],
    };
  }
  if (!secret.startsWith(SESSION_PREFIX)) return null;
  const session = await repo.findLiveSession(deps.db, hash, now);
  if (!session) return null;
  const rows = await repo.listMemberships(deps.db, session.userId);
  return {
    kind: 'user',
    userId: session.userId,
    tokenId: null,
    sessionId: session.sessionId,
    memberships: repo.toActorMemberships(rows),
  };
}

/**
 * Whether the caller is a platform-wide operator (系统运维): a person (never an API token) whose
 * account carries the system role. No membership, however senior, makes one: a platform admin's
 * role is scoped to its region, and what operators see spans every region.
 */
export async function isPlatformOperator(deps: Pick<AuthDeps, 'db'>, actor: Actor | null): Promise<boolean> {
  if (actor?.kind !== 'user' || !actor.userId) return false;
  return (await repo.systemRoleOf(deps.db, actor.userId)) === 'operator';
}

export async function currentUser(deps: AuthDeps, actor: Actor | null) {
  if (!actor?.userId) throw unauthenticated();
  const user = await repo.findUserById(deps.db, actor.userId);
  if (!user) throw unauthenticated();
  const rows = await repo.listMemberships(deps.db, user.id);
  const customers = await repo.organisationsThatBook(
    deps.db,
    rows.filter((m) => m.orgKind !== 'enterprise').map((m) => m.orgId),
  );
  // An enterprise is a customer by nature; a lab or platform only once it has booked or ordered.
  return {
    user,
    memberships: rows.map((m) => ({ ...m, booksAsCustomer: m.orgKind === 'enterprise' || customers.has(m.orgId) })),
  };
}

export interface RegisterInput {
  kind: 'enterprise' | 'lab';
  email: string;
  password: string;
  displayName: string;
  locale?: string;
  organisation: {
    nameZh: string;
    nameEn?: string;
    creditCode: string;
    regionCode: string;
    labType?: 'testing_institute' | 'university' | 'metrology' | 'materials' | 'emc' | 'food_chemical' | 'other';
    size?: 'micro' | 'small' | 'medium' | 'large';
    industryCode?: string;
  };
}

/**
 * Registers an enterprise (active at once) or a lab application (pending until the platform admits
 * it), with its first user as owner / manager. All or nothing.
 */
export async function register(deps: AuthDeps, input: RegisterInput, userAgent: string | null): Promise<SessionGrant> {
  const email = normaliseEmail(input.email);
  const creditCode = normaliseCreditCode(input.organisation.creditCode);
  const errors: FieldError[] = [];
  const problem = checkCreditCode(creditCode);
  if (problem) {
    errors.push({
      path: '/organisation/creditCode',
      code: 'invalid_credit_code',
      message:
        problem === 'check_character'
          ? 'The check character of the unified social credit code does not match.'
          : 'A unified social credit code has 18 characters (digits and capital letters, no I, O, S, V, Z).',
    });
  }
  if (input.kind === 'lab' && !input.organisation.labType) {
    errors.push({ path: '/organisation/labType', code: 'required', message: 'Say what kind of lab this is.' });
  }
  if (!(await repo.regionExists(deps.db, input.organisation.regionCode))) {
    errors.push({
      path: '/organisation/regionCode',
      code: 'unknown_region',
      message: 'Unknown GB/T 2260 region code.',
    });
  }
  if (errors.length > 0) throw validationFailed(errors);

  const passwordHash = await hashPassword(input.password);
  try {
    return await deps.db.transaction(async (tx) => {
      // The user first: a repeated registration is reported as the taken email.
      const user = await repo.insertUser(tx, {
        email,
        passwordHash,
        displayName: input.displayName.trim(),
        locale: input.locale ?? 'zh-CN',
      });
      const org = await repo.insertOrganisation(tx, {
        kind: input.kind,
        status: input.kind === 'enterprise' ? 'active' : 'pending',
        nameZh: input.organisation.nameZh.trim(),
        nameEn: input.organisation.nameEn?.trim() ?? '',
        creditCode,
        regionCode: input.organisation.regionCode,
        labType: input.kind === 'lab' ? input.organisation.labType : null,
        enterpriseSize: input.kind === 'enterprise' ? (input.organisation.size ?? null) : null,
        industryCode: input.kind === 'enterprise' ? (input.organisation.industryCode ?? null) : null,
      });
      await repo.insertMembership(tx, {
        userId: user.id,
        orgId: org.id,
        role: input.kind === 'enterprise' ? 'owner' : 'manager',
      });
      await acceptInvitations(tx, { id: user.id, email }, deps.clock());
      const actor: Actor = { kind: 'user', userId: user.id, tokenId: null, sessionId: null, memberships: [] };
      await recordAudit(tx, actor, {
        at: deps.clock(),
        action: input.kind === 'enterprise' ? 'enterprise.registered' : 'lab.applied',
        entityType: 'organisation',
        entityId: org.id,
        orgId: org.id,
        after: { ...org, createdBy: user.id },
      });
      await enqueueAfterCommit(tx, 'notify.welcome', { userId: user.id, orgId: org.id }, `welcome:${user.id}`);
      if (input.kind === 'lab') {
        await enqueueAfterCommit(tx, 'notify.lab-application', { labId: org.id }, `lab-application:${org.id}`);
      }
      return startSession(tx, deps, user.id, userAgent);
    });
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_uq')) {
      throw conflict('email_taken', 'An account with this email already exists.', [
        { path: '/email', code: 'email_taken', message: 'An account with this email already exists.' },
      ]);
    }
    if (isUniqueViolation(error, 'organisations_credit_code_uq')) {
      throw conflict('credit_code_taken', 'This organisation is already registered.', [
        {
          path: '/organisation/creditCode',
          code: 'credit_code_taken',
          message: 'This organisation is already registered.',
        },
      ]);
    }
    throw error;
  }
}

export { API_TOKEN_PREFIX };
