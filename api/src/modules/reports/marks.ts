import type { DbOrTx } from '@qihub/db';
import { markScope } from '../orders/index.ts';

interface ScopeInput {
  parameterZh: string;
  standardCode: string;
}

/** Marks each item inside/outside a valid CMA/CNAS scope on `onDate`, and the report marks with it. */
export async function scoped<T extends ScopeInput>(db: DbOrTx, labId: string, items: T[], onDate: string) {
  const marks = await markScope(db, labId, items, onDate);
  const out = items.map((item, i) => ({
    ...item,
    inCmaScope: marks[i]!.inCmaScope,
    inCnasScope: marks[i]!.inCnasScope,
  }));
  return {
    results: out,
    cmaMark: out.some((r) => r.inCmaScope),
    cnasMark: out.some((r) => r.inCnasScope),
  };
}
