import { DEMO_CASE_IDS } from '@qihub/db/seed';
import { describe, expect, it } from 'vitest';
import { NO_BROWSER, shot, signIn } from '../support/browser.ts';
import { everyPageCrawl, NOT_A_PAGE } from '../support/every-page-crawl.ts';
import { STOREFRONT_ROUTES } from '../support/every-page-routes.ts';
import { USERS } from '../support/scenario.ts';

// The storefront, the customer's pages and the officer's desk, each visited by the visitor it is for;
// what each page is checked for is in support/every-page-crawl.ts. The lab console and the platform's
// pages are crawled beside this, on another worker (every-page-lab, every-page-platform).

const every = everyPageCrawl();

// Each visitor's crawl reads some 15–50 pages twice; on a loaded 2-core machine that takes minutes.
describe.skipIf(NO_BROWSER)(
  "the storefront, the customer's pages and the officer's desk, in Chinese and in English, for the visitor it is for",
  { timeout: 600_000 },
  () => {
    it('the storefront, to a visitor who has not signed in', async () => {
      const { fx } = every;
      const problems = await every.crawl('visitor', null, () => [
        { path: '/' },
        { path: '/instruments' },
        { path: `/instruments/${fx.instrumentId}` },
        { path: `/instruments/${fx.instrumentId}?week=${fx.bookedWeek}` },
        { path: '/services' },
        { path: `/services/${fx.serviceId}` },
        { path: `/labs/${fx.labId}` },
        { path: '/labs' },
        { path: `/labs?q=${encodeURIComponent('GB/T 10125')}` },
        { path: `/instruments?within=7&hours=2` },
        { path: '/events' },
        { path: `/events/${fx.eventId}` },
        { path: `/verify/${fx.verificationCode}` },
        { path: '/cases' },
        { path: `/cases/${DEMO_CASE_IDS.saltSpray}` },
        { path: `/cases/${NOT_A_PAGE}`, status: 404 },
        { path: '/login' },
        { path: '/register' },
        { path: '/notices' },
        { path: `/instruments/${NOT_A_PAGE}`, status: 404 },
        { path: '/verify/NO-SUCH-CODE', status: 404 },
      ]);
      expect(problems.join('\n')).toBe('');
    });

    it('the customer pages, to an SME member', async () => {
      const { fx } = every;
      const problems = await every.crawl('customer', USERS.sme, () => [
        { path: `/instruments/${fx.instrumentId}?week=${fx.bookedWeek}` },
        { path: `/instruments/${fx.instrumentId}?week=${fx.bookedWeek}&start=${encodeURIComponent(fx.freeStart)}` },
        { path: `/events/${fx.eventId}` },
        { path: '/bookings' },
        { path: `/bookings/${fx.bookingId}` },
        { path: `/bookings/${fx.bookingId}/reschedule` },
        { path: '/orders' },
        ...fx.orderIds.map((id) => ({ path: `/orders/${id}` })),
        { path: '/assistance' },
        ...fx.assistanceIds.map((id) => ({ path: `/assistance/${id}` })),
        { path: '/calibration' },
        { path: '/invoices' },
        { path: '/invoices/statements' },
        { path: `/invoices/statements?lab=${fx.labId}&month=2026-09` },
        ...fx.invoiceIds.map((id) => ({ path: `/invoices/${id}` })),
        { path: '/vouchers' },
        { path: '/inbox' },
        { path: '/inbox?show=unread' },
        { path: `/checkin/${fx.instrumentId}` },
        { path: '/logout' },
        { path: '/console', status: 403 },
      ]);
      expect(problems.join('\n')).toBe('');
    });

    it("the officer's desk, to a service officer", async () => {
      const { fx } = every;
      const problems = await every.crawl('officer', USERS.officer, () => [
        { path: '/officer' },
        ...fx.assistanceIds.map((id) => ({ path: `/officer/assistance/${id}` })),
        { path: '/officer/cases' },
        { path: `/officer/cases/${DEMO_CASE_IDS.torque}` },
        { path: '/inbox' },
      ]);
      expect(problems.join('\n')).toBe('');
    });

    it('marks taken time with a word, a hatching and a struck-through time, not by colour alone', async () => {
      const { fx } = every;
      const context = await every.browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        for (const who of ['visitor', 'customer'] as const) {
          if (who === 'customer') await signIn(page, every.stack.webUrl, USERS.sme, '/');
          await page.goto(`${every.stack.webUrl}/instruments/${fx.instrumentId}?week=${fx.bookedWeek}`);
          await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
          const cues = await page.getByTestId('slot-taken').evaluateAll((cells) =>
            cells.map((cell) => ({
              word: cell.querySelector('[data-testid="slot-taken-word"]')?.textContent?.trim() ?? '',
              pattern: getComputedStyle(cell).backgroundImage,
              struck: getComputedStyle(cell.querySelector('.t')!).textDecorationLine,
            })),
          );
          await shot(page, `every-page-taken-slots-${who}`);
          expect(cues.length, who).toBeGreaterThan(0);
          for (const cue of cues) {
            expect(cue.word, who).toBe('已约');
            expect(cue.pattern, who).toMatch(/repeating-linear-gradient/);
            expect(cue.struck, who).toContain('line-through');
          }
        }
      } finally {
        await context.close();
      }
    });

    it('has visited every page it owns (support/every-page-routes.ts)', () => {
      expect(every.missed(STOREFRONT_ROUTES)).toEqual([]);
    });
  },
);
