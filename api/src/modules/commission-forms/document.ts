import type { CommissionForm, DbOrTx, Order } from '@qihub/db';
import { conflict } from '../../lib/errors.ts';
import { localDate } from '../../lib/time.ts';
import * as repo from './repository.ts';

/**
 * Everything the printed commission form (委托单) shows, gathered from the order as it stands: the
 * two parties, the agreed lines, the form the customer filled in on accepting the quote, the
 * turnaround and the fees. The lab's CMA / CNAS numbers are those in force on the day of acceptance
 * (the day the form was made), so a later renewal does not change an old form.
 */
export interface CommissionDocument {
  orderNumber: string;
  titleZh: string;
  acceptedAt: Date;
  /** YYYY-MM-DD, China date of acceptance. */
  acceptedOn: string;
  customer: {
    nameZh: string;
    creditCode: string;
    address: string;
    contactName: string;
    contactPhone: string;
    contactEmail: string;
  };
  lab: {
    nameZh: string;
    nameEn: string;
    address: string;
    phone: string;
    email: string;
    cmaNumbers: string[];
    cnasNumbers: string[];
  };
  lines: {
    position: number;
    parameterZh: string;
    descriptionZh: string;
    standardCode: string;
    quantity: number;
    unit: string;
    sampleCount: number | null;
    unitPriceFen: number;
    amountFen: number;
  }[];
  commission: CommissionForm;
  turnaround: {
    deadlineTierDays: number | null;
    expedite: Order['expedite'];
    expeditePct: number;
    /** China date the report is promised for, once the clock has started. */
    dueOn: string | null;
    needsSamples: boolean;
  };
  fees: { subtotalFen: number; surchargeFen: number; surchargeWaived: boolean; totalFen: number };
}

export const missingCommission = () =>
  conflict(
    'commission_form_missing',
    'The order has no commission form yet: the customer fills it in when accepting the quote.',
  );

/** The commission document of an accepted order; 409 `commission_form_missing` before acceptance. */
export async function commissionDocument(db: DbOrTx, order: Order): Promise<CommissionDocument> {
  if (!order.commission || !order.acceptedAt) throw missingCommission();
  const acceptedOn = localDate(order.acceptedAt);
  const [customer, lab, address, site, certificates, lines, contact] = await Promise.all([
    repo.organisationParticulars(db, order.customerOrgId),
    repo.organisationParticulars(db, order.labId),
    repo.fapiaoAddressOf(db, order.customerOrgId),
    repo.firstSiteOf(db, order.labId),
    repo.qualificationsInForce(db, order.labId, acceptedOn),
    repo.agreedLinesOf(db, order.id),
    repo.personOf(db, order.acceptedBy ?? order.requestedBy),
  ]);
  return {
    orderNumber: order.number,
    titleZh: order.titleZh,
    acceptedAt: order.acceptedAt,
    acceptedOn,
    customer: {
      nameZh: customer?.nameZh ?? '',
      creditCode: customer?.creditCode ?? '',
      address,
      contactName: contact?.displayName ?? '',
      contactPhone: contact?.phone ?? customer?.contactPhone ?? '',
      contactEmail: contact?.email ?? customer?.contactEmail ?? '',
    },
    lab: {
      nameZh: lab?.nameZh ?? '',
      nameEn: lab?.nameEn ?? '',
      address: site?.addressZh ?? '',
      phone: lab?.contactPhone ?? '',
      email: lab?.contactEmail ?? '',
      cmaNumbers: certificates.filter((c) => c.kind === 'cma').map((c) => c.number),
      cnasNumbers: certificates.filter((c) => c.kind === 'cnas').map((c) => c.number),
    },
    lines: lines.map((l) => ({ ...l, unitPriceFen: l.unitPriceFen ?? 0, amountFen: l.amountFen ?? 0 })),
    commission: order.commission,
    turnaround: {
      deadlineTierDays: order.deadlineTierDays,
      expedite: order.expedite,
      expeditePct: order.expeditePct,
      dueOn: order.dueAt ? localDate(order.dueAt) : null,
      needsSamples: order.needsSamples,
    },
    fees: {
      subtotalFen: order.subtotalFen,
      surchargeFen: order.surchargeFen,
      surchargeWaived: order.surchargeWaived,
      totalFen: order.totalFen,
    },
  };
}
