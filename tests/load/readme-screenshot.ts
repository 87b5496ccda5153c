// `pnpm screenshot`: the README's pictures, taken from the running product (`pnpm start`, demo data)
// in Debian's Chromium, so they show what a newcomer will see:
//   web/static/readme-screenshot.png  the instrument search for 扫描电镜 (desktop, zh-CN)
//   web/static/readme-console.png     a lab manager's 今日 in the console, on a phone (390 px)
//   pnpm screenshot [--url http://127.0.0.1:3000]
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const base = (args.includes('--url') ? args[args.indexOf('--url') + 1] : undefined) ?? 'http://127.0.0.1:3000';
const out = (name: string) => path.join(root, 'web', 'static', name);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  chromiumSandbox: false,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const desk = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await desk.newPage();
  await page.goto(`${base}/instruments?q=${encodeURIComponent('扫描电镜')}`, { waitUntil: 'networkidle' });
  await page.screenshot({ path: out('readme-screenshot.png') });
  console.log(`wrote ${out('readme-screenshot.png')}`);
  await desk.close();

  const phone = await browser.newContext({ locale: 'zh-CN', viewport: { width: 390, height: 844 } });
  const p = await phone.newPage();
  await p.goto(`${base}/login?redirect=%2Fconsole`, { waitUntil: 'networkidle' });
  await p.fill('input[name=email]', 'lab@demo.qihub.test');
  await p.fill('input[name=password]', 'qihub-demo');
  await p.click('button[type=submit]');
  await p.waitForURL((u) => u.pathname === '/console', { timeout: 60_000 });
  await p.waitForLoadState('networkidle');
  await p.screenshot({ path: out('readme-console.png') });
  console.log(`wrote ${out('readme-console.png')}`);
  await phone.close();
} finally {
  await browser.close();
}
