import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import { type Browser, type Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { invitationEmail } from '@qihub/api/modules/labs/jobs';
import { bearer } from '../support/app.ts';
import type { TestDatabase } from '../support/db.ts';
import { orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * The lab console's administration pages, as a lab manager uses them: API 令牌 (create one, its
 * secret shown once and working against the API, then revoke it and the API refuses it), 成员
 * (add a platform user, invite an unknown address, change a role, remove the member) and 资质
 * (register a CMA certificate with its scope, then withdraw it; upload a certificate's scan, edit
 * one of its scope lines, and find the change in the storefront's scope search).
 */
const skip = NO_BROWSER;

let db: TestDatabase;
let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack, browser } = journey);
});

const soon = { timeout: 10_000 };
let labId: string;
let page: Page;

/** Goes to a console page through its nav link, as a person would. */
async function openFromNav(key: string, path: string): Promise<void> {
  await page.goto(`${stack.webUrl}/console`);
  await page.getByTestId(`console-nav-${key}`).click();
  await page.waitForURL((u) => u.pathname === path);
}

/** Clicks a button whose form asks for confirmation first, and says yes. */
async function confirmAndClick(p: Page, click: () => Promise<void>): Promise<string> {
  let asked = '';
  p.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.accept();
  });
  await click();
  return asked;
}

