import { inArray } from 'drizzle-orm';
import { organisations, type DbOrTx } from '@qihub/db';

/** The id and both names of each of these organisations (in no particular order). */
export async function findOrganisationNames(
  db: DbOrTx,
  ids: readonly string[],
): Promise<{ id: string; nameZh: string; nameEn: string }[]> {
  return db
    .select({ id: organisations.id, nameZh: organisations.nameZh, nameEn: organisations.nameEn })
    .from(organisations)
    .where(inArray(organisations.id, [...ids]));
}
