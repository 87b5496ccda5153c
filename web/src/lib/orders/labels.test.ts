import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LOCALES, MESSAGES, translator } from '$lib/i18n';
import { SERVICE_KINDS } from '$lib/types';
import { PRICE_UNITS, serviceKindName, unitName } from './labels';

const broken = /returned an object|^key '|serviceKinds\.|orders\.units\./;

describe('service kind and unit names', () => {
  it('names every service kind in both languages (never the key, never "returned an object")', () => {
    for (const locale of LOCALES) {
      const t = translator(locale);
      for (const kind of SERVICE_KINDS) {
        const name = serviceKindName(t, kind);
        expect(name, `${locale} ${kind}`).not.toMatch(broken);
        expect(name, `${locale} ${kind}`).not.toBe(kind);
        expect(name.length).toBeGreaterThan(0);
      }
    }
    expect(serviceKindName(translator('zh-CN'), 'instrument_time')).toBe('仪器共享');
    expect(serviceKindName(translator('en'), 'commissioned_test')).toBe('Commissioned testing');
  });

  it('names every priced unit in both languages, and shows a unit of the lab’s own as written', () => {
    for (const locale of LOCALES) {
      const t = translator(locale);
      for (const unit of PRICE_UNITS) {
        const name = unitName(t, unit);
        expect(name, `${locale} ${unit}`).not.toMatch(broken);
        expect(name, `${locale} ${unit}`).not.toBe(unit);
      }
    }
    expect(unitName(translator('zh-CN'), 'hour')).toBe('小时');
    expect(unitName(translator('en'), 'hour')).toBe('h');
    expect(unitName(translator('zh-CN'), '件')).toBe('件');
    expect(unitName(translator('en'), 'constructor')).toBe('constructor');
  });
});

/* ─────────── the same class of bug anywhere: a key built at run time that lands on a group ─────────── */

type Tree = { [key: string]: string | Tree };
const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === 'api' ? [] : sourceFiles(p);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [p] : [];
  });
}

function nodeAt(tree: Tree, dotted: string): string | Tree | undefined {
  return dotted
    .split('.')
    .reduce<string | Tree | undefined>((n, k) => (n && typeof n === 'object' ? n[k] : undefined), tree);
}

describe('keys built from a variable', () => {
  it('`t(`group.${x}…`)` reaches messages, not groups of messages', () => {
    const problems: string[] = [];
    let seen = 0;
    for (const file of sourceFiles(srcDir)) {
      const text = readFileSync(file, 'utf8');
      // t(`orders.units.${l.unit}`) → group "orders.units", rest ""; t(`serviceKinds.${k}.name`) → rest "name".
      for (const m of text.matchAll(/\bt\(`([a-zA-Z0-9_.]+)\.\$\{[^}`]+\}((?:\.[a-zA-Z0-9_]+)*)`/g)) {
        seen += 1;
        const [, group, rest] = m as unknown as [string, string, string];
        for (const locale of LOCALES) {
          const node = nodeAt(MESSAGES[locale] as unknown as Tree, group);
          if (!node || typeof node !== 'object') {
            problems.push(`${path.relative(srcDir, file)}: ${group} is no group of messages (${locale})`);
            continue;
          }
          // A group may mix messages and sub-groups (the variable then picks among the messages);
          // a key that reaches no message for any member is the bug: `serviceKinds.${k}` without `.name`.
          const leaves = Object.values(node).map((value) => (rest ? nodeAt(value as Tree, rest.slice(1)) : value));
          if (!leaves.some((leaf) => typeof leaf === 'string')) {
            problems.push(`${path.relative(srcDir, file)}: ${group}.\${…}${rest} reaches no message (${locale})`);
          }
        }
      }
    }
    expect(seen).toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });
});
