import sharp from 'sharp';
import { type Browser, type Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserJourney, NO_BROWSER, shot, signIn } from '../support/browser.ts';
import type { TestDatabase } from '../support/db.ts';
import { anInstrumentOf, orgOf, USERS } from '../support/scenario.ts';
import type { RunningStack } from '../support/servers.ts';

/**
 * Issue 13 in the browser: a lab manager uploads a photo of an instrument on its edit page (with a
 * preview first); the storefront's card then shows it (both sizes offered, loaded lazily), while a
 * card without a photo shows its category's drawing; both pages fit a 390 px phone.
 */
let db: TestDatabase;
let stack: RunningStack;
let browser: Browser;
const journey = browserJourney();
beforeAll(() => {
  ({ db, stack, browser } = journey);
});

const soon = { timeout: 20_000 };
const fitsWidth = (p: Page) =>
  p.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

describe.skipIf(NO_BROWSER)('browser journey: an instrument photo', () => {
  let labId: string;
  let withPhoto: { id: string; name_zh: string };
  let without: { id: string; name_zh: string };

  beforeAll(async () => {
    labId = await orgOf(db, USERS.lab);
    withPhoto = await anInstrumentOf(db, labId);
    without = await anInstrumentOf(db, await orgOf(db, USERS.lab2));
  });

  it('is uploaded by the lab and shown on the storefront card; a card without one shows the illustration', async () => {
    const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await signIn(page, stack.webUrl, USERS.lab, `/console/instruments/${withPhoto.id}?lab=${labId}`);
    await page.goto(`${stack.webUrl}/console/instruments/${withPhoto.id}?lab=${labId}`);
    const editor = page.getByTestId('instrument-photo-editor');
    await editor.waitFor(soon);
    // No photo yet: the editor shows the category's drawing.
    await editor.getByTestId('category-illustration').waitFor(soon);

    const png = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#2f6f9f' } })
      .composite([
        { input: Buffer.from('<svg width="500" height="300"><rect width="500" height="300" fill="#eee"/></svg>') },
      ])
      .png()
      .toBuffer();
    await page.getByTestId('photo-file').setInputFiles({ name: '扫描电镜.png', mimeType: 'image/png', buffer: png });
    await page.getByTestId('photo-preview').waitFor(soon);
    await page.getByTestId('photo-upload').click();
    await editor.getByTestId('instrument-photo').waitFor(soon);
    await shot(page, 'instrument-photo-console');

    // A visitor's search finds the card with the photo: two WebP sizes, lazy, with its size.
    const visitor = await (
      await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } })
    ).newPage();
    await visitor.goto(`${stack.webUrl}/instruments?q=${encodeURIComponent(withPhoto.name_zh)}`);
    const card = visitor.locator('[data-testid="instrument-card"]', { hasText: withPhoto.name_zh }).first();
    const img = card.getByTestId('instrument-photo');
    await img.waitFor(soon);
    expect(await img.getAttribute('loading')).toBe('lazy');
    expect(await img.getAttribute('width')).toBe('320');
    expect(await img.getAttribute('height')).toBe('213');
    expect(await img.getAttribute('srcset')).toMatch(/-w320\.webp 320w, .*-w960\.webp 960w$/);
    await img.scrollIntoViewIfNeeded();
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth > 0)).toBe(true);
    const src = (await img.getAttribute('src'))!;
    const served = await visitor.request.get(`${stack.webUrl}${src}`);
    expect(served.status()).toBe(200);
    expect(served.headers()['content-type']).toBe('image/webp');
    expect(served.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(await fitsWidth(visitor)).toBe(true);
    await shot(visitor, 'instrument-photo-card-390');

    // The instrument page shows it too, and fits the phone.
    await visitor.goto(`${stack.webUrl}/instruments/${withPhoto.id}`);
    await visitor.getByTestId('instrument-photo').first().waitFor(soon);
    expect(await fitsWidth(visitor)).toBe(true);

    // A card without a photo shows its category's drawing, named for screen readers.
    await visitor.goto(`${stack.webUrl}/instruments?q=${encodeURIComponent(without.name_zh)}`);
    const plain = visitor.locator('[data-testid="instrument-card"]', { hasText: without.name_zh }).first();
    const drawing = plain.getByTestId('category-illustration');
    await drawing.waitFor(soon);
    expect(await plain.getByTestId('instrument-photo').count()).toBe(0);
    expect(await drawing.getAttribute('aria-label')).toMatch(/示意图/);
    expect(await fitsWidth(visitor)).toBe(true);
    await visitor.goto(`${stack.webUrl}/instruments/${without.id}`);
    await visitor.getByTestId('category-illustration').first().waitFor(soon);
    expect(await fitsWidth(visitor)).toBe(true);

    // Removing the photo brings the drawing back on the storefront.
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('photo-remove').click();
    await editor.getByTestId('category-illustration').waitFor(soon);
    await visitor.goto(`${stack.webUrl}/instruments?q=${encodeURIComponent(withPhoto.name_zh)}`);
    await visitor
      .locator('[data-testid="instrument-card"]', { hasText: withPhoto.name_zh })
      .first()
      .getByTestId('category-illustration')
      .waitFor(soon);
  });
});
