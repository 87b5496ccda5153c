import type { TFunction } from 'i18next';
import type { components } from '$lib/api/schema';
import { loadedMessages, type Messages } from '$lib/i18n';

/** Every code the API answers (its OpenAPI document's ProblemCode). */
export type ProblemCode = components['schemas']['ProblemCode'];

/**
 * Codes the web answers itself, beside the API's: the API could not be reached or failed
 * (`api_unavailable`, `api_error`), the session ended (`unauthorized`), a search failed, a form
 * the web checks before sending (`reason_required` …), or a page's own access rule (`not_officer` …).
 */
export const WEB_PROBLEM_CODES = [
  'api_error',
  'api_unavailable',
  'unauthorized',
  'unknown',
  'search',
  'event_cancelled',
  'event_not_published',
  'file_required',
  'invalid_fee',
  'message_empty',
  'no_enterprise',
  'no_lab',
  'no_sessions',
  'not_allowed_now',
  'not_enterprise_member',
  'not_lab_member',
  'not_lab_staff',
  'not_officer',
  'reason_required',
  'score_required',
  'solved_exceeds_found',
] as const;
export type WebProblemCode = (typeof WEB_PROBLEM_CODES)[number];

/** A code a page may explain: the API's or the web's own. */
export type MessageCode = ProblemCode | WebProblemCode;

/**
 * Where a problem is shown. A code reads the same everywhere (`problems.<code>`) unless an area has
 * its own words for it (`problems.<code>@<area>`, e.g. what "illegal transition" means for a booking).
 */
export type ProblemArea = 'lab' | 'orderConsole' | 'orders' | 'booking' | 'qi';

type ProblemKey = keyof Messages['problems'];
type CodeOf<K> = K extends `${infer C}@${ProblemArea}` ? C : K;
// Each message is for a code the API or the web answers: a key for anything else fails to compile.
const keysAreCodes: [Exclude<CodeOf<ProblemKey>, MessageCode>] extends [never] ? true : false = true;
void keysAreCodes;

const noTexts: Record<string, unknown> = {};
const texts = (): Record<string, unknown> => loadedMessages()?.problems ?? noTexts;

/** The message key for a code shown in `area`, or null when no message explains it. */
export function problemKey(code: string | null | undefined, area?: ProblemArea): string | null {
  if (!code) return null;
  if (area && Object.hasOwn(texts(), `${code}@${area}`)) return `problems.${code}@${area}`;
  return Object.hasOwn(texts(), code) ? `problems.${code}` : null;
}

/** The general "that did not work" text of an area. */
export function unknownProblemKey(area?: ProblemArea): string {
  return problemKey('unknown', area)!;
}

/**
 * A refusal in the reader's language: the code's message, else the API's own words (`detail`) when
 * given, else the area's general text.
 */
export function problemMessage(
  t: TFunction,
  code: string | null | undefined,
  options: { area?: ProblemArea; detail?: string | null } = {},
): string {
  const key = problemKey(code, options.area);
  if (key) return t(key);
  return options.detail || t(unknownProblemKey(options.area));
}
