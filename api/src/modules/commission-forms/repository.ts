import { and, asc, eq, gte, isNull, lte, or, gt } from 'drizzle-orm';
import {
  fapiaoTitles,
  orderCommissionScans,
  orderLines,
  organisations,
  qualifications,
  regions,
  sites,
  users,
  type DbOrTx,
  type OrderCommissionScan,
} from '@qihub/db';

/** The order's live lines (a withdrawn line is not part of what was agreed), in their order. */
export function agreedLinesOf(db: DbOrTx, orderId: string) {
  return db
    .select({
      position: orderLines.position,
      descriptionZh: orderLines.descriptionZh,
      parameterZh: orderLines.parameterZh,
      standardCode: orderLines.standardCode,
      quantity: orderLines.quantity,
      unit: orderLines.unit,
      sampleCount: orderLines.sampleCount,
      unitPriceFen: orderLines.unitPriceFen,
      amountFen: orderLines.amountFen,
      inCmaScope: orderLines.inCmaScope,
      inCnasScope: orderLines.inCnasScope,
    })
    .from(orderLines)
    .where(and(eq(orderLines.orderId, orderId), isNull(orderLines.removedAt)))
    .orderBy(asc(orderLines.position));
}

/** An organisation's particulars for a document: names, credit code, region name, contact. */
export async function organisationParticulars(db: DbOrTx, id: string) {
  const [row] = await db
    .select({
      nameZh: organisations.nameZh,
      nameEn: organisations.nameEn,
      creditCode: organisations.creditCode,
      regionNameZh: regions.nameZh,
      contactPhone: organisations.contactPhone,
      contactEmail: organisations.contactEmail,
    })
    .from(organisations)
    .innerJoin(regions, eq(regions.code, organisations.regionCode))
    .where(eq(organisations.id, id))
    .limit(1);
  return row;
}

/** The address on the organisation's invoice title (发票抬头), where it keeps one. */
export async function fapiaoAddressOf(db: DbOrTx, orgId: string): Promise<string> {
  const [row] = await db
    .select({ address: fapiaoTitles.address })
    .from(fapiaoTitles)
    .where(eq(fapiaoTitles.orgId, orgId))
    .limit(1);
  return row?.address ?? '';
}

/** The lab's first site (the one it registered with): its address is the lab's. */
export async function firstSiteOf(db: DbOrTx, labId: string) {
  const [row] = await db
    .select({ addressZh: sites.addressZh })
    .from(sites)
    .where(eq(sites.labId, labId))
    .orderBy(asc(sites.createdAt), asc(sites.id))
    .limit(1);
  return row;
}

/** The CMA / CNAS certificates of the lab in force on a local date (not withdrawn by then). */
export function qualificationsInForce(db: DbOrTx, labId: string, on: string) {
  return db
    .select({ kind: qualifications.kind, number: qualifications.number })
    .from(qualifications)
    .where(
      and(
        eq(qualifications.labId, labId),
        lte(qualifications.issuedOn, on),
        gte(qualifications.validUntil, on),
        or(isNull(qualifications.withdrawnOn), gt(qualifications.withdrawnOn, on)),
      ),
    )
    .orderBy(asc(qualifications.kind), asc(qualifications.number));
}

/** A user's name and how to reach them. */
export async function personOf(db: DbOrTx, userId: string) {
  const [row] = await db
    .select({ id: users.id, displayName: users.displayName, phone: users.phone, email: users.email })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row;
}

/** The order's signed commission form scan, with the uploader's name. */
export async function commissionScanOf(db: DbOrTx, orderId: string) {
  const [row] = await db
    .select({ scan: orderCommissionScans, uploaderName: users.displayName })
    .from(orderCommissionScans)
    .leftJoin(users, eq(users.id, orderCommissionScans.uploadedBy))
    .where(eq(orderCommissionScans.orderId, orderId))
    .limit(1);
  return row;
}

/** Puts the scan on the order (replacing an earlier one); answers the row before, if any. */
export async function putCommissionScan(
  db: DbOrTx,
  row: OrderCommissionScan,
): Promise<OrderCommissionScan | undefined> {
  const [before] = await db
    .select()
    .from(orderCommissionScans)
    .where(eq(orderCommissionScans.orderId, row.orderId))
    .limit(1);
  const { orderId, ...set } = row;
  await db
    .insert(orderCommissionScans)
    .values(row)
    .onConflictDoUpdate({ target: orderCommissionScans.orderId, set: { ...set, orderId } });
  return before;
}
