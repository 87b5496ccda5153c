import type { JobDeps, JobHandler } from '../../jobs/registry.ts';
import { buildDueStatements } from './build.ts';

/** The monthly statements: an hourly sweep builds last month's missing ones (so the 1st, and any missed run). */
export function statementJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  return [
    {
      name: 'statements.build-monthly',
      // Idempotent: builds only months with no stored statement; a rebuild would give the same files anyway.
      handle: async () => {
        await buildDueStatements({ db: deps.db, clock });
      },
    },
  ];
}
