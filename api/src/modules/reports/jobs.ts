import type { JobPayload } from '../../jobs/contracts.ts';
import type { JobDeps } from '../../jobs/registry.ts';
import type { JobHandler } from '../../jobs/registry.ts';
import { DEFAULT_FILES_DIR } from '../../config.ts';
import { enqueueAfterCommit } from '../../lib/audit.ts';
import { reportsWithoutPdf } from './repository.ts';
import { renderAndStore } from './store.ts';

const SWEEP_WINDOW_MS = 5 * 60_000;

/** Report PDF rendering: one job per issued report, and a sweep that catches any the queue lost. */
export function reportJobHandlers(deps: JobDeps, clock: () => Date): JobHandler[] {
  const store = () => ({
    db: deps.db,
    filesDir: deps.filesDir ?? DEFAULT_FILES_DIR,
    webUrl: deps.webUrl ?? 'http://localhost:3000',
  });
  return [
    {
      name: 'reports.render-pdf',
      // Idempotent: a report that already has its PDF is left alone (checked under its row lock).
      handle: async (payload) => {
        const { reportId } = payload as JobPayload<'reports.render-pdf'>;
        await renderAndStore(store(), reportId);
      },
    },
    {
      name: 'reports.render-sweep',
      // Queues a render for every report issued over a minute ago that still has no PDF (its own job
      // was lost or failed). The dedupe key carries a 5-minute window, so sweeps running twice or side
      // by side queue one retry per report per window; the render itself is idempotent.
      handle: async () => {
        const now = clock();
        const window = Math.floor(now.getTime() / SWEEP_WINDOW_MS);
        const before = new Date(now.getTime() - 60_000);
        await deps.db.transaction(async (tx) => {
          for (const reportId of await reportsWithoutPdf(tx, before, 200)) {
            await enqueueAfterCommit(
              tx,
              'reports.render-pdf',
              { reportId },
              `reports.render-pdf:${reportId}:sweep:${window}`,
            );
          }
        });
      },
    },
  ];
}