describe.skipIf(skip)('browser journey: a lab manager keeps API tokens, members and qualifications', () => {
  beforeAll(async () => {
    labId = await orgOf(db, USERS.lab);
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await signIn(page, stack.webUrl, USERS.lab, '/console');
  });

  it('creates an API token whose secret is shown once and works, then revokes it and the API refuses it', async () => {
    const NAME = 'LIMS 同步（旅程）';
    await openFromNav('apiTokens', '/console/api-tokens');
    await page.locator('#name').fill(NAME);
    await page.locator('#role').selectOption('staff');
    await page.getByTestId('token-create').click();
    await page.getByTestId('token-secret').waitFor(soon);
    const secret = ((await page.getByTestId('token-secret').textContent()) ?? '').trim();
    expect(secret.length).toBeGreaterThan(20);
    const row = page.locator(`[data-testid="token-row"][data-name="${NAME}"]`);
    await row.waitFor(soon);
    expect(await row.getAttribute('data-state')).toBe('active');
    // The list shows only the start of the secret.
    const prefix = ((await row.locator('code').textContent()) ?? '').replace('…', '');
    expect(secret.startsWith(prefix)).toBe(true);
    expect(await row.textContent()).not.toContain(secret);
    await shot(page, 'lab-admin-01-token-created');

    // The secret works as a bearer token.
    const url = `/v1/labs/${labId}/instruments`;
    const ok = await stack.api.inject({ method: 'GET', url, headers: bearer(secret) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<{ items: unknown[] }>().items.length).toBeGreaterThan(0);

    // After a reload the secret is gone for good; the token is still listed.
    await page.reload();
    await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
    expect(await page.getByTestId('token-secret-card').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);
    expect(await row.count()).toBe(1);
    // Created on the journey's day (the API's clock, not the database's), and used since.
    expect(await row.textContent()).toContain('2026年11月27日');
    expect(await row.textContent()).not.toContain('从未使用');

    // Revoke, after saying yes.
    const asked = await confirmAndClick(page, () => row.getByTestId('token-revoke').click());
    expect(asked).toContain(NAME);
    await page.getByTestId('tokens-done').waitFor(soon);
    expect(await page.getByTestId('tokens-done').textContent()).toContain(NAME);
    await page.locator(`[data-testid="token-row"][data-name="${NAME}"][data-state="revoked"]`).waitFor(soon);
    expect(await row.getByTestId('token-revoke').count()).toBe(0);
    const refused = await stack.api.inject({ method: 'GET', url, headers: bearer(secret) });
    expect(refused.statusCode).toBe(401);
    await shot(page, 'lab-admin-02-token-revoked');
  });

  it('adds a platform user, invites an unknown address, changes the role and removes the member', async () => {
    const UNKNOWN = 'new-analyst@example.test';
    await openFromNav('members', '/console/members');
    const sme2 = page.locator(`[data-testid="member-row"][data-email="${USERS.sme2}"]`);
    expect(await sme2.count()).toBe(0);
    const membersBefore = await page.getByTestId('member-row').count();

    // A person with an account becomes a member at once.
    await page.locator('#email').fill(USERS.sme2);
    await page.locator('#role').selectOption('operator');
    await page.getByTestId('invite-submit').click();
    await page.getByTestId('members-done').waitFor(soon);
    await sme2.waitFor(soon);
    expect(await page.getByTestId('member-row').count()).toBe(membersBefore + 1);
    expect(await sme2.getByTestId('member-role').inputValue()).toBe('operator');

    // An address without an account gets an invitation, listed as open.
    await page.locator('#email').fill(UNKNOWN);
    await page.locator('#role').selectOption('staff');
    await page.getByTestId('invite-submit').click();
    const invitation = page.locator(`[data-testid="invitation-row"][data-email="${UNKNOWN}"]`);
    await invitation.waitFor(soon);
    expect(await page.getByTestId('members-done').textContent()).toContain(UNKNOWN);
    expect(await page.getByTestId('member-row').count()).toBe(membersBefore + 1);
    await shot(page, 'lab-admin-03-members-invited');

    // The invitation e-mail's link opens registration with the invited address filled in, still editable.
    const mail = invitationEmail(
      { email: UNKNOWN, role: 'staff', labNameZh: '苏州检测中心', labNameEn: 'Suzhou Testing Centre' },
      stack.webUrl,
    );
    const link = /https?:\/\/\S+\/register\?email=\S+/.exec(mail.text)?.[0];
    expect(link).toBeDefined();
    const invitee = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } })
    ).newPage();
    await invitee.goto(link!);
    await invitee.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
    const email = invitee.locator('#email');
    expect(await email.inputValue()).toBe(UNKNOWN);
    expect(await email.isEditable()).toBe(true);
    await email.fill('another-analyst@example.test');
    expect(await email.inputValue()).toBe('another-analyst@example.test');
    await shot(invitee, 'lab-admin-03b-invitation-register');
    await invitee.context().close();

    // Inviting the same address again is refused with a reason.
    await page.locator('#email').fill(UNKNOWN);
    await page.getByTestId('invite-submit').click();
    await page.locator('[role="alert"]').first().waitFor(soon);
    expect(await page.getByTestId('invitation-row').count()).toBe(1);

    // Change the member's role.
    await sme2.getByTestId('member-role').selectOption('staff');
    await sme2.getByTestId('member-role-save').click();
    await page.getByTestId('members-done').waitFor(soon);
    await expect.poll(async () => await sme2.getByTestId('member-role').inputValue(), soon).toBe('staff');
    const { rows: roles } = await db.pool.query<{ role: string }>(
      'SELECT m.role FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.org_id = $1 AND u.email = $2',
      [labId, USERS.sme2],
    );
    expect(roles.map((r) => r.role)).toEqual(['staff']);
    // After a reload the role is still the new one.
    await page.reload();
    await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
    expect(await sme2.getByTestId('member-role').inputValue()).toBe('staff');

    // Remove the member, after saying yes.
    const asked = await confirmAndClick(page, () => sme2.getByTestId('member-remove').click());
    expect(asked.length).toBeGreaterThan(0);
    await expect.poll(() => sme2.count(), soon).toBe(0);
    expect(await page.getByTestId('member-row').count()).toBe(membersBefore);
    // The manager cannot remove themself from here.
    const me = page.locator(`[data-testid="member-row"][data-email="${USERS.lab}"]`);
    expect(await me.getByTestId('member-remove').count()).toBe(0);

    // The invitation can be cancelled too.
    await confirmAndClick(page, () => invitation.getByTestId('invitation-cancel').click());
    await expect.poll(() => invitation.count(), soon).toBe(0);
    await shot(page, 'lab-admin-04-members-after');
  });

  it('registers a CMA qualification with two scope lines, sees it listed, then withdraws it', async () => {
    const NUMBER = '261012349876';
    await openFromNav('qualifications', '/console/qualifications');
    const card = page.locator(`[data-testid="qual-card"][data-number="${NUMBER}"]`);
    expect(await card.count()).toBe(0);

    await page.locator('#kind').selectOption('cma');
    await page.locator('#number').fill(NUMBER);
    await page.locator('#issuedOn').fill('2025-03-01');
    await page.locator('#validUntil').fill('2031-02-28');
    await page.locator('#scope').fill('金属材料 | 拉伸强度 | GB/T 228.1-2021\n洛氏硬度 | GB/T 230.1-2018');
    await page.getByTestId('qual-submit').click();
    await page.getByTestId('quals-done').waitFor(soon);
    await card.waitFor(soon);
    expect(await card.getAttribute('data-state')).toBe('valid');
    const lines = await card.locator('.scope li').allTextContents();
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).toContain('GB/T 228.1-2021');
    expect(lines.join('\n')).toContain('拉伸强度');
    expect(lines.join('\n')).toContain('GB/T 230.1-2018');
    await shot(page, 'lab-admin-05-qualification');

    // Still there after a reload.
    await page.reload();
    await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 });
    expect(await card.count()).toBe(1);

    const asked = await confirmAndClick(page, () => card.getByTestId('qual-withdraw').click());
    expect(asked).toContain(NUMBER);
    await page.getByTestId('quals-done').waitFor(soon);
    await expect.poll(() => card.getAttribute('data-state'), soon).toBe('withdrawn');
    expect(await card.getByTestId('qual-withdraw').count()).toBe(0);
    await shot(page, 'lab-admin-06-qualification-withdrawn');
  });

  it('uploads a certificate scan, edits a scope line, and the storefront’s scope search follows', async () => {
    const NUMBER = '261012340777';
    const PDF = Buffer.concat([
      Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'),
      Buffer.alloc(400, 0x20),
    ]);
    await openFromNav('qualifications', '/console/qualifications');
    await page.locator('#kind').selectOption('cma');
    await page.locator('#number').fill(NUMBER);
    await page.locator('#issuedOn').fill('2025-06-01');
    await page.locator('#validUntil').fill('2031-05-31');
    await page.locator('#issuingBody').fill('江苏省市场监督管理局');
    await page.locator('#scope').fill('涂层 | 划格试验 | GB/T 9286-2021\n涂层 | 耐湿热性 | GB/T 1740-2007');
    await page.getByTestId('qual-submit').click();
    const card = page.locator(`[data-testid="qual-card"][data-number="${NUMBER}"]`);
    await card.waitFor(soon);
    expect(await card.getByTestId('qual-scan-link').count()).toBe(0);
    expect(await card.textContent()).toContain('江苏省市场监督管理局');

    // The scan: chosen, uploaded, listed with its name, and downloadable as it was sent.
    await card
      .locator('input[type="file"]')
      .setInputFiles({ name: 'CMA证书扫描件.pdf', mimeType: 'application/pdf', buffer: PDF });
    await card.getByTestId('qual-scan-submit').click();
    await page.getByTestId('quals-done').waitFor(soon);
    const link = card.getByTestId('qual-scan-link');
    await link.waitFor(soon);
    expect(await link.textContent()).toContain('CMA证书扫描件.pdf');
    const got = await page.request.get(new URL((await link.getAttribute('href'))!, stack.webUrl).toString());
    expect(got.status()).toBe(200);
    expect(got.headers()['content-type']).toBe('application/pdf');
    expect(Buffer.from(await got.body()).equals(PDF)).toBe(true);
    await shot(page, 'lab-admin-07-qualification-scan');

    // An edit that would run past six years is refused and explained next to the form.
    await card.getByTestId('qual-edit-toggle').click();
    const edit = card.getByTestId('qual-edit-form');
    await edit.locator('input[name="validUntil"]').fill('2031-06-01');
    await edit.getByTestId('qual-edit-submit').click();
    const problem = card.getByTestId('qual-edit-problem');
    await problem.waitFor(soon);
    expect(await problem.getAttribute('data-code')).toBe('qualification_too_long');
    expect(await problem.textContent()).toContain('六年');

    // One scope line changed: 划格试验 (GB/T 9286) becomes 铅笔硬度 (GB/T 6739).
    await edit.locator('input[name="validUntil"]').fill('2031-05-31');
    const scope = edit.locator('textarea[name="scope"]');
    const text = await scope.inputValue();
    expect(text).toContain('涂层 | 划格试验 | GB/T 9286-2021');
    await scope.fill(text.replace('涂层 | 划格试验 | GB/T 9286-2021', '涂层 | 铅笔硬度 | GB/T 6739-2022'));
    await edit.getByTestId('qual-edit-submit').click();
    await expect
      .poll(async () => (await card.locator('.scope li').allTextContents()).join('\n'), soon)
      .toContain('GB/T 6739-2022');
    const lines = (await card.locator('.scope li').allTextContents()).join('\n');
    expect(lines).not.toContain('GB/T 9286-2021');
    expect(lines).toContain('GB/T 1740-2007');
    await shot(page, 'lab-admin-08-qualification-edited');

    // The storefront's scope search finds the lab by the new line, and no longer by the old one.
    const labLink = `a[href$="/labs/${labId}"]`;
    await page.goto(`${stack.webUrl}/labs?q=${encodeURIComponent('GB/T 6739')}`);
    const hit = page.locator('[data-testid="scope-lab"]', { has: page.locator(labLink) });
    await hit.waitFor(soon);
    expect((await hit.getByTestId('scope-line').allInnerTexts()).join('\n')).toContain('GB/T 6739-2022');
    await shot(page, 'lab-admin-09-scope-search');
    await page.goto(`${stack.webUrl}/labs?q=${encodeURIComponent('GB/T 9286')}`);
    await page.getByTestId('scope-q').waitFor(soon);
    expect(await page.locator(labLink).count()).toBe(0);
  });
});
