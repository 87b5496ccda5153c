import type { FapiaoType } from '@qihub/db';
import { membershipIn, requireActor, type Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, forbidden, notFound, unprocessable } from '../../lib/errors.ts';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import { isUniqueViolation } from '../../lib/pg-errors.ts';
import { isIssuer } from '../invoices/index.ts';
import { rateShares } from './amounts.ts';
import * as repo from './repository.ts';
import { missingFor, titleFields, type FapiaoDeps } from './title.ts';
import { requestViews } from './view.ts';

export interface FapiaoRequestInput {
  type?: FapiaoType;
  note?: string;
}

const alreadyRequested = () =>
  conflict(
    'fapiao_already_requested',
    '这张账单已申请开票。A fapiao has already been requested for this invoice (a new request is possible after a rejection).',
  );

/**
 * The customer marks a paid invoice for fapiao. The title is copied into the request as it is now
 * (a later change of title does not alter it), with the amount by VAT rate. Once per invoice: a
 * second live request is 409, the partial unique index the proof.
 */
export async function requestFapiao(
  deps: FapiaoDeps,
  actor: Actor | null,
  invoiceId: string,
  input: FapiaoRequestInput,
) {
  const a = requireActor(actor);
  try {
    return await deps.db.transaction(async (tx) => {
      const inv = await repo.lockInvoice(tx, invoiceId);
      if (!inv) throw notFound('invoice');
      if (!membershipIn(a, inv.customerOrgId)) {
        if (isIssuer(a, inv.labId)) throw forbidden('The customer asks for its fapiao; the lab records it.');
        throw notFound('invoice');
      }
      if (inv.kind !== 'invoice' || inv.status !== 'paid') {
        throw conflict('invoice_not_paid', '账单付清后才能申请开票。A fapiao is requested once the invoice is paid.');
      }
      const title = await repo.findTitle(tx, inv.customerOrgId);
      if (!title) {
        throw unprocessable('fapiao_title_missing', '请先填写发票抬头。Save the organisation’s invoice title first.');
      }
      const type = input.type ?? title.type;
      const snapshot = titleFields(title);
      const missing = missingFor(type, snapshot, '/title');
      if (missing.length > 0) {
        throw unprocessable(
          'fapiao_title_incomplete',
          '专用发票需要完整的发票抬头。The invoice title lacks fields this type of fapiao needs.',
          missing,
        );
      }
      if (await repo.liveRequestOf(tx, inv.id)) throw alreadyRequested();
      const shares = rateShares(await repo.invoiceLinesOf(tx, inv.id), inv.totalFen - inv.amountCreditedFen);
      const row = await repo.insertRequest(tx, {
        invoiceId: inv.id,
        labId: inv.labId,
        customerOrgId: inv.customerOrgId,
        type,
        title: snapshot,
        amountFen: shares.reduce((s, x) => s + x.amountFen, 0),
        taxFen: shares.reduce((s, x) => s + x.taxFen, 0),
        rates: shares,
        currency: inv.currency,
        note: input.note?.trim() ?? '',
        requestedBy: a.userId,
        requestedAt: deps.clock(),
      });
      await recordAudit(tx, a, {
        at: deps.clock(),
        action: 'fapiao.requested',
        entityType: 'fapiao_request',
        entityId: row.id,
        orgId: inv.customerOrgId,
        after: { invoiceId: inv.id, type, title: snapshot, amountFen: row.amountFen },
      });
      const desk = await membersOf(tx, inv.labId, { roles: ['manager', 'staff', 'admin'], activeOnly: true });
      await notifyUsers(
        tx,
        desk,
        {
          kind: 'fapiao.requested',
          titleZh: `开票申请：账单 ${inv.number}`,
          titleEn: `Fapiao requested: invoice ${inv.number}`,
          bodyZh: `${snapshot.name} 申请开具${type === 'special' ? '增值税专用发票' : '普通发票'}。请在税务系统开具后登记发票号码。`,
          bodyEn: `${snapshot.name} asks for a ${type} fapiao. Issue it in the tax system, then record its number here.`,
          link: '/console/fapiao',
        },
        `fapiao:${row.id}:requested`,
        deps.clock(),
      );
      const [view] = await requestViews(tx, [{ request: row, invoiceNumber: inv.number }]);
      return view!;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'fapiao_requests_live_uq')) throw alreadyRequested();
    throw error;
  }
}
