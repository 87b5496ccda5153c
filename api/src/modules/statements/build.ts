import { createHash } from 'node:crypto';
import type { Db, LabStatement, Tx } from '@qihub/db';
import { collectStatement, monthWindow, previousMonth, type StatementKey } from './figures.ts';
import { renderStatementPdf } from './pdf.ts';
import * as repo from './repository.ts';
import { renderStatementXlsx } from './xlsx.ts';

export interface StatementDeps {
  db: Db;
  clock: () => Date;
}

/** For tests: runs inside the build's transaction after half of the work (JSON and PDF written, XLSX not yet). */
export interface BuildHooks {
  midway?: (tx: Tx) => Promise<void>;
}

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/**
 * Builds (or rebuilds) one month's statement and stores it with the SHA-256 of each file, in one
 * repeatable-read transaction: the figures come from one snapshot, and a worker killed halfway
 * leaves nothing behind — the rerun writes the whole statement. The files depend only on the
 * month's data, so a rebuild gives the same bytes; only `builtAt` moves.
 */
export async function buildStatement(
  deps: StatementDeps,
  key: StatementKey,
  hooks: BuildHooks = {},
): Promise<LabStatement> {
  return deps.db.transaction(
    async (tx) => {
      const data = await collectStatement(tx, key);
      const json = JSON.stringify(data);
      const pdf = await renderStatementPdf(data);
      const empty = Buffer.alloc(0);
      const row = await repo.upsertStatement(
        tx,
        { labId: key.labId, customerOrgId: key.customerOrgId, month: key.month },
        {
          json,
          jsonSha256: sha256(json),
          pdf,
          pdfSha256: sha256(pdf),
          xlsx: empty,
          xlsxSha256: sha256(empty),
          builtAt: deps.clock(),
        },
      );
      await hooks.midway?.(tx);
      const xlsx = await renderStatementXlsx(data);
      return repo.updateXlsx(tx, row.id, xlsx, sha256(xlsx));
    },
    { isolationLevel: 'repeatable read' },
  );
}

/**
 * The monthly run (the 1st, Asia/Shanghai): every lab's statement of the month before, and every
 * monthly-account customer's with each lab, that is not built yet — so an hourly sweep builds them
 * on the 1st and catches any a stopped worker missed. Returns how many it built.
 */
export async function buildDueStatements(deps: StatementDeps, batch = 50): Promise<number> {
  const month = previousMonth(deps.clock());
  let built = 0;
  for (const labId of await repo.labsWithoutStatement(deps.db, month, batch)) {
    await buildStatement(deps, { labId, month, customerOrgId: null });
    built++;
  }
  const win = { ...monthWindow(month), month };
  for (const k of await repo.monthlyAccountsWithoutStatement(deps.db, win, batch)) {
    await buildStatement(deps, { ...k, month });
    built++;
  }
  return built;
}
