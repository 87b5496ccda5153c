import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';

/**
 * A lab's bank statements are its books: its managers and staff only. Anyone outside the lab gets
 * 404 (the lab's finances are not revealed); a member in another role 403.
 */
export function assertLabFinance(actor: Actor | null, labId: string): Actor {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw notFound('lab');
  if (m.role !== 'manager' && m.role !== 'staff') {
    throw forbidden('Only the lab’s managers and staff handle its bank statements.');
  }
  return a;
}
