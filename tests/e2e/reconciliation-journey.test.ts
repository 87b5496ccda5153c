import { recomputeDiscrepancies } from '@qihub/api/modules/reconciliation/index';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { chinaDate } from '../support/journey-clock.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * Issue 11's last journey: the admin works the reconciliation queue. The Suzhou institute uploads a
 * bank statement with a transfer nobody can place; 40 days on (the seed's open invoices are overdue
 * by then) the daily job runs; the province admin opens 对账, sees the lab's figures, the ageing and
 * the two kinds of discrepancy, the lab follows the bank line's link to its own queue, the admin is
 * refused a resolution without a note, resolves it with one and finds it under 已处理 with the note,
 * the admin's name and the time.
 */
const skip = NO_BROWSER;

let db: TestDatabase;
let stack: RunningStack;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack } = journey);
});

const soon = { timeout: 15_000 };
const DAY = 86_400_000;
/** The payer and amount of the transfer the lab cannot place (no payment reference in its remark). */
const STRANGER = '无锡某某机电有限公司';

const { person } = journey;

/** The page is no wider than the screen (wide tables scroll inside their own box). */
const fitsWidth = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

const hydrated = (page: Page) => page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });

describe.skipIf(skip)('browser journey: the admin works the reconciliation queue', () => {
  it('figures, ageing and discrepancies; a link to the thing; resolved only with a note', async () => {
    const labId = await orgOf(db, USERS.lab);
    const uploadedOn = chinaDate(stack.clock);

    // 1. The lab uploads its bank's export: one credit with no payment reference from an unknown payer.
    const lab = await person(USERS.lab, '/console/finance/bank');
    await lab.page.goto(`${stack.webUrl}/console/finance/bank`);
    const csv = [
      '中国工商银行 账户明细',
      '交易日期,对方户名,收入金额,支出金额,摘要',
      `${uploadedOn},${STRANGER},"1,234.50",,技术服务费`,
    ].join('\r\n');
    await lab.page.getByTestId('statement-file').setInputFiles({
      name: 'statement.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv, 'utf8'),
    });
    await lab.page.getByTestId('statement-submit').click();
    await expect.poll(() => lab.page.getByTestId('statement-unmatched').textContent(), soon).toBe('1');
    const { rows: lines } = await db.pool.query<{ id: string }>(
      `SELECT id FROM bank_statement_lines WHERE lab_id = $1 AND counterparty = $2`,
      [labId, STRANGER],
    );
    expect(lines).toHaveLength(1);
    const lineId = lines[0]!.id;

    // 2. Forty days later the daily job runs: the line is still unmatched, the seed's open invoices overdue.
    stack.clock.advance(40 * DAY);
    const found = await recomputeDiscrepancies({ db: stack.api.ctx.db, clock: () => stack.clock.now });
    expect(found.inserted).toBeGreaterThan(0);
    const { rows: overdue } = await db.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM reconciliation_discrepancies WHERE lab_id = $1 AND kind = 'invoice_overdue'`,
      [labId],
    );
    expect(overdue[0]!.n).toBeGreaterThan(0);

    // 3. The admin opens 对账 from the platform console's menu, for the period up to the job's day.
    const to = chinaDate(stack.clock);
    const admin = await person(USERS.admin, '/admin/ledger');
    await admin.page.goto(`${stack.webUrl}/admin/ledger`);
    await admin.page.getByTestId('admin-nav-reconciliation').click();
    await admin.page.waitForURL((u) => u.pathname === '/admin/reconciliation');
    await admin.page.goto(`${stack.webUrl}/admin/reconciliation?from=2026-11-01&to=${to}`);
    await hydrated(admin.page);
    const labRow = admin.page.locator(`[data-testid="recon-lab"][data-lab="${labId}"]`);
    expect(await labRow.count()).toBe(1);
    expect(await labRow.getByTestId('recon-booked').textContent()).toMatch(/小时$/);
    expect(await labRow.getByTestId('recon-outstanding').textContent()).toMatch(/¥[1-9]/);
    expect(Number(await labRow.getByTestId('recon-open').textContent())).toBeGreaterThanOrEqual(2);
    expect(await admin.page.getByTestId('recon-totals').count()).toBe(1);
    expect(await fitsWidth(admin.page)).toBe(true);
    // The ageing: a bar per lab and the total, and the same figures as a table for screen readers.
    expect(await admin.page.locator(`[data-testid="ageing-bar"][data-lab="${labId}"]`).count()).toBe(1);
    const ageingRow = admin.page.locator(`[data-testid="ageing-row"][data-lab="${labId}"]`);
    expect(await ageingRow.locator('[data-bucket="total"]').textContent()).toBe(
      await labRow.getByTestId('recon-outstanding').textContent(),
    );
    await shot(admin.page, 'recon-01-figures');

    // 4. The queue: the bank line in words, with its lab, amount and date; the overdue invoices too.
    const item = admin.page.locator(`[data-testid="discrepancy"][data-kind="bank_line_unmatched"]`, {
      hasText: STRANGER,
    });
    expect(await item.count()).toBe(1);
    expect(await item.getByTestId('discrepancy-kind').textContent()).toBe('银行流水未匹配');
    expect(await item.getByTestId('discrepancy-amount').textContent()).toContain('1,234.50');
    expect(await item.getByTestId('discrepancy-lab').textContent()).toBe(await labRow.locator('th').textContent());
    expect(await item.getAttribute('data-state')).toBe('open');
    expect(
      await admin.page.locator(`[data-testid="discrepancy"][data-kind="invoice_overdue"]`).count(),
    ).toBeGreaterThan(0);
    // Filtered to one kind, only that kind is listed.
    await admin.page.getByTestId('recon-kind').selectOption('invoice_overdue');
    await admin.page.getByTestId('recon-filter-submit').click();
    await admin.page.waitForURL((u) => u.searchParams.get('kind') === 'invoice_overdue');
    const kinds = await admin.page
      .getByTestId('discrepancy')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds.length).toBeGreaterThan(0);
    expect(new Set(kinds)).toEqual(new Set(['invoice_overdue']));
    await admin.page.goto(`${stack.webUrl}/admin/reconciliation?from=2026-11-01&to=${to}&kind=bank_line_unmatched`);
    await hydrated(admin.page);

    // 5. The link leads to the thing: the lab's bank-statement queue, where that line waits.
    const href = (await item.getByTestId('discrepancy-link').getAttribute('href'))!;
    expect(href).toContain(lineId);
    await lab.page.goto(`${stack.webUrl}${href}`);
    expect(await lab.page.locator(`[data-testid="bank-line"][data-line-id="${lineId}"]`).count()).toBe(1);

    // 6. Resolving without a note is refused, with words saying what is missing; nothing changes.
    await item.getByTestId('discrepancy-resolve').click();
    const error = item.getByTestId('discrepancy-note-error');
    await expect.poll(() => error.count(), soon).toBe(1);
    expect(await error.textContent()).toContain('请填写处理说明');
    const { rows: still } = await db.pool.query<{ resolved_at: Date | null }>(
      `SELECT resolved_at FROM reconciliation_discrepancies WHERE subject_id = $1`,
      [lineId],
    );
    expect(still[0]!.resolved_at).toBeNull();
    await shot(admin.page, 'recon-02-note-required');

    // 7. With a note it is resolved: it leaves the open queue and shows under 已处理 with who, when and the note.
    const note = '已联系付款方：为预付下月检测费，待开票后核销';
    await item.getByTestId('discrepancy-note-input').fill(note);
    await item.getByTestId('discrepancy-resolve').click();
    await expect.poll(() => admin.page.getByTestId('flash').count(), soon).toBe(1);
    expect(await item.count()).toBe(0);
    await admin.page.getByTestId('recon-state-resolved').check();
    await admin.page.getByTestId('recon-filter-submit').click();
    await admin.page.waitForURL((u) => u.searchParams.get('state') === 'resolved');
    const resolved = admin.page.locator(`[data-testid="discrepancy"][data-kind="bank_line_unmatched"]`, {
      hasText: STRANGER,
    });
    expect(await resolved.getAttribute('data-state')).toBe('resolved');
    expect(await resolved.getByTestId('discrepancy-note').textContent()).toBe(note);
    const { rows: adminUser } = await db.pool.query<{ display_name: string }>(
      `SELECT display_name FROM users WHERE email = $1`,
      [USERS.admin],
    );
    expect(await resolved.getByTestId('discrepancy-resolved-by').textContent()).toContain(adminUser[0]!.display_name);
    await shot(admin.page, 'recon-03-resolved');

    // 8. On a phone the page does not scroll sideways either.
    const phone = await person(USERS.admin, '/admin/reconciliation', { width: 390, height: 900 });
    await phone.page.goto(`${stack.webUrl}/admin/reconciliation?from=2026-11-01&to=${to}&state=all`);
    await hydrated(phone.page);
    expect(await fitsWidth(phone.page)).toBe(true);
    await shot(phone.page, 'recon-04-phone');
    await phone.context.close();

    // 9. The last-month preset is a link to the whole of the previous month.
    const last = new URL((await admin.page.getByTestId('recon-last-month').getAttribute('href'))!, stack.webUrl);
    expect(last.searchParams.get('from')).toMatch(/^\d{4}-\d{2}-01$/);

    for (const c of [lab.context, admin.context]) await c.close();
  });
});
