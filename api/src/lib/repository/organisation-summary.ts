import { eq } from 'drizzle-orm';
import { organisations, type DbOrTx } from '@qihub/db';

/** An organisation's kind, admission status, names and region, if it exists (of any kind: the caller checks). */
export async function findOrganisationSummary(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      id: organisations.id,
      kind: organisations.kind,
      status: organisations.status,
      nameZh: organisations.nameZh,
      nameEn: organisations.nameEn,
      regionCode: organisations.regionCode,
    })
    .from(organisations)
    .where(eq(organisations.id, id))
    .limit(1);
  return row;
}
