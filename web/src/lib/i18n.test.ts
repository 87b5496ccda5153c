import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDate, MESSAGES, pick, resolveLocale, translator } from './i18n';

type Tree = { [key: string]: string | Tree };

/** Flattened keys, with i18next plural suffixes folded away (Chinese has no plural forms). */
function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string'
      ? [`${prefix}${k}`.replace(/_(zero|one|two|few|many|other)$/, '')]
      : keys(v, `${prefix}${k}.`),
  );
}

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) return name === 'api' ? [] : sourceFiles(p);
    return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('messages', () => {
  const zh = new Set(keys(MESSAGES['zh-CN'] as unknown as Tree));
  const en = new Set(keys(MESSAGES.en as unknown as Tree));

  it('zh-CN and en have the same keys', () => {
    expect([...zh].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('every literal key the components use exists', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(srcDir)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z0-9_.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    expect([...used].filter((k) => !zh.has(k))).toEqual([]);
  });

  it('has a name and description for each of the eleven service kinds', () => {
    const kinds = Object.keys(MESSAGES['zh-CN'].serviceKinds);
    expect(kinds).toHaveLength(11);
  });
});

describe('translator', () => {
  it('speaks Chinese by default and English on request, with plurals', () => {
    expect(translator(resolveLocale(undefined))('nav.instruments')).toBe('仪器共享');
    expect(translator(resolveLocale('en'))('nav.instruments')).toBe('Instruments');
    expect(translator('en')('instrument.unitCount', { count: 1 })).toBe('1 unit');
    expect(translator('en')('instrument.unitCount', { count: 3 })).toBe('3 units');
    expect(translator('zh-CN')('instrument.unitCount', { count: 3 })).toBe('3 台');
  });
  it('ignores an unknown locale cookie', () => {
    expect(resolveLocale('fr')).toBe('zh-CN');
  });
});

describe('pick', () => {
  it('uses English when asked and present, Chinese otherwise', () => {
    expect(pick('en', '扫描电子显微镜', 'Scanning electron microscope')).toBe('Scanning electron microscope');
    expect(pick('en', '扫描电子显微镜', '')).toBe('扫描电子显微镜');
    expect(pick('en', '扫描电子显微镜', '  ')).toBe('扫描电子显微镜');
    expect(pick('zh-CN', '扫描电子显微镜', 'Scanning electron microscope')).toBe('扫描电子显微镜');
  });
});

describe('formatDate', () => {
  it('shows a local date without shifting it across time zones', () => {
    expect(formatDate('2027-05-01', 'zh-CN')).toBe('2027年5月1日');
    expect(formatDate('2027-05-01', 'en')).toBe('1 May 2027');
  });
});
