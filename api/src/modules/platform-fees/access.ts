import { membershipIn, platformScopes, requireActor, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import { regionContains, regionPrefix } from '../../lib/region.ts';

/**
 * The platform's fee invoices to a lab are the lab's bills: any member of the lab sees them (as any
 * member sees its organisation's bills); anyone else gets 404.
 */
export function assertLabMember(actor: Actor | null, labId: string): Actor {
  const a = requireActor(actor);
  const m = membershipIn(a, labId);
  if (!m || m.orgKind !== 'lab') throw notFound('lab');
  return a;
}

/** Platform admins see the fee invoices of the labs in their regions; others 403. */
export function adminRegions(actor: Actor | null): { actor: Actor; scopes: string[]; prefixes: string[] } {
  const a = requireActor(actor);
  const scopes = platformScopes(a);
  if (scopes.length === 0) throw forbidden('Only platform administrators see the service fees.');
  return { actor: a, scopes, prefixes: scopes.map(regionPrefix) };
}

export function inScope(scopes: string[], regionCode: string): boolean {
  return scopes.some((s) => regionContains(s, regionCode));
}
