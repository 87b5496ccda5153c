import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';
import { pdfText } from '../support/pdf-text.ts';

/**
 * Several services in one request (加入同一委托), in Chromium: on the salt-spray service page the SME
 * adds the same lab's tensile test, fills each service's samples and sends one request; the order
 * has both lines, the lab prices both in one quote, and the SME sees one quote for the two, accepts it
 * with one commission form and prints that one form (委托单) with both services on it.
 */
let db: TestDatabase;
let stack: RunningStack;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack } = journey);
});

const soon = { timeout: 15_000 };
const customerStatus = (page: Page) => page.getByTestId('order-status').first().getAttribute('data-status');
const consoleStatus = (page: Page) => page.locator('header [data-testid="order-status"]').getAttribute('data-status');

const { person } = journey;

async function serviceOf(labId: string, nameZh: string): Promise<string> {
  const { rows } = await db.pool.query<{ id: string }>(
    `SELECT id FROM services WHERE lab_id = $1 AND name_zh = $2 AND status = 'active'`,
    [labId, nameZh],
  );
  return rows[0]!.id;
}

describe.skipIf(NO_BROWSER)('browser journey: two services of one lab in one request', () => {
  it('SME adds a second service of the lab, sends one request; the lab quotes both lines; one commission form holds both', async () => {
    const labId = await orgOf(db, USERS.lab);
    const saltSpray = await serviceOf(labId, '中性盐雾试验');
    const tensile = await serviceOf(labId, '金属材料室温拉伸试验');
    const otherLab = await orgOf(db, USERS.lab2);
    const { rows: foreign } = await db.pool.query<{ id: string }>(
      `SELECT id FROM services WHERE lab_id = $1 AND status = 'active' LIMIT 1`,
      [otherLab],
    );

    // 1. On the salt-spray page, the SME adds the tensile test of the same lab to the request.
    const sme = await person(USERS.sme, `/services/${saltSpray}`);
    await sme.page.goto(`${stack.webUrl}/services/${saltSpray}`);
    const form = sme.page.getByTestId('order-request-form');
    await form.getByTestId('request-add').locator('summary').click();
    // Only the lab's own services are offered.
    expect(await form.locator(`[data-testid="request-add-service"][data-service-id="${foreign[0]!.id}"]`).count()).toBe(
      0,
    );
    await form.locator(`[data-testid="request-add-service"][data-service-id="${tensile}"]`).click();
    await sme.page.waitForURL((u) => u.searchParams.get('with') === tensile);
    await expect.poll(() => form.getByTestId('request-line').count(), soon).toBe(2);

    // A service of another lab put in the address by hand is not taken into the request.
    await sme.page.goto(`${stack.webUrl}/services/${saltSpray}?with=${tensile},${foreign[0]!.id}`);
    await expect.poll(() => form.getByTestId('request-line').count(), soon).toBe(2);

    // 2. Each service gets its own samples: three panels for 96 h of salt spray, three tensile specimens.
    await form.locator('#sampleCount').fill('3');
    await form.locator('#quantity').fill('96');
    await form.locator('#parameterZh').fill('中性盐雾试验');
    await form.locator('#line1-sampleCount').fill('3');
    await form.locator('#line1-parameterZh').fill('抗拉强度、断后伸长率');
    await form.locator('#requestNotes').fill('镀锌钢板 Q235B：耐腐蚀性与力学性能一并检测。');
    await shot(sme.page, 'multi-01-request');
    await sme.page.getByTestId('order-request-submit').click();
    await sme.page.waitForURL(/\/orders\/[0-9a-f-]{36}/);
    const orderId = /\/orders\/([0-9a-f-]{36})/.exec(sme.page.url())![1]!;
    expect(await customerStatus(sme.page)).toBe('requested');
    expect(await sme.page.getByTestId('order-line').count()).toBe(2);
    const { rows: lines } = await db.pool.query<{ service_id: string; sample_count: number; quantity: number }>(
      `SELECT service_id, sample_count, quantity FROM order_lines WHERE order_id = $1 ORDER BY position`,
      [orderId],
    );
    expect(lines).toEqual([
      { service_id: saltSpray, sample_count: 3, quantity: 96 },
      { service_id: tensile, sample_count: 3, quantity: 3 },
    ]);

    // 3. The lab quotes both lines at once: 96 h × ¥30 and 3 specimens × ¥180.
    const lab = await person(USERS.lab, `/console/orders/${orderId}`);
    await lab.page.goto(`${stack.webUrl}/console/orders/${orderId}`);
    // The quote editor lists both lines, each with the samples the SME gave.
    expect(await lab.page.getByTestId('quote-line-samples').count()).toBe(2);
    const prices = lab.page.getByTestId('quote-line-price');
    expect(await prices.count()).toBe(2);
    await prices.nth(0).fill('30');
    await prices.nth(1).fill('180');
    await lab.page.getByTestId('quote-submit').click();
    await expect.poll(() => consoleStatus(lab.page), soon).toBe('quoted');
    expect(await lab.page.getByTestId('quote-line').count()).toBe(2);
    await shot(lab.page, 'multi-02-quoted');

    // 4. The SME sees one quote for the two services: ¥2,880.00 + ¥540.00.
    await sme.page.reload();
    expect(await customerStatus(sme.page)).toBe('quoted');
    expect(await sme.page.getByTestId('quote-total').textContent()).toContain('3,420.00');

    // 5. One commission form for the whole request: the SME fills it once and accepts the quote.
    const accept = sme.page.getByTestId('accept-form');
    await accept.locator('#sampleName').fill('镀锌钢板 Q235B');
    await accept.locator('#specification').fill('150×75×1 mm');
    await accept.locator('#purpose').fill('来料检验');
    await sme.page.getByTestId('accept-submit').click();
    await expect.poll(() => customerStatus(sme.page), soon).toBe('awaiting_samples');
    expect(await sme.page.getByTestId('commission-summary').textContent()).toContain('镀锌钢板 Q235B');
    // The form is the order's, not a line's: stored once, for both lines.
    const { rows: forms } = await db.pool.query<{ commission: { sampleName: string } | null }>(
      'SELECT commission FROM orders WHERE id = $1',
      [orderId],
    );
    expect(forms[0]!.commission?.sampleName).toBe('镀锌钢板 Q235B');

    // 6. The printed form (委托单) is one document with both services, each line's fee and the total.
    const pdf = await sme.page.request.get(
      `${stack.webUrl}${await sme.page.getByTestId('commission-pdf').getAttribute('href')}`,
    );
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const text = (await pdfText(await pdf.body())).replace(/\s+/g, '');
    for (const expected of [
      '检验检测委托单',
      // Each line as the SME named its tests, with its standard, and its fee; then the total.
      '中性盐雾试验GB/T10125-2021',
      '¥2,880.00',
      '抗拉强度、断后伸长率GB/T228.1-2021',
      '¥540.00',
      '镀锌钢板Q235B',
      '费用合计Total¥3,420.00',
    ]) {
      expect(text, expected).toContain(expected);
    }
    await sme.context.close();
    await lab.context.close();
  });
});
