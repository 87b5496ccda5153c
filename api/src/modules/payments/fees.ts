import { isPlatformAdminFor, requireActor, platformScopes, type Actor } from '../../lib/actor.ts';
import { forbidden, notFound } from '../../lib/errors.ts';
import type { PaymentDeps } from './deps.ts';
import * as repo from './repository.ts';

/**
 * `PUT /v1/admin/fee-rates/{regionCode}`: the platform's service fee (basis points, default 0) for
 * labs in a region, set by the admins of a platform whose region covers it. It is taken at source
 * as the application fee on card payments started afterwards.
 */
export async function setFeeRate(deps: PaymentDeps, actor: Actor | null, regionCode: string, rateBp: number) {
  const a = requireActor(actor);
  if (platformScopes(a).length === 0) throw forbidden('Only platform administrators set the service fee.');
  if (!isPlatformAdminFor(a, regionCode)) throw notFound('region');
  await repo.setFeeRate(deps.db, regionCode, rateBp, a.userId, deps.clock());
  return { regionCode, rateBp };
}
