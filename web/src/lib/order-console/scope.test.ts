import { describe, expect, it } from 'vitest';
import { scopeChoice, scopeItemLabel } from './scope';
import type { ScopeMatches } from './types';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const item = (id: string, parameterZh: string) => ({
  id,
  qualificationId: '99999999-9999-4999-8999-999999999999',
  kind: 'cma' as const,
  qualificationNumber: '221012341158',
  productZh: '金属及覆盖层',
  parameterZh,
  parameterEn: '',
  standardCode: 'GB/T 10125-2021',
});
const scope = (line: Partial<ScopeMatches['lines'][number]>): ScopeMatches => ({
  checkedOn: '2026-11-26',
  items: [item(A, '中性盐雾试验'), item(B, '铜加速乙酸盐雾试验')],
  lines: [{ lineId: 'L', chosenItemId: null, matchedItemIds: [], closest: [], ...line }],
});

describe('scopeChoice', () => {
  it("starts on the lab's choice, else on the item the wording matches", () => {
    expect(scopeChoice(scope({ chosenItemId: B, matchedItemIds: [A] }), 'L')).toMatchObject({ initial: B });
    expect(scopeChoice(scope({ matchedItemIds: [A] }), 'L')).toMatchObject({ initial: A, unmatched: false });
  });

  it('says a line matches nothing and offers the closest items first', () => {
    const c = scopeChoice(
      scope({
        closest: [
          { itemId: A, score: 0.8 },
          { itemId: B, score: 0.6 },
        ],
      }),
      'L',
    );
    expect(c).toEqual({ initial: '', unmatched: true, closest: [A, B] });
  });

  it('labels an item by product, parameter and standard', () => {
    expect(scopeItemLabel(item(A, '中性盐雾试验'), '中性盐雾试验')).toBe(
      '金属及覆盖层：中性盐雾试验 · GB/T 10125-2021',
    );
  });
});
