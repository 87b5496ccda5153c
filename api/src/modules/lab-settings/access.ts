import type { Db, MemberRole } from '@qihub/db';
import { isLabMember, membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import * as repo from './repository.ts';

export interface ScheduleDeps {
  db: Db;
  clock: () => Date;
}

/** Lab roles that may change the lab's schedule, policies and booking settings; operators only read. */
const SCHEDULE_EDITORS: readonly MemberRole[] = ['manager', 'staff'];

/** Members of the lab read its schedule; to anyone else it does not exist (404). */
export function assertReader(actor: Actor | null, labId: string, what: string): Actor {
  const a = requireActor(actor);
  if (!isLabMember(a, labId)) throw notFound(what);
  return a;
}

/** Managers and staff of the lab edit; other members get 403, everyone else 404. */
export function assertEditor(actor: Actor | null, labId: string, what: string): Actor {
  const a = assertReader(actor, labId, what);
  const m = membershipIn(a, labId)!;
  if (!SCHEDULE_EDITORS.includes(m.role) || m.orgStatus === 'suspended') {
    throw forbidden("Only the lab's managers and staff may change its schedule.");
  }
  return a;
}

/** An instrument of the lab, with the caller checked as a reader (or an editor). */
export async function instrumentOfLabMember(deps: ScheduleDeps, actor: Actor | null, id: string, edit: boolean) {
  const inst = await repo.instrumentScope(deps.db, id);
  if (!inst) throw notFound('instrument');
  const a = edit ? assertEditor(actor, inst.labId, 'instrument') : assertReader(actor, inst.labId, 'instrument');
  return { a, inst };
}
