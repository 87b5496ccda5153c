import { eq, sql } from 'drizzle-orm';
import { labOrderSettings, reports, type DbOrTx } from '@qihub/db';

export type LabOrderSettingsRow = typeof labOrderSettings.$inferSelect;
export type LabOrderSettingsValues = Omit<typeof labOrderSettings.$inferInsert, 'labId' | 'updatedAt'>;

/** The lab's saved order settings, if it ever saved any. */
export async function findOrderSettings(db: DbOrTx, labId: string): Promise<LabOrderSettingsRow | undefined> {
  const [row] = await db.select().from(labOrderSettings).where(eq(labOrderSettings.labId, labId)).limit(1);
  return row;
}

/** Writes the lab's settings row (insert or replace); a prefix another lab holds fails on its unique index. */
export async function upsertOrderSettings(
  tx: DbOrTx,
  labId: string,
  values: LabOrderSettingsValues,
  now: Date,
): Promise<void> {
  await tx
    .insert(labOrderSettings)
    .values({ labId, ...values, updatedAt: now })
    .onConflictDoUpdate({ target: labOrderSettings.labId, set: { ...values, updatedAt: now } });
}

/** The report prefix the lab's settings row holds, if it has a row. */
export async function findReportPrefix(db: DbOrTx, labId: string): Promise<string | undefined> {
  const [row] = await db
    .select({ prefix: labOrderSettings.reportPrefix })
    .from(labOrderSettings)
    .where(eq(labOrderSettings.labId, labId))
    .limit(1);
  return row?.prefix;
}

/**
 * A settings row for the lab with this prefix, unless a row conflicts (the lab has one already, or
 * another lab holds the prefix): then nothing is written and undefined answered.
 */
export async function insertSettingsWithPrefix(
  tx: DbOrTx,
  values: typeof labOrderSettings.$inferInsert,
): Promise<string | undefined> {
  const [row] = await tx
    .insert(labOrderSettings)
    .values(values)
    .onConflictDoNothing()
    .returning({ prefix: labOrderSettings.reportPrefix });
  return row?.prefix;
}

/**
 * Those of `prefixes` no other lab holds in its settings or has used in a report number it
 * issued, in the order given (one query, whatever the number of candidates).
 */
export async function prefixesFreeFor(db: DbOrTx, labId: string, prefixes: string[]): Promise<string[]> {
  const list = sql.join(
    prefixes.map((p) => sql`${p}`),
    sql`, `,
  );
  const { rows } = await db.execute<{ prefix: string }>(sql`
    SELECT c.prefix FROM unnest(ARRAY[${list}]::text[]) WITH ORDINALITY AS c(prefix, i)
    WHERE NOT EXISTS (
            SELECT 1 FROM ${labOrderSettings}
            WHERE ${labOrderSettings.reportPrefix} = c.prefix AND ${labOrderSettings.labId} <> ${labId}::uuid)
      AND NOT EXISTS (
            SELECT 1 FROM ${reports}
            WHERE ${reports.labId} <> ${labId}::uuid AND starts_with(${reports.number}, c.prefix || '-'))
    ORDER BY c.i`);
  return rows.map((r) => r.prefix);
}
