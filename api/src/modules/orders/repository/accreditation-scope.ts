import { and, asc, eq, gt, gte, isNull, lte, or } from 'drizzle-orm';
import { qualificationScopeItems, qualifications, type DbOrTx } from '@qihub/db';

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
        or(isNull(qualifications.withdrawnOn), gt(qualifications.withdrawnOn, onDate)),
      ),
    )
    .orderBy(
      asc(qualifications.kind),
      asc(qualificationScopeItems.standardCode),
      asc(qualificationScopeItems.parameterZh),
      asc(qualificationScopeItems.id),
    );
}
