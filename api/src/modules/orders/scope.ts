import { and, eq, gte, lte } from 'drizzle-orm';
import { qualificationScopeItems, qualifications, type DbOrTx } from '@qihub/db';

/** A quote or report item to be checked against the lab's CMA / CNAS scope. */
export interface ScopeQuery {
  parameterZh: string;
  standardCode: string;
}

export interface ScopeMark {
  inCmaScope: boolean;
  inCnasScope: boolean;
  /** The certificate that covers the item on that date, when one does. */
  cmaQualificationId: string | null;
  cnasQualificationId: string | null;
}

/**
 * Standard numbers are written many ways ("GB/T 10125-2021", "GB/T10125—2021", "gb/t 10125－2021"):
 * compare them without spaces, in upper case, with every dash alike.
 */
export function normaliseStandard(code: string): string {
  return code
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\u3000]+/g, '')
    .replace(/[‐‑‒–—―－−]/g, '-');
}

export function normaliseParameter(parameter: string): string {
  return parameter.normalize('NFKC').replace(/[\s\u3000]+/g, '');
}

/** Matches one item against scope rows: the standard must match; the parameter too when the item names one. */
export function itemInScope(item: ScopeQuery, scope: readonly ScopeQuery[]): boolean {
  const standard = normaliseStandard(item.standardCode);
  if (!standard) return false;
  const parameter = normaliseParameter(item.parameterZh);
  return scope.some(
    (s) =>
      normaliseStandard(s.standardCode) === standard &&
      (parameter === '' || normaliseParameter(s.parameterZh) === parameter),
  );
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
  const rows = await db
    .select({
      qualificationId: qualifications.id,
      kind: qualifications.kind,
      parameterZh: qualificationScopeItems.parameterZh,
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
    );
  const cma = rows.filter((r) => r.kind === 'cma');
  const cnas = rows.filter((r) => r.kind === 'cnas');
  const covering = (pool: typeof rows, item: ScopeQuery) =>
    pool.find((r) => itemInScope(item, [r]))?.qualificationId ?? null;
  return items.map((item) => {
    const cmaId = covering(cma, item);
    const cnasId = covering(cnas, item);
    return {
      inCmaScope: cmaId !== null,
      inCnasScope: cnasId !== null,
      cmaQualificationId: cmaId,
      cnasQualificationId: cnasId,
    };
  });
}
