import { and, asc, eq, gte, lte } from 'drizzle-orm';
import { qualificationScopeItems, qualifications, type DbOrTx } from '@qihub/db';
import { itemInScope, type ScopeQuery } from './scope-match.ts';

export type { ScopeQuery } from './scope-match.ts';

export interface ScopeMark {
  inCmaScope: boolean;
  inCnasScope: boolean;
  /** The certificate that covers the item on that date, when one does. */
  cmaQualificationId: string | null;
  cnasQualificationId: string | null;
}

/** One item of a lab's CMA / CNAS scope, with the certificate it is listed on. */
export interface ValidScopeItem {
  id: string;
  qualificationId: string;
  kind: 'cma' | 'cnas';
  qualificationNumber: string;
  productZh: string;
  parameterZh: string;
  parameterEn: string;
  standardCode: string;
}

/**
 * The items of the lab's scope on certificates valid on the given date (YYYY-MM-DD, China time):
 * the only items a quote line may be placed under.
 */
export async function validScopeItems(db: DbOrTx, labId: string, onDate: string): Promise<ValidScopeItem[]> {
  return db
    .select({
      id: qualificationScopeItems.id,
      qualificationId: qualifications.id,
      kind: qualifications.kind,
      qualificationNumber: qualifications.number,
      productZh: qualificationScopeItems.productZh,
      parameterZh: qualificationScopeItems.parameterZh,
      parameterEn: qualificationScopeItems.parameterEn,
      standardCode: qualificationScopeItems.standardCode,
    })
    .from(qualifications)
    .innerJoin(qualificationScopeItems, eq(qualificationScopeItems.qualificationId, qualifications.id))
    .where(
      and(
        eq(qualifications.labId, labId),
        lte(qualifications.issuedOn, onDate),
        gte(qualifications.validUntil, onDate),
      ),
    )
    .orderBy(
      asc(qualifications.kind),
      asc(qualificationScopeItems.standardCode),
      asc(qualificationScopeItems.parameterZh),
      asc(qualificationScopeItems.id),
    );
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
