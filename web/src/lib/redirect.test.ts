import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRedirect } from '@sveltejs/kit';
import { safeRedirect } from './redirect';
import { GET as switchLocale } from '../routes/locale/+server';
import { load as loginLoad } from '../routes/login/+page.server';

const ORIGIN = 'http://localhost:3000';

/** Where a browser that got `location` as a redirect from ORIGIN ends up. */
const landing = (location: string, from = ORIGIN) => new URL(location, from);

describe('safeRedirect', () => {
  it('follows paths on this site, with their query and fragment', () => {
    expect(safeRedirect('/console', ORIGIN)).toBe('/console');
    expect(safeRedirect('/instruments?q=SEM', ORIGIN)).toBe('/instruments?q=SEM');
    expect(safeRedirect('/orders/1#messages', ORIGIN)).toBe('/orders/1#messages');
    expect(safeRedirect('/instruments?q=扫描电镜', ORIGIN)).toBe('/instruments?q=%E6%89%AB%E6%8F%8F%E7%94%B5%E9%95%9C');
  });

  it('refuses other sites however they are spelled: schemes, //, backslashes, tabs, newlines, dot segments', () => {
    for (const bad of [
      'https://evil.example',
      'javascript:alert(1)',
      '//evil.example',
      '/\\evil.example',
      '\\\\evil.example',
      // Browsers strip tabs and newlines from URLs: "/\t/evil.example" is "//evil.example".
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n/evil.example',
      '/\t\\evil.example',
      '\t//evil.example',
      // Dot segments that collapse to "//host".
      '/.//evil.example',
      '/..//evil.example',
      '/./\\evil.example',
      'console',
      '',
      null,
      undefined,
    ]) {
      expect(safeRedirect(bad, ORIGIN), JSON.stringify(bad)).toBe('/');
    }
  });

  it('keeps percent-encoded look-alikes on this site, still encoded', () => {
    // What arrives when the attacker encodes twice (or sends a NUL): a path on this site, never a host.
    for (const encoded of [
      '/%09/evil.example',
      '/%2F/evil.example',
      '/%5Cevil.example',
      '/%0a/evil.example',
      '/\u0000/evil.example',
    ]) {
      const out = safeRedirect(encoded, ORIGIN);
      expect(landing(out).origin).toBe(ORIGIN);
      expect(out.startsWith('/%')).toBe(true);
    }
  });

  it('answers the fallback it is given', () => {
    expect(safeRedirect('//evil.example', ORIGIN, '/instruments/1')).toBe('/instruments/1');
  });

  it('whatever the input, the answer is a path that stays on the site it is resolved against', () => {
    const piece = fc.constantFrom(
      '/',
      '\\',
      '\t',
      '\n',
      '\r',
      ' ',
      '\u0000',
      '\u000b',
      '%09',
      '%2F',
      '%5C',
      '%2e',
      '.',
      '..',
      ':',
      '@',
      '?',
      '#',
      'evil.example',
      'http:',
      'javascript:',
      'console',
    );
    const crafted = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(crafted, fc.string(), fc.webUrl(), fc.webPath()), (target) => {
        const out = safeRedirect(target, ORIGIN);
        expect(out.startsWith('/')).toBe(true);
        expect(out).not.toMatch(/^\/[/\\]/);
        expect([...out].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f)).toBe(false);
        // The same answer stays on whichever origin sends it.
        expect(landing(out).origin).toBe(ORIGIN);
        expect(landing(out, 'https://qihub.example:8443/a/b').origin).toBe('https://qihub.example:8443');
      }),
      { numRuns: 2000 },
    );
  });
});

/** The Location a SvelteKit handler redirects to (it throws the redirect). */
async function locationOf(run: () => unknown): Promise<string> {
  try {
    await run();
  } catch (e) {
    if (isRedirect(e)) return e.location;
    throw e;
  }
  throw new Error('no redirect');
}

describe('the redirect parameters of the web', () => {
  const cookies = { set: () => {} };

  it('/locale?set=en&redirect=… goes back to this site only', async () => {
    const at = (redirect: string) => {
      const url = new URL(`${ORIGIN}/locale?set=en&redirect=${redirect}`);
      return locationOf(() => switchLocale({ url, cookies } as unknown as Parameters<typeof switchLocale>[0]));
    };
    expect(await at('/%09/evil.example')).toBe('/');
    expect(await at('/%0A/evil.example')).toBe('/');
    expect(await at('/%5Cevil.example')).toBe('/');
    expect(await at('%2F%2Fevil.example')).toBe('/');
    expect(await at(encodeURIComponent('/instruments?q=SEM'))).toBe('/instruments?q=SEM');
  });

  it('/login?redirect=… of a signed-in visitor goes back to this site only', async () => {
    const at = (redirect: string) => {
      const url = new URL(`${ORIGIN}/login?redirect=${redirect}`);
      return locationOf(() =>
        loginLoad({ url, locals: { user: { id: 'u' } } } as unknown as Parameters<typeof loginLoad>[0]),
      );
    };
    expect(await at('/%09/evil.example')).toBe('/');
    expect(await at('/%0D%0A/evil.example')).toBe('/');
    expect(await at('/console')).toBe('/console');
  });
});
