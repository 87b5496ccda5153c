import { DEMO_CASE_IDS } from '@qihub/db/seed';
import { describe, expect, it } from 'vitest';
import { NO_BROWSER } from '../support/browser.ts';
import { everyPageCrawl } from '../support/every-page-crawl.ts';
import { LAB_CONSOLE_ROUTES } from '../support/every-page-routes.ts';
import { USERS } from '../support/scenario.ts';

// The lab console, to a lab manager; what each page is checked for is in support/every-page-crawl.ts.
// The other pages are crawled beside this, on another worker (every-page-storefront, every-page-platform).

const every = everyPageCrawl();

// Each visitor's crawl reads some 15–50 pages twice; on a loaded 2-core machine that takes minutes.
describe.skipIf(NO_BROWSER)(
  'the lab console, in Chinese and in English, for the visitor it is for',
  { timeout: 600_000 },
  () => {
    it('the lab console, to a lab manager', async () => {
      const { fx } = every;
      const problems = await every.crawl('lab', USERS.lab, () => [
        { path: '/console' },
        { path: '/console/instruments' },
        { path: '/console/bookings' },
        { path: `/console/bookings/${fx.bookingId}` },
        { path: '/console/schedule' },
        { path: '/console/orders' },
        ...fx.orderIds.map((id) => ({ path: `/console/orders/${id}` })),
        { path: '/console/events' },
        { path: `/console/events/${fx.labEventId}` },
        { path: '/console/instruments/new' },
        { path: `/console/instruments/${fx.instrumentId}` },
        { path: '/console/instruments/labels' },
        { path: `/console/instruments/labels?instrument=${fx.instrumentId}` },
        { path: `/checkin/${fx.instrumentId}` },
        { path: '/console/services' },
        { path: '/console/services?status=retired' },
        { path: '/console/services/new' },
        { path: `/console/services/${fx.serviceId}` },
        { path: '/console/ratings' },
        { path: '/console/ratings?tab=all' },
        { path: '/console/calibration' },
        { path: '/console/calibration?history=1' },
        { path: '/console/people' },
        { path: '/console/members' },
        { path: '/console/api-tokens' },
        { path: '/console/qualifications' },
        { path: '/console/settings/hours' },
        { path: '/console/settings/closures' },
        { path: '/console/settings/policy' },
        { path: '/console/settings/lab' },
        { path: '/console/settings/orders' },
        { path: '/console/application' },
        { path: '/console/finance' },
        ...fx.invoiceIds.map((id) => ({ path: `/console/finance/invoices/${id}` })),
        { path: '/console/finance/bank' },
        { path: '/console/finance/card' },
        { path: '/console/finance/statements' },
        { path: '/console/finance/statements?month=2026-09' },
        { path: '/console/finance/fapiao' },
        { path: '/console/finance/fapiao?status=issued' },
        { path: '/console/finance/terms' },
        { path: '/console/finance/vouchers' },
        { path: '/console/finance/ledger' },
        { path: '/console/finance/platform-fees' },
        { path: '/console/cases' },
        { path: `/console/cases/${DEMO_CASE_IDS.saltSpray}` },
      ]);
      expect(problems.join('\n')).toBe('');
    });

    it('has visited every page it owns (support/every-page-routes.ts)', () => {
      expect(every.missed(LAB_CONSOLE_ROUTES)).toEqual([]);
    });
  },
);
