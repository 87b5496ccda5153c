import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Value } from 'typebox/value';
import { documented } from '../../lib/route.ts';
import { assertLabFinance } from './access.ts';
import { listBankLines } from './queue.ts';
import { dismissLine, matchLine } from './resolve.ts';
import {
  BankLineList,
  BankLineOut,
  BankLineQuery,
  DismissBody,
  LabParams,
  LineParams,
  MatchBody,
  PlatformLineParams,
  PlatformParams,
  StatementResult,
} from './schema.ts';
import { uploadStatement } from './upload.ts';

/** Content types a bank statement export arrives as. */
const CSV_TYPES = ['text/csv', 'application/csv'];

/** 对公转账: bank statement uploads, the queue of unmatched lines, manual matching. */
export const bankStatementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = () => ({ db: app.ctx.db, clock: app.ctx.clock });

  // The statement arrives as the raw CSV body (UTF-8 or GBK) on this plugin's routes alone; who
  // may upload is decided in preParsing, before the body is buffered.
  app.addContentTypeParser(
    CSV_TYPES,
    { parseAs: 'buffer', bodyLimit: app.ctx.config.uploadMaxBytes },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/v1/labs/:labId/bank-statements',
    {
      ...documented(
        ['money'],
        { params: LabParams, answer: StatementResult, problems: [400, 401, 403, 404, 413, 415, 422] },
        'Upload a bank statement (the raw CSV body, text/csv; charset UTF-8 or GBK) and match its credit lines to open invoices by payment reference; amount + payer only suggests (lab managers and staff)',
      ),
      preParsing: async (request) => {
        // Params are validated after parsing; malformed ones are left to that 400.
        if (Value.Check(LabParams, request.params)) assertLabFinance(request.actor, request.params.labId);
      },
    },
    async (request) =>
      uploadStatement(deps(), request.actor, request.params.labId, request.body, request.headers['content-type'] ?? ''),
  );

  app.get(
    '/v1/labs/:labId/bank-lines',
    documented(
      ['money'],
      { params: LabParams, querystring: BankLineQuery, answer: BankLineList, problems: [400, 401, 403, 404] },
      'The lab’s bank statement lines: by default the queue of unmatched and suggested lines, oldest first',
    ),
    async (request) => listBankLines(deps(), request.actor, request.params.labId, request.query),
  );

  app.post(
    '/v1/labs/:labId/bank-lines/:lineId/match',
    documented(
      ['money'],
      { params: LineParams, body: MatchBody, answer: BankLineOut, problems: [400, 401, 403, 404, 409] },
      'Match a line to an open invoice of the lab by hand (or confirm its suggestion): the line pays it, any excess becomes the customer’s credit; audited',
    ),
    async (request) =>
      matchLine(deps(), request.actor, request.params.labId, request.params.lineId, request.body.invoiceId),
  );

  app.post(
    '/v1/labs/:labId/bank-lines/:lineId/dismiss',
    documented(
      ['money'],
      { params: LineParams, body: DismissBody, answer: BankLineOut, problems: [400, 401, 403, 404, 409] },
      'Resolve a line that is no customer payment (interest, a refund …) with a note; audited',
    ),
    async (request) =>
      dismissLine(deps(), request.actor, request.params.labId, request.params.lineId, request.body.note),
  );

  // The platform's own account (its service fees from labs, its own events): the same parser and
  // matcher against the platform's open invoices, for the platform's admins.
  app.post(
    '/v1/admin/platforms/:platformId/bank-statements',
    {
      ...documented(
        ['money'],
        { params: PlatformParams, answer: StatementResult, problems: [400, 401, 403, 404, 413, 415, 422] },
        'Upload the platform’s own bank statement (raw CSV, UTF-8 or GBK) and match its credit lines to the platform’s open invoices (labs’ service fees, its own events) by payment reference; a fee paid is booked in the lab’s book too (the platform’s admins)',
      ),
      preParsing: async (request) => {
        if (Value.Check(PlatformParams, request.params)) {
          assertLabFinance(request.actor, request.params.platformId, 'platform');
        }
      },
    },
    async (request) =>
      uploadStatement(
        deps(),
        request.actor,
        request.params.platformId,
        request.body,
        request.headers['content-type'] ?? '',
        'platform',
      ),
  );

  app.get(
    '/v1/admin/platforms/:platformId/bank-lines',
    documented(
      ['money'],
      { params: PlatformParams, querystring: BankLineQuery, answer: BankLineList, problems: [400, 401, 403, 404] },
      'The platform’s bank statement lines: by default the queue of unmatched and suggested lines, oldest first',
    ),
    async (request) => listBankLines(deps(), request.actor, request.params.platformId, request.query, 'platform'),
  );

  app.post(
    '/v1/admin/platforms/:platformId/bank-lines/:lineId/match',
    documented(
      ['money'],
      { params: PlatformLineParams, body: MatchBody, answer: BankLineOut, problems: [400, 401, 403, 404, 409] },
      'Match a line of the platform’s statement to an open invoice of the platform by hand; audited',
    ),
    async (request) =>
      matchLine(
        deps(),
        request.actor,
        request.params.platformId,
        request.params.lineId,
        request.body.invoiceId,
        'platform',
      ),
  );

  app.post(
    '/v1/admin/platforms/:platformId/bank-lines/:lineId/dismiss',
    documented(
      ['money'],
      { params: PlatformLineParams, body: DismissBody, answer: BankLineOut, problems: [400, 401, 403, 404, 409] },
      'Resolve a line of the platform’s statement that pays no invoice, with a note; audited',
    ),
    async (request) =>
      dismissLine(
        deps(),
        request.actor,
        request.params.platformId,
        request.params.lineId,
        request.body.note,
        'platform',
      ),
  );
};
