import type { JobPayload } from '../../jobs/contracts.ts';
import type { JobDeps, JobHandler } from '../../jobs/registry.ts';
import { buildIfMissing, queueDueStatements } from './build.ts';

/** The monthly statements: an hourly sweep queues last month's missing ones (so the 1st, and any missed run). */
export function statementJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  const statementDeps = () => ({ db: deps.db, clock });
  return [
    {
      name: 'statements.build-monthly',
      handle: async () => {
        await queueDueStatements(statementDeps());
      },
    },
    {
      name: 'statements.build',
      // Idempotent: a statement already stored is left alone (a rebuild would give the same files).
      handle: async (payload) => {
        const p = payload as JobPayload<'statements.build'>;
        await buildIfMissing(statementDeps(), p);
      },
    },
  ];
}
