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

const messagesDir = path.resolve(srcDir, '../messages');
const messageFiles = readdirSync(messagesDir).filter((f) => f.endsWith('.json'));
const readMessages = (file: string) => JSON.parse(readFileSync(path.join(messagesDir, file), 'utf8')) as Tree;
/** `bookings.en.json` → area `bookings`, locale `en`; the base files `en.json` / `zh-CN.json` are area ''. */
const areaOf = (file: string) => {
  const m = /^(?:(.+)\.)?(zh-CN|en)\.json$/.exec(file);
  if (!m) throw new Error(`unexpected message file ${file}`);
  return { area: m[1] ?? '', locale: m[2] as 'zh-CN' | 'en' };
};

/** Every leaf with its i18next plural suffix folded away, mapped to the union of its interpolation variables. */
function variables(tree: Tree, prefix = '', out = new Map<string, Set<string>>()): Map<string, Set<string>> {
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v !== 'string') {
      variables(v, `${prefix}${k}.`, out);
      continue;
    }
    const key = `${prefix}${k}`.replace(/_(zero|one|two|few|many|other)$/, '');
    const vars = out.get(key) ?? new Set<string>();
    for (const m of v.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)) vars.add(m[1]!);
    out.set(key, vars);
  }
  return out;
}

function at(tree: Tree, dotted: string): string | Tree | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of dotted.split('.')) {
    if (node === undefined || typeof node === 'string') return undefined;
    node = node[part];
  }
  return node;
}

/** `x_one` / `x_other` → `x` when they are a plural family (`too_many` alone stays itself). */
function pluralBase(parent: Tree, key: string): string {
  const m = /^(.+)_(zero|one|two|few|many|other)$/.exec(key);
  return m && typeof parent[`${m[1]}_other`] === 'string' ? m[1]! : key;
}

/** A leaf that i18next turns into a string: a plain string, or the family `x_one` / `x_other`. */
function isMessage(parent: Tree, key: string): boolean {
  return typeof parent[key] === 'string' || typeof parent[`${key}_other`] === 'string';
}

describe('message files', () => {
  it('pair up: each area has a zh-CN and an en file with the same keys', () => {
    const byArea = new Map<string, Partial<Record<'zh-CN' | 'en', Set<string>>>>();
    for (const file of messageFiles) {
      const { area, locale } = areaOf(file);
      byArea.set(area, { ...byArea.get(area), [locale]: new Set(keys(readMessages(file))) });
    }
    for (const [area, { 'zh-CN': zhKeys, en: enKeys }] of byArea) {
      expect(zhKeys, `${area || 'base'}: zh-CN file`).toBeDefined();
      expect(enKeys, `${area || 'base'}: en file`).toBeDefined();
      expect(
        [...zhKeys!].filter((k) => !enKeys!.has(k)),
        `${area || 'base'}: only in zh-CN`,
      ).toEqual([]);
      expect(
        [...enKeys!].filter((k) => !zhKeys!.has(k)),
        `${area || 'base'}: only in en`,
      ).toEqual([]);
    }
  });

  it('write placeholders as {{name}}: a single-brace {name} shows raw on the page', () => {
    const raw: string[] = [];
    for (const file of messageFiles) {
      const text = readFileSync(path.join(messagesDir, file), 'utf8');
      for (const m of text.matchAll(/(?<!\{)\{[A-Za-z_]+\}(?!\})/g)) raw.push(`${file}: ${m[0]}`);
    }
    expect(raw).toEqual([]);
  });

  it('never define the same top-level key twice in one language (the merge would drop one silently)', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const owner = new Map<string, string>();
      for (const file of messageFiles.filter((f) => areaOf(f).locale === locale)) {
        for (const top of Object.keys(readMessages(file))) {
          expect(owner.get(top), `${top} in ${file}`).toBeUndefined();
          owner.set(top, file);
        }
      }
    }
  });

  it('use the same interpolation variables in both languages', () => {
    const zh = variables(MESSAGES['zh-CN'] as unknown as Tree);
    const en = variables(MESSAGES.en as unknown as Tree);
    const differ = [...zh].filter(([k, vars]) => {
      const other = en.get(k);
      return other !== undefined && [...vars].sort().join() !== [...other].sort().join();
    });
    expect(differ.map(([k]) => k)).toEqual([]);
  });

  it('resolve every key family the components look up (`t(`a.b.${x}.c`)`) to messages', () => {
    // A family is the object under the literal prefix. A lookup into it must be able to end in a
    // message at the literal suffix, or the page shows the raw key or "returned an object instead of
    // string"; where the family's members all have one shape (all texts, or all objects alike), every
    // member must.
    const broken: string[] = [];
    let families = 0;
    for (const file of sourceFiles(srcDir)) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\bt\(`([a-zA-Z0-9_.]+)\.\$\{[^}`]+\}((?:\.[a-zA-Z0-9_]+)*)`/g)) {
        const [, prefix, suffix] = m as unknown as [string, string, string];
        families += 1;
        for (const locale of ['zh-CN', 'en'] as const) {
          const family = at(MESSAGES[locale] as unknown as Tree, prefix);
          const where = `${path.relative(srcDir, file)}: t(\`${prefix}.\${…}${suffix}\`) in ${locale}`;
          if (family === undefined || typeof family === 'string') {
            broken.push(`${where}: there is no ${prefix}`);
            continue;
          }
          const members = [...new Set(Object.keys(family).map((k) => pluralBase(family, k)))];
          const resolves = (member: string) => {
            const parts = `${member}${suffix}`.split('.');
            const leaf = parts.pop()!;
            const parent = parts.length > 0 ? at(family, parts.join('.')) : family;
            return parent !== undefined && typeof parent !== 'string' && isMessage(parent, leaf);
          };
          const ok = members.filter(resolves);
          const shapes = new Set(members.map((k) => (isMessage(family, k) ? 'text' : 'object')));
          if (ok.length === 0) broken.push(`${where}: no member is a message`);
          else if (shapes.size === 1 && ok.length < members.length) {
            broken.push(`${where}: ${members.filter((k) => !resolves(k)).join(', ')} not messages`);
          }
        }
      }
    }
    expect(families).toBeGreaterThan(50);
    expect([...new Set(broken)]).toEqual([]);
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
  it('says the same as i18next when it remembers what it said: values, plurals, objects and defaults', () => {
    const en = translator('en');
    for (let round = 0; round < 2; round++) {
      // The second round answers from memory: the same texts.
      expect(en('booking.unitsFree', { count: 1 })).toBe('1 unit free');
      expect(en('booking.unitsFree', { count: 2 })).toBe('2 units free');
      expect(en('booking.durationHours', { hours: 2, count: 2 })).toBe(
        en('booking.durationHours', { hours: 2, count: 2 }),
      );
      expect(translator('zh-CN')('booking.unitsFree', { count: 2 })).toBe('2 台空闲');
      // A number and the same digits as a string are different values to i18next's plural rules.
      expect(en('booking.unitsFree', { count: '1' as unknown as number })).not.toBe('');
      expect(en('no.such.key')).toBe('no.such.key');
      expect(en('no.such.key', { defaultValue: 'fallback' })).toBe('fallback');
    }
    // What cannot be remembered (an object back, values that are objects) still goes to i18next.
    expect(typeof en('booking.weekdays', { returnObjects: true })).toBe('object');
    expect(en('booking.unitsFree', { count: 3, extra: { nested: true } } as Record<string, unknown>)).toBe(
      '3 units free',
    );
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
