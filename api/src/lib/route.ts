import type { TSchema } from 'typebox';
import { problems } from './schema.ts';

/** What a route's request carries, as its schema says it. */
interface RequestParts {
  description?: string;
  headers?: TSchema;
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
}

/** The answer on success (`status` 200 unless said) and the problem statuses the route may answer with. */
interface Answers<T extends TSchema, S extends 200 | 201> {
  answer: T;
  status?: S;
  problems: readonly number[];
}

/**
 * The options most routes repeat — `{ schema: { tags, summary, ...parts, response: { 200: X, ...problems(…) } } }` —
 * written once, so a registration states only what differs: its summary, what it takes and what it answers.
 */
export function documented<P extends RequestParts, T extends TSchema, S extends 200 | 201 = 200>(
  tags: string[],
  spec: P & Answers<T, S>,
  summary: string,
) {
  const { answer, status, problems: statuses, ...parts } = spec;
  // Typed as the success answer alone, as `{ 200: X, ...problems(…) }` is: the reply is checked against it.
  const response = { [status ?? 200]: answer, ...problems(...statuses) } as { [K in S]: T };
  return { schema: { tags, summary, ...(parts as Omit<P, keyof Answers<T, S>>), response } };
}
