import { type Browser, type Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { notifyEach } from '@qihub/api/lib/notify';
import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { JOURNEY_START } from '../support/journey-clock.ts';
import { USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

// Everyone's inbox in Chromium: the bell's count in the header, /inbox newest first, a notice
// followed to the order it is about, one marked read, then all, and the bell at zero; the e-mail
// choices kept. And the officer desk telling a platform admin plainly that it is not theirs.

const skip = NO_BROWSER;

let db: TestDatabase;
let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack, browser } = journey);
});

const signedIn = async (email: string, redirect: string) => (await journey.person(email, redirect)).page;

const bell = (page: Page) => page.getByTestId('inbox-bell').getAttribute('data-unread');

describe.skipIf(skip)('browser: the inbox', () => {
  it('an SME sees the bell count, opens the inbox, follows a notice, marks one and then all read', async () => {
    // Three notices as the modules write them: about one of the SME's orders, one of its invoices, and a welcome.
    const { rows } = await db.pool.query<{ user_id: string; order_id: string; invoice_id: string }>(
      `SELECT u.id AS user_id,
         (SELECT o.id FROM orders o WHERE o.customer_org_id = m.org_id ORDER BY o.created_at LIMIT 1) AS order_id,
         (SELECT i.id FROM invoices i WHERE i.customer_org_id = m.org_id ORDER BY i.created_at LIMIT 1) AS invoice_id
       FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = $1`,
      [USERS.sme],
    );
    const { user_id: userId, order_id: orderId, invoice_id: invoiceId } = rows[0]!;
    await db.pool.query(`UPDATE notifications SET read_at = now() WHERE user_id = $1 AND read_at IS NULL`, [userId]);
    const at = (minutes: number) => `journey-inbox:${minutes}`;
    await notifyEach(
      db.db,
      [
        {
          userId,
          kind: 'welcome',
          titleZh: '欢迎使用 QIHub 质量基础设施一站式服务平台',
          titleEn: 'Welcome to QIHub',
          link: '/instruments',
          dedupeKey: at(1),
        },
      ],
      JOURNEY_START,
    );
    await notifyEach(
      db.db,
      [
        {
          userId,
          kind: 'invoice_issued',
          titleZh: '您有一张新发票',
          titleEn: 'You have a new invoice',
          link: `/invoices/${invoiceId}`,
          dedupeKey: at(2),
        },
      ],
      JOURNEY_START,
    );
    await notifyEach(
      db.db,
      [
        {
          userId,
          kind: 'order_quoted',
          titleZh: '检测机构已报价',
          titleEn: 'The lab has quoted',
          bodyZh: '请确认报价后寄送样品。',
          bodyEn: 'Please accept the quote, then send the samples.',
          link: `/orders/${orderId}`,
          dedupeKey: at(3),
        },
      ],
      JOURNEY_START,
    );
    // Newest first, whatever the clock of the insert: order them by created_at explicitly.
    await db.pool.query(
      `UPDATE notifications SET created_at = now() - make_interval(mins => 10 - substr(dedupe_key, 15)::int)
       WHERE dedupe_key LIKE 'journey-inbox:%'`,
    );

    const page = await signedIn(USERS.sme, '/');
    await page.goto(`${stack.webUrl}/`);
    await expect.poll(() => bell(page)).toBe('3');
    await expect.poll(() => page.getByTestId('inbox-bell-count').textContent()).toBe('3');
    await shot(page, 'inbox-01-bell');

    await page.getByTestId('inbox-bell').click();
    await page.waitForURL(/\/inbox$/);
    const notices = page.getByTestId('inbox-notice');
    await expect.poll(() => notices.count()).toBeGreaterThanOrEqual(3);
    expect(await notices.evaluateAll((els) => els.slice(0, 3).map((e) => e.getAttribute('data-kind')))).toEqual([
      'order_quoted',
      'invoice_issued',
      'welcome',
    ]);
    await shot(page, 'inbox-02-list');

    // One marked read: the bell goes down by one.
    await notices.nth(2).getByTestId('inbox-mark-read').click();
    await expect.poll(() => bell(page)).toBe('2');
    await expect.poll(() => notices.nth(2).getAttribute('data-read')).toBe('true');

    // The order notice leads to the order.
    await notices.first().getByTestId('inbox-notice-link').click();
    await page.waitForURL(new RegExp(`/orders/${orderId}$`));

    await page.getByTestId('inbox-bell').click();
    await page.waitForURL(/\/inbox$/);
    await page.getByTestId('inbox-read-all').click();
    await expect.poll(() => bell(page)).toBe('0');
    expect(await page.getByTestId('inbox-bell-count').count()).toBe(0);
    await expect
      .poll(() => notices.evaluateAll((els) => els.every((e) => e.getAttribute('data-read') === 'true')))
      .toBe(true);
    await shot(page, 'inbox-03-all-read');

    // E-mail: bills and payments in the inbox only; the choice is kept.
    await page.getByTestId('inbox-email-money').uncheck();
    await page.getByTestId('inbox-email-save').click();
    await expect.poll(() => page.getByTestId('flash').getAttribute('data-flash')).toBe('emailSaved');
    await page.reload();
    expect(await page.getByTestId('inbox-email-money').isChecked()).toBe(false);
    expect(await page.getByTestId('inbox-email-orders').isChecked()).toBe(true);
    const saved = await db.pool.query(`SELECT email_off FROM notification_preferences WHERE user_id = $1`, [userId]);
    expect(saved.rows[0].email_off).toEqual(['money']);
    await page.context().close();
  });

  it('the officer desk tells a platform administrator plainly that it is not theirs, and where to go', async () => {
    const page = await signedIn(USERS.admin, '/officer');
    await page.goto(`${stack.webUrl}/officer`);
    await expect.poll(() => page.getByTestId('officer-not-officer').count()).toBe(1);
    expect(await page.getByTestId('officer-not-officer').textContent()).toContain('平台管理员');
    await shot(page, 'inbox-04-officer-desk-admin');
    await page.getByTestId('officer-go-admin').click();
    await page.waitForURL(/\/admin\//);
    await page.context().close();
  });

  it('a lab writes a typical case, the admin is told, publishes it, and the public page shows it', async () => {
    const lab = await signedIn(USERS.lab, '/console/cases');
    await lab.goto(`${stack.webUrl}/console/cases`);
    await lab.getByTestId('case-title').fill('三坐标测量帮助阀门企业解决密封面泄漏');
    await lab.getByTestId('case-enterpriseName').fill('苏州某阀门企业（小型）');
    await lab.getByTestId('case-industry').fill('通用设备制造');
    await lab.getByTestId('case-problem').fill('出口阀门在客户水压试验中密封面泄漏，返修率高。');
    await lab.getByTestId('case-service').fill('三坐标测量密封面平面度和粗糙度，比对加工工序，提出研磨工艺改进。');
    await lab.getByTestId('case-result').fill('密封面平面度稳定在 2 μm 以内，水压试验一次通过率 99%。');
    await lab.getByTestId('case-costSaved').fill('86000');
    await lab.getByTestId('case-timeSavedDays').fill('12');
    await lab.getByTestId('case-new-save').click();
    await lab.waitForURL(/\/console\/cases\/[0-9a-f-]{36}/);
    const id = /\/console\/cases\/([0-9a-f-]{36})/.exec(lab.url())![1]!;
    await expect.poll(() => lab.getByTestId('case-status').getAttribute('data-status')).toBe('draft');
    await lab.getByTestId('case-submit').click();
    await expect.poll(() => lab.getByTestId('case-status').getAttribute('data-status')).toBe('submitted');
    await shot(lab, 'cases-01-lab-submitted');
    await lab.context().close();

    // The admin's inbox has the notice; it leads to the review page.
    const admin = await signedIn(USERS.admin, '/inbox');
    await admin.goto(`${stack.webUrl}/inbox`);
    const notice = admin.locator('[data-testid="inbox-notice"][data-kind="case_submitted"]').first();
    await notice.getByTestId('inbox-notice-link').click();
    await admin.waitForURL(new RegExp(`/admin/cases/${id}$`));
    await admin.getByTestId('case-publish').click();
    await expect.poll(() => admin.getByTestId('case-status').getAttribute('data-status')).toBe('published');
    await shot(admin, 'cases-02-admin-published');
    await admin.context().close();

    // Anyone reads it on /cases, without who wrote it up or any contact.
    const visitor = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await visitor.goto(`${stack.webUrl}/cases`);
    await expect.poll(() => visitor.getByTestId('public-case').count()).toBeGreaterThanOrEqual(3);
    await visitor.getByRole('link', { name: '三坐标测量帮助阀门企业解决密封面泄漏' }).click();
    await visitor.waitForURL(new RegExp(`/cases/${id}$`));
    await expect.poll(() => visitor.getByTestId('case-cost-saved').textContent()).toBe('86000 元');
    expect(await visitor.locator('main').textContent()).not.toContain('lab@demo.qihub.test');
    await shot(visitor, 'cases-03-public');
    await visitor.context().close();
  });
});
