import type { RequestEvent } from '@sveltejs/kit';
import { invalidMoney, refusedMoney, send } from './finance.server';
import { parseReason, text, UUID } from './forms';
import type { StatementCounts } from './types';

/** A bank export is small (a month of one account's transfers); anything far larger is not one. */
export const MAX_STATEMENT_BYTES = 5 * 1024 * 1024;

/**
 * The bank-statement actions of a book's page — a lab's 银行流水 or the platform's own statement on
 * its fees page: upload the bank's export, match a line to an open invoice by hand, or dismiss it
 * with a note. `owner` checks the visitor may work this book (or redirects/refuses) and names it;
 * `back` redirects to the page with a flash word.
 */
export function bankStatementActions(book: {
  owner: (event: RequestEvent) => string;
  /** The API's path to the book's bank endpoints, with its one path parameter. */
  base: '/v1/labs/{labId}' | '/v1/admin/platforms/{platformId}';
  param: 'labId' | 'platformId';
  back: (url: URL, flash: string) => never;
}) {
  const at = (orgId: string, lineId?: string) =>
    lineId === undefined ? { [book.param]: orgId } : { [book.param]: orgId, lineId };
  return {
    upload: async (event: RequestEvent) => {
      const orgId = book.owner(event);
      const file = (await event.request.formData()).get('file');
      if (!(file instanceof File) || file.size === 0) return invalidMoney('upload', { file: 'required' }, {});
      if (file.size > MAX_STATEMENT_BYTES) return invalidMoney('upload', { file: 'too_large' }, {});
      const bytes = new Uint8Array(await file.arrayBuffer());
      const outcome = await send<StatementCounts>(
        event.locals.api,
        'POST',
        `${book.base}/bank-statements`,
        at(orgId),
        bytes,
        { 'content-type': 'text/csv' },
      );
      if (!outcome.ok) return refusedMoney('upload', outcome);
      return { action: 'upload', ok: true as const, counts: outcome.data };
    },
    match: async (event: RequestEvent) => {
      const orgId = book.owner(event);
      const form = await event.request.formData();
      const lineId = text(form, 'lineId');
      const invoiceId = text(form, 'invoiceId');
      if (!UUID.test(lineId)) return invalidMoney('match', { invoiceId: 'invalid_value' }, {}, { lineId });
      if (!UUID.test(invoiceId)) return invalidMoney('match', { invoiceId: 'required' }, {}, { lineId });
      const path = `${book.base}/bank-lines/{lineId}/match`;
      const outcome = await send(event.locals.api, 'POST', path, at(orgId, lineId), { invoiceId });
      if (!outcome.ok) return refusedMoney('match', outcome, { lineId });
      book.back(event.url, 'matched');
    },
    dismiss: async (event: RequestEvent) => {
      const orgId = book.owner(event);
      const form = await event.request.formData();
      const lineId = text(form, 'lineId');
      const note = parseReason(form, 'note');
      if (!UUID.test(lineId)) return invalidMoney('dismiss', { note: 'invalid_value' }, {}, { lineId });
      if (note.error) return invalidMoney('dismiss', { note: note.error }, { note: note.value }, { lineId });
      const path = `${book.base}/bank-lines/{lineId}/dismiss`;
      const outcome = await send(event.locals.api, 'POST', path, at(orgId, lineId), { note: note.value });
      if (!outcome.ok) return refusedMoney('dismiss', outcome, { lineId });
      book.back(event.url, 'dismissed');
    },
  };
}
