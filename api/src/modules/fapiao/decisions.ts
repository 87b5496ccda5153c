import type { FapiaoRequest, Tx } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { conflict, notFound, unprocessable } from '../../lib/errors.ts';
import { membersOf, notifyUsers } from '../../lib/notify.ts';
import { localDate } from '../../lib/time.ts';
import { assertFapiaoDesk } from './access.ts';
import * as repo from './repository.ts';
import type { FapiaoDeps } from './title.ts';
import { requestViews } from './view.ts';

export interface IssuedInput {
  fapiaoNumber: string;
  issuedOn: string;
  note?: string;
}

const TYPE_ZH = { normal: '普通发票', special: '增值税专用发票' } as const;

/**
 * A pending request of the lab's under its row lock; 404 for another lab's or none, 409 when it
 * is no longer pending.
 */
async function pendingOf(tx: Tx, labId: string, id: string) {
  const row = await repo.lockRequest(tx, id);
  if (!row || row.labId !== labId) throw notFound('fapiao request');
  if (row.status !== 'pending') {
    throw conflict('illegal_transition', `This fapiao request is already ${row.status}.`);
  }
  return row;
}

async function decide(
  deps: FapiaoDeps,
  a: Actor,
  labId: string,
  id: string,
  decision: (row: FapiaoRequest) => {
    patch: Partial<FapiaoRequest>;
    action: string;
    notice: { titleZh: string; titleEn: string; bodyZh: string; bodyEn: string };
  },
) {
  return deps.db.transaction(async (tx) => {
    const row = await pendingOf(tx, labId, id);
    const { patch, action, notice } = decision(row);
    const updated = await repo.decidePending(tx, id, { ...patch, decidedBy: a.userId, decidedAt: deps.clock() });
    if (!updated) throw conflict('illegal_transition', 'This fapiao request is no longer pending.');
    await recordAudit(tx, a, {
      at: deps.clock(),
      action,
      entityType: 'fapiao_request',
      entityId: id,
      orgId: labId,
      before: { status: row.status },
      after: { status: updated.status, ...patch },
    });
    const customer = await membersOf(tx, row.customerOrgId, { activeOnly: true });
    await notifyUsers(
      tx,
      customer,
      { kind: action, ...notice, link: `/invoices/${row.invoiceId}` },
      `fapiao:${id}:${updated.status}`,
      deps.clock(),
    );
    const full = await repo.findRequestWithNumber(tx, id);
    const [view] = await requestViews(tx, [full!]);
    return view!;
  });
}

/**
 * The lab records the fapiao it issued in the tax system (QIHub does not talk to the tax system):
 * its number and date. The date lies between the request's day and today (Asia/Shanghai).
 */
export async function recordIssued(
  deps: FapiaoDeps,
  actor: Actor | null,
  labId: string,
  id: string,
  input: IssuedInput,
) {
  const a = assertFapiaoDesk(actor, labId);
  const today = localDate(deps.clock());
  return decide(deps, a, labId, id, (row) => {
    const requestedOn = localDate(row.requestedAt);
    if (input.issuedOn < requestedOn || input.issuedOn > today) {
      throw unprocessable('issued_on_out_of_range', 'The fapiao was issued between the request and today.', [
        {
          path: '/issuedOn',
          code: 'issued_on_out_of_range',
          message: `开票日期应在 ${requestedOn} 至 ${today} 之间。The issue date lies between ${requestedOn} and ${today}.`,
        },
      ]);
    }
    return {
      action: 'fapiao.issued',
      patch: {
        status: 'issued',
        fapiaoNumber: input.fapiaoNumber,
        issuedOn: input.issuedOn,
        labNote: input.note?.trim() ?? '',
      },
      notice: {
        titleZh: `发票已开具：${input.fapiaoNumber}`,
        titleEn: `Fapiao issued: ${input.fapiaoNumber}`,
        bodyZh: `${TYPE_ZH[row.type]} ${input.fapiaoNumber}，开票日期 ${input.issuedOn}（由机构在税务系统开具）。`,
        bodyEn: `Fapiao ${input.fapiaoNumber} of ${input.issuedOn}, issued by the lab in the tax system.`,
      },
    };
  });
}

/** The lab turns a request down with a reason; the customer may then correct its title and ask again. */
export async function rejectRequest(deps: FapiaoDeps, actor: Actor | null, labId: string, id: string, reason: string) {
  const a = assertFapiaoDesk(actor, labId);
  const why = reason.trim();
  if (why === '')
    throw unprocessable('required', 'Give a reason.', [
      { path: '/reason', code: 'required', message: 'Give a reason.' },
    ]);
  return decide(deps, a, labId, id, () => ({
    action: 'fapiao.rejected',
    patch: { status: 'rejected', rejectReason: why },
    notice: {
      titleZh: '开票申请被退回',
      titleEn: 'Fapiao request returned',
      bodyZh: `原因：${why}。可修改发票抬头后重新申请。`,
      bodyEn: `Reason: ${why}. You may correct the invoice title and ask again.`,
    },
  }));
}
