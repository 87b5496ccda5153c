import { membershipIn, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';

/**
 * Whose books a statement belongs to: a lab's (its own account, its customers' payments) or a
 * platform's (its own account: the labs' service fees, its own events).
 */
export type BookKind = 'lab' | 'platform';

/**
 * A lab's bank statements are its books: its managers and staff only. Anyone outside the lab gets
 * 404 (the lab's finances are not revealed); a member in another role 403. A platform's are its
 * admins': someone who administers no platform gets 403 (the admin routes), an admin of another
 * platform 404.
 */
export function assertLabFinance(actor: Actor | null, labId: string, kind: BookKind = 'lab'): Actor {
  const a = requireActor(actor);
  if (kind === 'platform') {
    if (platformScopes(a).length === 0) throw forbidden('Only platform administrators handle its bank statements.');
    const m = membershipIn(a, labId);
    if (!m || m.orgKind !== 'platform' || m.role !== 'admin' || m.orgStatus !== 'active') throw notFound('platform');
    return a;
  }
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw notFound('lab');
  if (m.role !== 'manager' && m.role !== 'staff') {
    throw forbidden('Only the lab’s managers and staff handle its bank statements.');
  }
  return a;
}
