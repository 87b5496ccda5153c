import type { Actor } from '../../lib/actor.ts';
import { localDate } from '../../lib/time.ts';
import { assertSide, loadOrderFor } from './access.ts';
import { closestScopeItems, itemInScope } from './accreditation-scope-match.ts';
import { validScopeItems } from './repository/accreditation-scope.ts';
import { linesOfOrder } from './repository/lines.ts';
import type { OrderDeps } from './deps.ts';

/** How many close items a line that matches nothing is offered. */
const CLOSEST = 5;

/**
 * What the lab chooses from when it places each line of an order under an item of its own scope
 * (the quote editor): the items on its certificates valid today, and for each live line the item
 * chosen, the items its wording matches, and the closest ones (for a line that matches nothing).
 * The lab's members only; the customer is refused, strangers get 404.
 */
export async function orderScopeMatches(deps: OrderDeps, actor: Actor | null, orderId: string) {
  const access = await loadOrderFor(deps.db, actor, orderId);
  assertSide(access, 'lab');
  const checkedOn = localDate(deps.clock());
  const items = await validScopeItems(deps.db, access.order.labId, checkedOn);
  const lines = await linesOfOrder(deps.db, orderId);
  return {
    checkedOn,
    items,
    lines: lines
      .filter((l) => l.removedAt === null)
      .map((l) => {
        // Closeness reads the service's name where the customer named no parameter.
        const wording = { parameterZh: l.parameterZh || l.descriptionZh, standardCode: l.standardCode };
        return {
          lineId: l.id,
          chosenItemId: l.scopeItemId && items.some((i) => i.id === l.scopeItemId) ? l.scopeItemId : null,
          matchedItemIds: items.filter((i) => itemInScope(l, [i])).map((i) => i.id),
          closest: closestScopeItems(wording, items, CLOSEST).map((i) => ({ itemId: i.id, score: i.score })),
        };
      }),
  };
}
