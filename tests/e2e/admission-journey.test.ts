import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { creditCodeCheckCharacter } from '@qihub/api/lib/credit-code';
import { DEMO_PASSWORD } from '../support/app.ts';
import { browserJourney, NO_BROWSER, shot } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * Issue 12's admission journey (入驻 with 公示), in Chromium by the people who take it: a new lab
 * fills in its application in the console and submits it → the Jiangsu platform admin publishes the
 * 7-day notice → anyone reads it on /notices and objects → before the notice is over the admin
 * cannot admit (409) → the journey clock moves past the notice's end → the admin records how the
 * objection was handled and admits the lab → its service appears in the public catalogue.
 */
const skip = NO_BROWSER;

let db: TestDatabase;
let stack: RunningStack;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack } = journey);
});

const soon = { timeout: 15_000 };
const LAB_EMAIL = 'manager@xinwu-testing.example.cn';
const LAB_NAME = '无锡新吴检测技术有限公司';
const SERVICE_NAME = '金属拉伸试验（新吴）';

const { person } = journey;

const hydrated = (page: Page) => page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });

async function api(method: string, url: string, token: string | null, body?: unknown) {
  const res = await fetch(`${stack.apiUrl}${url}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe.skipIf(skip)('browser journey: a lab applies, is put on public notice and admitted after it', () => {
  it('applies → notice → objection → (clock moved) → admitted → in the catalogue', async () => {
    // The lab registers (as a pending lab) and, while it waits, prepares a service for its catalogue.
    const body17 = '91320214MA1XW0001';
    const creditCode = body17 + creditCodeCheckCharacter(body17);
    const registered = await api('POST', '/v1/auth/register', null, {
      kind: 'lab',
      email: LAB_EMAIL,
      password: DEMO_PASSWORD,
      displayName: '周经理',
      organisation: { nameZh: LAB_NAME, creditCode, regionCode: '320214', labType: 'testing_institute' },
    });
    expect(registered.status).toBe(201);
    const token = registered.body.token as string;
    const labId = (registered.body.user as { memberships: { orgId: string }[] }).memberships[0]!.orgId;
    const service = await api('POST', `/v1/labs/${labId}/services`, token, {
      kind: 'commissioned_test',
      nameZh: SERVICE_NAME,
      priceModel: 'fixed',
      priceAmount: 30000,
    });
    expect(service.status).toBe(201);
    const serviceId = service.body.id as string;
    expect((await fetch(`${stack.webUrl}/services/${serviceId}`)).status).toBe(404);

    // 1. The lab manager fills in the application in the console and submits it.
    const lab = await person(LAB_EMAIL, '/console/application');
    await lab.page.goto(`${stack.webUrl}/console/application`);
    await hydrated(lab.page);
    expect(await lab.page.getByTestId('application-status').getAttribute('data-status')).toBe('draft');
    expect(await lab.page.getByTestId('app-credit-code').inputValue()).toBe(creditCode);
    await lab.page.getByTestId('app-legal-rep').fill('周建华');
    await lab.page.getByTestId('app-address').fill('无锡市新吴区菱湖大道 200 号');
    await lab.page.getByTestId('app-offering').fill('金属材料力学性能检测');
    await lab.page.getByTestId('app-site-0-name').fill('菱湖实验楼');
    await lab.page.getByTestId('app-site-0-region').fill('320214');
    await lab.page.getByTestId('app-site-0-address').fill('菱湖大道 200 号 2 号楼');
    await lab.page.getByTestId('app-cert-0-number').fill('261020000077');
    await lab.page.getByTestId('app-cert-0-from').fill('2025-06-01');
    await lab.page.getByTestId('app-cert-0-until').fill('2031-05-31');
    await lab.page.getByTestId('app-cert-0-scope').fill('金属材料 拉伸试验 GB/T 228.1');
    // The scan of the CMA certificate goes with it (a PDF, checked by content by the API).
    await lab.page.getByTestId('app-cert-0-file').setInputFiles({
      name: 'CMA证书.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'),
    });
    const yes = lab.page.getByTestId('app-eval-yes');
    for (let i = 0; i < (await yes.count()); i++) await yes.nth(i).check();
    await shot(lab.page, 'admission-01-application');
    await lab.page.getByTestId('app-submit').click();
    await expect
      .poll(() => lab.page.getByTestId('application-status').getAttribute('data-status'), soon)
      .toBe('submitted');

    // 2. The admin finds the application among the pending labs and publishes the notice.
    const admin = await person(USERS.admin, '/admin/labs');
    await admin.page.getByTestId('admin-nav-labs').click();
    await admin.page.waitForURL((u) => u.pathname === '/admin/labs');
    const row = admin.page.locator(`[data-testid="admin-lab"][data-lab-id="${labId}"]`);
    expect(await row.getByTestId('admin-lab-admission').textContent()).toContain('待审核');
    await row.getByTestId('admin-lab-open').click();
    await admin.page.waitForURL((u) => u.pathname === `/admin/labs/${labId}`);
    await hydrated(admin.page);
    expect(await admin.page.getByTestId('review-certificate').first().textContent()).toContain('261020000077');
    const scan = admin.page.getByTestId('review-certificate-file');
    expect(await scan.textContent()).toContain('CMA证书.pdf');
    const download = await admin.page.request.get(new URL((await scan.getAttribute('href'))!, admin.page.url()).href);
    expect(download.status()).toBe(200);
    expect((await download.body()).subarray(0, 5).toString()).toBe('%PDF-');
    await admin.page.getByTestId('decision-publish').click();
    await expect
      .poll(() => admin.page.getByTestId('review-admission-status').getAttribute('data-status'), soon)
      .toBe('on_notice');
    await shot(admin.page, 'admission-02-on-notice');

    // 3. Anyone, not signed in, reads the notice — nothing private on it — and objects.
    const visitor = await person(null, '/notices');
    await hydrated(visitor.page);
    const notice = visitor.page.getByTestId('notice').filter({ hasText: LAB_NAME });
    expect(await notice.getAttribute('data-open')).toBe('true');
    const shown = (await notice.textContent()) ?? '';
    expect(shown).toContain('261020000077');
    expect(shown).not.toContain('周建华');
    expect(shown).not.toContain(creditCode);
    await notice.getByTestId('notice-object').click();
    await notice.getByTestId('objection-reason').fill('该公司去年曾被投诉报告造假');
    await notice.getByTestId('objection-contact').fill('13900001111');
    await notice.getByTestId('objection-send').click();
    await expect.poll(() => visitor.page.getByTestId('flash').getAttribute('data-flash'), soon).toBe('objected');
    await shot(visitor.page, 'admission-03-notices');

    // 4. Before the notice is over the admin cannot admit.
    await admin.page.reload();
    await hydrated(admin.page);
    await admin.page.getByTestId('decision-admit').click();
    await expect.poll(() => admin.page.getByTestId('problem').getAttribute('data-code'), soon).toBe('notice_not_over');

    // 5. Eight days later (the notice ran to 24:00 of its 7th day), the objection handled, the lab is admitted.
    stack.clock.advance(8 * 86_400_000);
    await admin.page.goto(`${stack.webUrl}/admin/labs/${labId}`);
    await hydrated(admin.page);
    const objection = admin.page.getByTestId('objection').first();
    expect(await objection.textContent()).toContain('13900001111');
    await objection.getByTestId('objection-handling').fill('经核查投诉不属实，异议不成立');
    await objection.getByTestId('objection-handle').click();
    await expect
      .poll(() => admin.page.getByTestId('objection').first().getAttribute('data-handled'), soon)
      .toBe('true');
    await admin.page.getByTestId('decision-admit').click();
    await expect
      .poll(() => admin.page.getByTestId('review-lab-status').getAttribute('data-status'), soon)
      .toBe('active');
    await shot(admin.page, 'admission-04-admitted');

    // 6. The lab and its service are in the public catalogue.
    await visitor.page.goto(`${stack.webUrl}/services/${serviceId}`);
    expect(await visitor.page.textContent('body')).toContain(SERVICE_NAME);
    const labPage = await visitor.page.goto(`${stack.webUrl}/labs/${labId}`);
    expect(labPage?.status()).toBe(200);
    expect(await visitor.page.textContent('body')).toContain(LAB_NAME);
    await shot(visitor.page, 'admission-05-catalogue');

    const { rows } = await db.pool.query<{ status: string }>(
      "SELECT status FROM admission_cases WHERE lab_id = $1 AND kind = 'admission'",
      [labId],
    );
    expect(rows[0]?.status).toBe('admitted');
    for (const p of [lab, admin, visitor]) await p.context.close();
  });
});
