import { type Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import { bearer, login } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';
import { COMMISSION } from '../factories/index.ts';
import { pdfText as textOfPdf } from '../support/pdf-text.ts';

/**
 * Issue 13 in the browser: once the customer accepted the quote, the lab prints the commission form
 * (委托单) from its console and uploads the scan of the signed and stamped copy; the customer then
 * prints the same form and downloads the scan from the order page.
 */
const skip = NO_BROWSER;

let db: TestDatabase;
let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack, browser } = journey);
});

interface OrderDetail {
  order: { id: string; number: string; status: string; quotedAt: string };
  lines: { id: string }[];
}

async function api(method: 'GET' | 'POST', url: string, token: string, payload?: object) {
  const res = await stack.api.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.json<OrderDetail>();
}

/** A 1×1 PNG: the "scan" of the stamped form. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** The PDF's text without its spaces and line breaks (they fall where the layout put them). */
const pdfText = async (bytes: Buffer) => (await textOfPdf(bytes)).replace(/\s+/g, '');

describe.skipIf(skip)('browser journey: the commission form as a document', () => {
  it('the lab prints the form and uploads the stamped scan; the customer prints it and downloads the scan', async () => {
    const labId = await orgOf(db, USERS.lab);
    const service = await db.pool.query<{ id: string }>(
      `SELECT id FROM services WHERE lab_id = $1 AND name_zh = '中性盐雾试验'`,
      [labId],
    );
    const [sme, lab] = [await login(stack.api, USERS.sme), await login(stack.api, USERS.lab)];
    const created = await api('POST', '/v1/orders', sme, {
      labId,
      requestNotes: '镀锌支架中性盐雾 96 h',
      lines: [{ serviceId: service.rows[0]!.id, quantity: 96, standardCode: 'GB/T 10125-2021' }],
    });
    const orderId = created.order.id;
    let seen = await api('GET', `/v1/orders/${orderId}`, sme);
    if (seen.order.status === 'requested') {
      await api('POST', `/v1/orders/${orderId}/quote`, lab, {
        lines: seen.lines.map((l) => ({ lineId: l.id, unitPriceFen: 1200 })),
        validUntil: '2027-12-31',
      });
      seen = await api('GET', `/v1/orders/${orderId}`, sme);
    }
    await api('POST', `/v1/orders/${orderId}/accept`, sme, {
      quotedAt: seen.order.quotedAt,
      commission: COMMISSION,
      deadlineTierDays: 15,
    });

    // 1. The lab's console: the form can be printed, no scan yet; the lab uploads the stamped scan.
    const labContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const labPage = await labContext.newPage();
    await signIn(labPage, stack.webUrl, USERS.lab, '/console');
    await labPage.goto(`${stack.webUrl}/console/orders/${orderId}`);
    const doc = labPage.getByTestId('commission-document');
    expect(await doc.getByTestId('commission-scan-state').getAttribute('data-uploaded')).toBe('no');
    expect(await doc.getByTestId('commission-scan-state').textContent()).toContain('未上传');
    const labPdfHref = await doc.getByTestId('commission-pdf').getAttribute('href');
    expect(await doc.getByTestId('commission-pdf').textContent()).toContain('打印委托单 (PDF)');
    const labPdf = await labPage.request.get(`${stack.webUrl}${labPdfHref}`);
    expect(labPdf.status()).toBe(200);
    expect(labPdf.headers()['content-type']).toBe('application/pdf');
    const text = await pdfText(await labPdf.body());
    expect(text).toContain('检验检测委托单');
    expect(text).toContain(created.order.number);
    expect(text).toContain(COMMISSION.sampleName);
    await doc
      .getByTestId('commission-scan-upload')
      .locator('input[name="scan"]')
      .setInputFiles({ name: '委托单-盖章.png', mimeType: 'image/png', buffer: PNG });
    await doc.getByTestId('commission-scan-submit').click();
    await expect
      .poll(() => doc.getByTestId('commission-scan-state').getAttribute('data-uploaded'), { timeout: 15_000 })
      .toBe('yes');
    expect(await doc.getByTestId('commission-scan-state').textContent()).toContain('已上传');
    await shot(labPage, 'commission-01-console');

    // 2. The customer's order page: the same PDF, and the scan the lab uploaded.
    const customerContext = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await customerContext.newPage();
    await signIn(page, stack.webUrl, USERS.sme, `/orders/${orderId}`);
    await page.goto(`${stack.webUrl}/orders/${orderId}`);
    const mine = page.getByTestId('commission-document');
    expect(await mine.getByTestId('commission-scan-upload').count()).toBe(0);
    expect(await mine.getByTestId('commission-scan-state').getAttribute('data-uploaded')).toBe('yes');
    const pdf = await page.request.get(
      `${stack.webUrl}${await mine.getByTestId('commission-pdf').getAttribute('href')}`,
    );
    expect(pdf.status()).toBe(200);
    expect(Buffer.compare(await pdf.body(), await labPdf.body())).toBe(0);
    const scanHref = await mine.getByTestId('commission-scan-download').getAttribute('href');
    const scan = await page.request.get(`${stack.webUrl}${scanHref}`);
    expect(scan.status()).toBe(200);
    expect(scan.headers()['content-type']).toBe('image/png');
    expect(Buffer.compare(await scan.body(), PNG)).toBe(0);
    await shot(page, 'commission-02-customer');

    // 3. Someone of another enterprise gets nothing.
    const otherContext = await browser.newContext({ locale: 'zh-CN' });
    const other = await otherContext.newPage();
    await signIn(other, stack.webUrl, USERS.sme2, '/');
    expect((await other.request.get(`${stack.webUrl}${scanHref}`)).status()).toBe(404);
    await Promise.all([labContext.close(), customerContext.close(), otherContext.close()]);
  });
});
