import { createHash } from 'node:crypto';
import type { Db, LabStatement, Tx } from '@qihub/db';
import { enqueueAfterCommit } from '../../lib/audit.ts';
import { localDate } from '../../lib/time.ts';
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
  // Two builders of the same statement at once (the monthly job and a first download): the later
  // upsert fails to serialise; it runs again on a fresh snapshot and writes the same files.
  for (let attempt = 1; ; attempt++) {
    try {
      return await buildOnce(deps, key, hooks);
    } catch (error) {
      if (attempt >= 3 || !isSerializationFailure(error)) throw error;
    }
  }
}

/** 40001 serialization_failure (drizzle wraps the driver's error in `cause`). */
function isSerializationFailure(error: unknown): boolean {
  for (let e = error, i = 0; e && typeof e === 'object' && i < 3; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === '40001') return true;
  }
  return false;
}

async function buildOnce(deps: StatementDeps, key: StatementKey, hooks: BuildHooks): Promise<LabStatement> {
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
 * The running month's statement so far (暂定): the same figures and files, read in one snapshot,
 * never stored — it is built again on each request until the month is over and the real one is.
 */
export async function provisionalStatement(deps: StatementDeps, key: StatementKey): Promise<LabStatement> {
  return deps.db.transaction(
    async (tx) => {
      const now = deps.clock();
      const data = await collectStatement(tx, key);
      const json = JSON.stringify({ ...data, provisional: true, asOf: now.toISOString() });
      const pdf = await renderStatementPdf(data);
      const xlsx = await renderStatementXlsx(data);
      return {
        id: '00000000-0000-0000-0000-000000000000',
        labId: key.labId,
        customerOrgId: key.customerOrgId,
        month: key.month,
        json,
        jsonSha256: sha256(json),
        pdf,
        pdfSha256: sha256(pdf),
        xlsx,
        xlsxSha256: sha256(xlsx),
        builtAt: now,
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** Builds the statement unless it is stored already; null when it was. */
export async function buildIfMissing(deps: StatementDeps, key: StatementKey): Promise<LabStatement | null> {
  if (await repo.findStatement(deps.db, key)) return null;
  return buildStatement(deps, key);
}

/**
 * The monthly run (the 1st, Asia/Shanghai): every lab's statement of the month before, and every
 * monthly-account customer's with each lab, that is not built yet — so an hourly sweep queues them
 * on the 1st and catches any a stopped worker missed. One job per statement, so the builds spread
 * over the workers; the dedupe key carries the day, so a lost job is queued again the next day.
 */
export async function queueDueStatements(deps: StatementDeps, batch = 500): Promise<StatementKey[]> {
  const now = deps.clock();
  const month = previousMonth(now);
  const day = localDate(now);
  const labs = await repo.labsWithoutStatement(deps.db, month, batch);
  const accounts = await repo.monthlyAccountsWithoutStatement(deps.db, { ...monthWindow(month), month }, batch);
  const keys: StatementKey[] = [
    ...labs.map((labId) => ({ labId, month, customerOrgId: null })),
    ...accounts.map((k) => ({ ...k, month })),
  ];
  await deps.db.transaction(async (tx) => {
    for (const k of keys) {
      await enqueueAfterCommit(
        tx,
        'statements.build',
        { ...k },
        `statements.build:${k.labId}:${k.customerOrgId ?? 'lab'}:${k.month}:${day}`,
      );
    }
  });
  return keys;
}
