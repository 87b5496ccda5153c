import { and, eq, inArray } from 'drizzle-orm';
import { enterpriseOfficers, services, type DbOrTx, type Service } from '@qihub/db';
import { findOrganisationNames } from '../../../lib/repository/organisation-names.ts';

/** Chinese names of organisations by id. */
export async function orgNames(db: DbOrTx, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await findOrganisationNames(db, [...new Set(ids)]);
  return new Map(rows.map((r) => [r.id, r.nameZh]));
}

/** Whether the user is the enterprise's named service officer. */
export async function isOfficerOf(db: DbOrTx, enterpriseId: string, userId: string): Promise<boolean> {
  const [officer] = await db
    .select({ id: enterpriseOfficers.enterpriseId })
    .from(enterpriseOfficers)
    .where(and(eq(enterpriseOfficers.enterpriseId, enterpriseId), eq(enterpriseOfficers.officerUserId, userId)))
    .limit(1);
  return officer !== undefined;
}

/** Those of the services the lab offers now (active), by id. */
export function activeServicesOfLab(db: DbOrTx, labId: string, ids: string[]): Promise<Service[]> {
  return db
    .select()
    .from(services)
    .where(and(inArray(services.id, ids), eq(services.labId, labId), eq(services.status, 'active')));
}

/** The labs the services belong to (any status), by id: tells "another lab's" from "no such service". */
export function labsOfServices(db: DbOrTx, ids: string[]): Promise<{ id: string; labId: string }[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.select({ id: services.id, labId: services.labId }).from(services).where(inArray(services.id, ids));
}
