import type { DbOrTx } from '@qihub/db';
import { itemInScope, type ScopeQuery } from './accreditation-scope-match.ts';
import { validScopeItems, type ValidScopeItem } from './repository/accreditation-scope.ts';

export type { ScopeQuery } from './accreditation-scope-match.ts';

export interface ScopeMark {
  inCmaScope: boolean;
  inCnasScope: boolean;
  /** The certificate that covers the item on that date, when one does. */
  cmaQualificationId: string | null;
  cnasQualificationId: string | null;
}

/** Marks each item inside or outside the CMA and CNAS parts of the given scope (parameter × standard). */
export function marksFor(scope: readonly ValidScopeItem[], items: readonly ScopeQuery[]): ScopeMark[] {
  const covering = (kind: 'cma' | 'cnas', item: ScopeQuery) =>
    scope.find((r) => r.kind === kind && itemInScope(item, [r]))?.qualificationId ?? null;
  return items.map((item) => {
    const cmaId = covering('cma', item);
    const cnasId = covering('cnas', item);
    return {
      inCmaScope: cmaId !== null,
      inCnasScope: cnasId !== null,
      cmaQualificationId: cmaId,
      cnasQualificationId: cnasId,
    };
  });
}

/**
 * Marks each item as inside or outside the lab's CMA and CNAS scope (parameter × standard) on the
 * given date (YYYY-MM-DD, in China time): only certificates valid that day count. A report may carry
 * the CMA / CNAS mark only for items marked in scope here.
 */
export async function markScope(
  db: DbOrTx,
  labId: string,
  items: readonly ScopeQuery[],
  onDate: string,
): Promise<ScopeMark[]> {
  return marksFor(await validScopeItems(db, labId, onDate), items);
}
