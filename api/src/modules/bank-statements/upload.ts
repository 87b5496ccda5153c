import type { Db } from '@qihub/db';
import type { Actor } from '../../lib/actor.ts';
import { recordAudit } from '../../lib/audit.ts';
import { AppError } from '../../lib/errors.ts';
import { settleFeePayables } from '../platform-fees/index.ts';
import { assertLabFinance, type BookKind } from './access.ts';
import { parseStatement } from './csv.ts';
import * as claims from './repository/claims.ts';
import * as match from './repository/match.ts';

export interface BankDeps {
  db: Db;
  clock: () => Date;
}

/**
 * 对公转账 matching: a lab uploads its bank statement; every new credit line is matched in one
 * transaction — a reference in the remark pays that open invoice (in part, in full, or beyond, the
 * excess becoming the customer's credit), amount + payer name only suggests, the rest waits in the
 * queue; a transfer from a voucher programme's issuer naming an approved claim's invoice number pays
 * that claim. A line uploaded before (its 交易流水号, or its content and occurrence in the file) changes
 * nothing and is counted as a duplicate.
 */
export async function uploadStatement(
  deps: BankDeps,
  actor: Actor | null,
  labId: string,
  body: unknown,
  contentType: string,
  kind: BookKind = 'lab',
) {
  const a = assertLabFinance(actor, labId, kind);
  if (!Buffer.isBuffer(body)) {
    throw new AppError(415, 'unsupported_media_type', 'Send the statement as the request body, text/csv.');
  }
  const parsed = parseStatement(body, contentType);
  const at = deps.clock();
  return deps.db.transaction(async (tx) => {
    await match.lockLab(tx, labId);
    const statementId = await match.insertStatement(tx, labId, a.userId, parsed.charset, at);
    await match.stageLines(tx, labId, statementId, parsed.lines, at);
    await match.applyReferences(tx, labId, at);
    // A platform's statement pays labs' fee invoices: the labs' books record their side too.
    if (kind === 'platform') await settleFeePayables(tx, at, await match.statementLineIds(tx, statementId));
    await match.suggestByAmountAndPayer(tx, labId);
    // The voucher programme's transfers (payer: its issuer; remark: the claim's invoice number).
    if (kind === 'lab') await claims.applyClaimPayments(tx, labId, at);
    const counts = await match.finishStatement(tx, statementId);
    await recordAudit(tx, a, {
      at: deps.clock(),
      action: 'bank_statement.uploaded',
      entityType: 'bank_statement',
      entityId: statementId,
      orgId: labId,
      after: { charset: parsed.charset, ...counts },
    });
    return { statementId, ...counts };
  });
}
