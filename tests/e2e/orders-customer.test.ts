import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import { type Browser, type Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createJobHandlers, createRegistry } from '@qihub/api/jobs';
import { bearer, login } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * The customer's side of an order in the browser: request from the service page, accept the quote
 * with the commission form, talk to the lab, download the issued report, verify it publicly, close
 * early and rate. The lab's steps are taken through the API (its console has its own journey).
 */
const skip = NO_BROWSER;

let db: TestDatabase;
let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack, browser } = journey);
});

async function loginAs(page: Page, email: string, redirect: string) {
  await signIn(page, stack.webUrl, email, redirect);
}

async function api(method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: object) {
  const res = await stack.api.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json<Record<string, unknown>>();
}

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const statusOf = (page: Page) => page.getByTestId('order-status').getAttribute('data-status');

describe.skipIf(skip)('browser journey: the customer side of an order', () => {
  it('request → quote → accept with the commission form → report download → verification → close and rate', async () => {
    const labId = await orgOf(db, USERS.lab);
    const { rows } = await db.pool.query<{ id: string }>(
      `SELECT id FROM services WHERE lab_id = $1 AND kind = 'commissioned_test' AND status = 'active'
       ORDER BY (name_zh LIKE '%盐雾%') DESC, name_zh LIMIT 1`,
      [labId],
    );
    const serviceId = rows[0]!.id;
    const ctx = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await ctx.newPage();

    // Signed out: a sign-in link instead of the form.
    await page.goto(`${stack.webUrl}/services/${serviceId}`);
    expect(await page.getByTestId('order-request-signin').count()).toBe(1);
    expect(await page.getByTestId('order-request-form').count()).toBe(0);

    // 1. The SME requests the test from the service page.
    await loginAs(page, USERS.sme, `/services/${serviceId}`);
    await page.goto(`${stack.webUrl}/services/${serviceId}`);
    const form = page.getByTestId('order-request-form');
    await form.locator('#sampleCount').fill('2');
    await form.locator('#quantity').fill('2');
    await form.locator('#parameterZh').fill('中性盐雾试验 96 h');
    await form.locator('#requestNotes').fill('镀锌钢板来料验证');
    await shot(page, 'order-01-request');
    await page.getByTestId('order-request-submit').click();
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
    const orderId = /\/orders\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    expect(['requested', 'quoted']).toContain(await statusOf(page));

    // 2. The lab quotes (through the API).
    const lab = await login(stack.api, USERS.lab);
    const detail = (await api('GET', `/v1/orders/${orderId}`, lab)) as { lines: { id: string }[] };
    await api('POST', `/v1/orders/${orderId}/quote`, lab, {
      lines: detail.lines.map((l) => ({ lineId: l.id, unitPriceFen: 60000 })),
      validUntil: '2027-12-31',
      notes: '含样品前处理',
    });
    await page.reload();
    expect(await statusOf(page)).toBe('quoted');
    expect(await page.getByTestId('quote-total').textContent()).toContain('1,200.00');

    // 3. Accept with the commission form, expedited ≤72 h: the preview shows +30 %.
    const accept = page.getByTestId('accept-form');
    await accept.locator('#sampleName').fill('镀锌钢板 Q235B');
    await accept.locator('#specification').fill('150×75×1 mm');
    await accept.locator('#purpose').fill('来料检验');
    await page.getByTestId('turnaround-h72').check();
    expect(await page.getByTestId('accept-surcharge').textContent()).toContain('360.00');
    expect(await page.getByTestId('accept-total').textContent()).toContain('1,560.00');
    await shot(page, 'order-02-accept');
    await page.getByTestId('accept-submit').click();
    await expect.poll(() => statusOf(page)).toBe('awaiting_samples');
    expect(await page.getByTestId('commission-summary').textContent()).toContain('镀锌钢板 Q235B');
    expect(await page.getByTestId('order-sample').count()).toBeGreaterThan(0);

    // 4. A message to the lab.
    await page.getByTestId('message-body').fill('样品已寄出，顺丰 SF1234567890。');
    await page.getByTestId('message-submit').click();
    await expect.poll(() => page.getByTestId('order-message').count()).toBe(1);
    // …and a photo as an attachment, downloaded again through the web's proxy.
    await page.getByTestId('message-body').fill('包装照片');
    await page.getByTestId('message-file').setInputFiles({ name: '包装.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('message-submit').click();
    await expect.poll(() => page.getByTestId('attachment-link').count()).toBe(1);
    const attachmentHref = await page.getByTestId('attachment-link').getAttribute('href');
    const attachment = await page.request.get(`${stack.webUrl}${attachmentHref}`);
    expect(attachment.status()).toBe(200);
    expect(Buffer.compare(await attachment.body(), PNG)).toBe(0);

    // 5. The lab receives the sample, works and issues the report; the PDF is rendered.
    const after = (await api('GET', `/v1/orders/${orderId}`, lab)) as { samples: { id: string }[] };
    for (const s of after.samples) {
      await api('POST', `/v1/orders/${orderId}/samples/${s.id}/receive`, lab, {
        conditionOnArrival: '完好',
        quantity: 2,
      });
    }
    await api('POST', `/v1/orders/${orderId}/start`, lab);
    const draft = (await api('POST', `/v1/orders/${orderId}/reports`, lab, {})) as {
      id: string;
      results: { lineId: string | null; parameterZh: string; standardCode: string }[];
    };
    const people = await db.pool.query<{ email: string; id: string }>(`SELECT email, id FROM users WHERE email = $1`, [
      USERS.operator,
    ]);
    await api('PATCH', `/v1/reports/${draft.id}`, lab, {
      testerId: people.rows[0]!.id,
      conclusionZh: '所检项目符合要求。',
      results: draft.results.map((r) => ({
        lineId: r.lineId,
        parameterZh: r.parameterZh,
        standardCode: r.standardCode,
        requirement: '96 h 无红锈',
        result: '96 h 无红锈',
        verdict: 'pass',
      })),
    });
    await api('POST', `/v1/reports/${draft.id}/submit`, lab);
    await api('POST', `/v1/reports/${draft.id}/review`, lab, { decision: 'approve' });
    // An authorised signatory other than the reviewer signs it.
    const signer = await db.pool.query<{ id: string }>(
      `INSERT INTO users (email, password_hash, display_name)
       SELECT 'signer-e2e@demo.qihub.test', password_hash, '周签发' FROM users WHERE email = $1 RETURNING id`,
      [USERS.lab],
    );
    await db.pool.query(`INSERT INTO memberships (user_id, org_id, role) VALUES ($1, $2, 'staff')`, [
      signer.rows[0]!.id,
      labId,
    ]);
    await api('POST', `/v1/labs/${labId}/signatories`, lab, { email: 'signer-e2e@demo.qihub.test' });
    const signerToken = await login(stack.api, 'signer-e2e@demo.qihub.test');
    const report = (await api('POST', `/v1/reports/${draft.id}/issue`, signerToken)) as { number: string };
    const registry = createRegistry(
      createJobHandlers({
        db: db.db,
        dispatch: async () => {},
        clock: () => stack.clock.now,
        filesDir: stack.api.ctx.config.filesDir,
        webUrl: stack.webUrl,
      }),
    );
    await registry.run('reports.render-pdf', { reportId: draft.id }, { jobId: `render-${draft.id}` });

    // The Suzhou institute bills on delivery: the report is released once the invoice is paid, so
    // the lab records the customer's transfer first.
    const billed = (await api('GET', `/v1/orders/${orderId}`, lab)) as { payment: { invoiceId: string } | null };
    if (billed.payment) {
      const inv = (await api('GET', `/v1/invoices/${billed.payment.invoiceId}`, lab)) as {
        amountDue: { amount: number };
      };
      if (inv.amountDue.amount > 0) {
        await api('POST', `/v1/invoices/${billed.payment.invoiceId}/payments`, lab, {
          amount: inv.amountDue.amount,
          receivedOn: stack.clock.now.toISOString().slice(0, 10),
          channel: 'bank_transfer',
          note: '对公转账',
        });
      }
    }

    // 6. The SME downloads the PDF and checks it on the public verification page.
    await page.reload();
    expect(await statusOf(page)).toBe('report_issued');
    await shot(page, 'order-03-report');
    const href = await page.getByTestId('report-download').getAttribute('href');
    const pdf = await page.request.get(`${stack.webUrl}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByTestId('verify-link').click();
    await page.waitForURL(/\/verify\//);
    expect(await page.getByTestId('verify-status').getAttribute('data-status')).toBe('valid');
    expect(await page.getByTestId('verify-number').textContent()).toBe(report.number);
    await shot(page, 'order-04-verify');

    // Nobody else downloads it; an unknown code is a friendly 404.
    const stranger = await browser.newContext();
    const anon = await stranger.newPage();
    expect((await anon.request.get(`${stack.webUrl}${href}`)).status()).toBe(401);
    const unknown = await anon.goto(`${stack.webUrl}/verify/no-such-code`);
    expect(unknown?.status()).toBe(404);
    expect(await anon.getByTestId('verify-unknown').count()).toBe(1);
    await stranger.close();

    // 7. An objection within the window holds the order open until the lab answers it.
    await page.goto(`${stack.webUrl}/orders/${orderId}`);
    await page.locator('#objection-reason').fill('第 3 块试样的红锈判定与我方复核不一致。');
    await page.getByTestId('objection-submit').click();
    await expect.poll(() => page.locator('[data-testid="objection"][data-status="open"]').count()).toBe(1);
    expect(await page.getByTestId('order-close').count()).toBe(0);
    const open = (await api('GET', `/v1/orders/${orderId}`, lab)) as { objections: { id: string }[] };
    await api('POST', `/v1/orders/${orderId}/objections/${open.objections[0]!.id}/resolve`, lab, {
      outcome: 'dismissed',
      resolution: '复核照片后维持原判定。',
    });
    await page.reload();
    expect(await page.locator('[data-testid="objection"][data-status="dismissed"]').count()).toBe(1);

    // 8. Close early and rate.
    await page.getByTestId('order-close').click();
    await expect.poll(() => statusOf(page)).toBe('closed');
    const rating = page.getByTestId('rating-form');
    await rating.locator('label:has([data-testid="rating-5"])').click();
    await rating.locator('#rating-comment').fill('报告及时，沟通顺畅。');
    await page.getByTestId('rating-submit').click();
    await expect.poll(() => page.getByTestId('order-rating').count()).toBe(1);

    // 9. The order is in My orders with its status.
    await page.goto(`${stack.webUrl}/orders`);
    const row = page.locator(`[data-testid="order-row"][data-order-id="${orderId}"]`);
    expect(await row.getAttribute('data-status')).toBe('closed');
    await shot(page, 'order-05-list');

    // A member of the providing lab sees no request form on its own service.
    const labCtx = await browser.newContext({ locale: 'zh-CN' });
    const labPage = await labCtx.newPage();
    await loginAs(labPage, USERS.lab, `/services/${serviceId}`);
    await labPage.goto(`${stack.webUrl}/services/${serviceId}`);
    expect(await labPage.getByTestId('order-request-own-lab').count()).toBe(1);
    expect(await labPage.getByTestId('order-request-form').count()).toBe(0);
    await labCtx.close();
    await ctx.close();
  });

  it('calibration and consulting requests fit their kind; the customer cancels for free before samples arrive (English)', async () => {
    const ctx = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 900 } });
    await ctx.addCookies([{ name: 'qihub_locale', value: 'en', url: stack.webUrl }]);
    const page = await ctx.newPage();
    await loginAs(page, USERS.sme2, '/orders');
    const serviceOf = async (kinds: string[]) => {
      const { rows } = await db.pool.query<{ id: string }>(
        `SELECT s.id FROM services s JOIN organisations o ON o.id = s.lab_id
         WHERE s.kind = ANY($1) AND s.status = 'active' AND o.status = 'active' ORDER BY s.name_zh LIMIT 1`,
        [kinds],
      );
      return rows[0]?.id ?? null;
    };

    const calibration = await serviceOf(['calibration']);
    expect(calibration).not.toBeNull();
    {
      await page.goto(`${stack.webUrl}/services/${calibration}`);
      const form = page.getByTestId('order-request-form');
      expect(await form.getAttribute('data-shape')).toBe('calibration');
      // The instrument's name is required: the form says so without losing what was typed.
      await form.locator('#model').fill('DPI 620');
      await page.getByTestId('order-request-submit').click();
      await expect.poll(() => page.getByTestId('field-error-instrumentName').count()).toBe(1);
      expect(await page.getByTestId('field-error-instrumentName').textContent()).toBe('Required');
      expect(await form.locator('#model').inputValue()).toBe('DPI 620');
      await form.locator('#instrumentName').fill('数字压力计');
      // Filled in, the field's error goes at once, before the form is sent again.
      await expect.poll(() => page.getByTestId('field-error-instrumentName').count()).toBe(0);
      await form.locator('#serialNumber').fill('SN-2026-0042');
      await form.locator('#measuringRange').fill('0–10 MPa');
      await form.locator('#accuracyClass').fill('0.05');
      await page.getByTestId('order-request-submit').click();
      await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
      expect(await page.getByTestId('order-line').first().textContent()).toContain('SN-2026-0042');
      expect(await page.getByTestId('flash').textContent()).toContain('Request sent');
      const { rows } = await db.pool.query<{ details: Record<string, string> }>(
        `SELECT l.details FROM order_lines l WHERE l.order_id = $1`,
        [/\/orders\/([0-9a-f-]{36})/.exec(page.url())![1]],
      );
      expect(rows[0]!.details).toMatchObject({ instrumentName: '数字压力计', model: 'DPI 620', accuracyClass: '0.05' });

      // Cancelling before the samples arrive is free; a reason is needed.
      expect(await page.getByTestId('cancel-rule').textContent()).toContain('Free to cancel');
      await page.locator('#cancel-reason').fill('Budget moved to next year');
      await page.getByTestId('order-cancel').click();
      await expect.poll(() => statusOf(page)).toBe('cancelled');
      expect(await page.getByTestId('order-status').textContent()).toBe('Cancelled');
    }

    const consulting = await serviceOf(['certification', 'standards', 'quality_management', 'ip', 'brand']);
    expect(consulting).not.toBeNull();
    {
      await page.goto(`${stack.webUrl}/services/${consulting}`);
      const form = page.getByTestId('order-request-form');
      expect(await form.getAttribute('data-shape')).toBe('consulting');
      await form.locator('#need').fill('We need ISO 9001 certification within six months.');
      await page.getByTestId('order-request-submit').click();
      await page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
      expect(['requested', 'quoted']).toContain(await statusOf(page));
    }
    await page.goto(`${stack.webUrl}/orders?status=cancelled`);
    expect(await page.getByTestId('order-row').count()).toBe(1);
    await ctx.close();
  });
});
