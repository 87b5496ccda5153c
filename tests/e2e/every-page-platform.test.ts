import { DEMO_APPLICANT_LAB_IDS, DEMO_CASE_IDS } from '@qihub/db/seed';
import { describe, expect, it } from 'vitest';
import { NO_BROWSER } from '../support/browser.ts';
import { everyPageCrawl, NOT_A_PAGE } from '../support/every-page-crawl.ts';
import { PLATFORM_ROUTES } from '../support/every-page-routes.ts';
import { USERS } from '../support/scenario.ts';

// The platform's pages (money, admission, evaluation), to a platform admin; what each page is checked
// for is in support/every-page-crawl.ts. The other pages are crawled beside this, on another worker
// (every-page-storefront, every-page-lab).

const every = everyPageCrawl();

// Each visitor's crawl reads some 15–50 pages twice; on a loaded 2-core machine that takes minutes.
describe.skipIf(NO_BROWSER)(
  "the platform's pages, in Chinese and in English, for the visitor it is for",
  { timeout: 600_000 },
  () => {
    it("the platform's money pages, to a platform admin", async () => {
      const { fx } = every;
      const problems = await every.crawl('admin', USERS.admin, () => [
        { path: '/admin' },
        { path: '/admin/ledger' },
        { path: '/admin/fees' },
        { path: '/admin/reconciliation' },
        { path: '/admin/reconciliation?from=2026-11-01&to=2026-11-30&state=all' },
        { path: '/admin/vouchers' },
        { path: `/admin/vouchers/${fx.voucherProgrammeId}` },
        { path: '/admin/vouchers/applications' },
        { path: '/admin/vouchers/claims' },
        { path: '/admin/statistics' },
        { path: '/admin/statistics?region=320500&from=2026-01-01&to=2026-11-30' },
        { path: '/admin/statistics?region=320506&from=2026-11-01&to=2026-11-30' },
        { path: '/admin/enterprises' },
        { path: '/admin/enterprises?region=320500' },
        { path: `/admin/vouchers/${NOT_A_PAGE}`, status: 404 },
        { path: '/admin/labs' },
        { path: '/admin/labs?status=all' },
        { path: `/admin/labs/${fx.labId}` },
        { path: `/admin/labs/${NOT_A_PAGE}`, status: 404 },
        // Not a service officer: the desk says so and where to go instead.
        { path: '/officer' },
        { path: '/inbox' },
        { path: '/admin/cases' },
        { path: '/admin/cases?status=all' },
        { path: `/admin/cases/${DEMO_CASE_IDS.saltSpray}` },
        { path: '/admin/audit' },
        { path: '/admin/audit?action=order&from=2026-11-01&to=2026-11-30' },
        { path: '/admin/holidays?year=2026' },
        { path: '/admin/holidays?year=2027' },
      ]);
      expect(problems.join('\n')).toBe('');
    });

    it("the admission pages (入驻, 公示): the public notices, the lab's application, the platform's review", async () => {
      const { fx } = every;
      const problems = [
        ...(await every.crawl('visitor', null, () => [{ path: '/notices' }])),
        ...(await every.crawl('lab', USERS.lab, () => [{ path: '/console/application' }])),
        ...(await every.crawl('admin', USERS.admin, () => [
          { path: '/admin/labs' },
          { path: '/admin/labs?status=all' },
          // The seeded applications: one on 公示 with an objection, one awaiting review.
          { path: `/admin/labs/${DEMO_APPLICANT_LAB_IDS.onNotice}` },
          { path: `/admin/labs/${DEMO_APPLICANT_LAB_IDS.submitted}` },
          { path: `/admin/labs/${fx.labId}` },
          { path: `/admin/labs/${NOT_A_PAGE}`, status: 404 },
        ])),
      ];
      expect(problems.join('\n')).toBe('');
    });

    it("the platform's evaluation pages (效能评价, 仪器利用), to a platform admin", async () => {
      const problems = await every.crawl('admin', USERS.admin, () => [
        { path: '/admin/efficiency' },
        { path: '/admin/efficiency?from=2026-05-01&to=2026-11-30&groupBy=region' },
        { path: '/admin/efficiency?from=2026-05-01&to=2026-11-30&groupBy=kind&region=320500' },
        { path: '/admin/efficiency/orders?from=2026-05-01&to=2026-11-30&figure=turnaround' },
        { path: '/admin/efficiency/orders?from=2026-05-01&to=2026-11-30&figure=rating&subRegion=320500' },
        { path: '/admin/utilisation' },
        { path: '/admin/utilisation?year=2026' },
      ]);
      expect(problems.join('\n')).toBe('');
    });

    it('has visited every page it owns (support/every-page-routes.ts)', () => {
      expect(every.missed(PLATFORM_ROUTES)).toEqual([]);
    });
  },
);
