import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The shape the code keeps (CONVENTIONS.md, issue 10): small files, modules that depend on one
// another one way only, and no import circle. ESLint keeps SQL in repositories; this keeps the rest.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MAX_LINES = 500;
/** Generated, not code a person reads: the OpenAPI types. */
const EXEMPT = [/^web\/src\/lib\/api\//];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, dir))) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const rel = `${dir}/${name}`;
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...sourceFiles(rel));
    else if (/\.(ts|svelte|js)$/.test(name) && !/\.d\.ts$/.test(name)) out.push(rel);
  }
  return out;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

/** The files `file` imports with a relative path (type-only imports included: they still couple). */
function relativeImports(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2];
    if (!spec?.startsWith('.')) continue;
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)));
  }
  return out;
}

/** Every strongly connected set of more than one node (or a node importing itself). */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || graph.get(v)?.has(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

const apiFiles = sourceFiles('api/src').filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));

describe('the shape of the code', () => {
  it(`keeps every source file of api, web, worker and db at ${MAX_LINES} lines or fewer`, () => {
    const long = ['api/src', 'web/src', 'worker/src', 'db/src']
      .flatMap(sourceFiles)
      .filter((f) => !EXEMPT.some((re) => re.test(f)))
      .map((f) => ({ f, lines: readFileSync(path.join(root, f), 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f}: ${lines}`);
    expect(long).toEqual([]);
  });

  it('has no import circle between the API files', () => {
    const graph = new Map<string, Set<string>>();
    for (const f of apiFiles) graph.set(f, new Set(relativeImports(f).filter((t) => t.startsWith('api/src/'))));
    expect(cycles(graph)).toEqual([]);
  });

  it('lets API modules depend on one another one way only', () => {
    const moduleOf = (f: string) => /^api\/src\/modules\/([^/]+)\//.exec(f)?.[1];
    const graph = new Map<string, Set<string>>();
    for (const f of apiFiles) {
      const from = moduleOf(f);
      if (!from) continue;
      const edges = graph.get(from) ?? new Set<string>();
      for (const t of relativeImports(f)) {
        const to = moduleOf(t);
        if (to && to !== from) edges.add(to);
      }
      graph.set(from, edges);
    }
    expect(cycles(graph)).toEqual([]);
  });

  it('reaches another API module only through its index.ts', () => {
    const reaching = apiFiles.flatMap((f) => {
      const own = /^api\/src\/modules\/([^/]+)\//.exec(f)?.[1];
      return relativeImports(f)
        .filter((t) => {
          const m = /^api\/src\/modules\/([^/]+)\/(.+)$/.exec(t);
          return m && m[1] !== own && m[2] !== 'index.ts';
        })
        .map((t) => `${f} → ${t}`);
    });
    expect(reaching).toEqual([]);
  });
  it('sends SQL only from repositories and the outbox relay', () => {
    // ESLint refuses drizzle-orm imports elsewhere; this catches a query built without one
    // (`tx.insert(table)`, `db.execute(...)`).
    const QUERY =
      /\b(?:db|tx|executor|deps\.db|ctx\.db)\s*\.\s*(?:select|selectDistinct|insert|update|delete|execute|query)\b/;
    const SQL_HOMES = [/\/repository(?:\.ts|\/)/, /^api\/src\/lib\/repository\//, /^api\/src\/jobs\/relay\.ts$/];
    const querying = apiFiles
      .filter((f) => !SQL_HOMES.some((re) => re.test(f)))
      .filter((f) => QUERY.test(readFileSync(path.join(root, f), 'utf8')));
    expect(querying).toEqual([]);
  });
});
