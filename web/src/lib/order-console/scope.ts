import type { ScopeItemView, ScopeMatches } from './types';

/** How one line of the order stands to the lab's scope, as the quote editor offers the choice. */
export interface ScopeChoice {
  /** What the box starts on: the lab's earlier choice, else the item the line's wording matches, else none (''). */
  initial: string;
  /** The line's wording matches no item and the lab chose none: the editor says so. */
  unmatched: boolean;
  /** Items closest to the line's wording, best first (offered first when it matches nothing). */
  closest: string[];
}

export function scopeChoice(scope: ScopeMatches, lineId: string): ScopeChoice {
  const line = scope.lines.find((l) => l.lineId === lineId);
  if (!line) return { initial: '', unmatched: false, closest: [] };
  const initial = line.chosenItemId ?? line.matchedItemIds[0] ?? '';
  return {
    initial,
    unmatched: initial === '',
    closest: line.closest.map((c) => c.itemId),
  };
}

/** "中性盐雾试验 · GB/T 10125-2021" (with the product when the scope names one). */
export function scopeItemLabel(item: Pick<ScopeItemView, 'productZh' | 'standardCode'>, parameter: string): string {
  return [item.productZh ? `${item.productZh}：${parameter}` : parameter, item.standardCode].join(' · ');
}
