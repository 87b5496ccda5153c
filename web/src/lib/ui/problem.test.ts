import { describe, expect, it } from 'vitest';
import openapi from '$lib/api/openapi.json';
import { MESSAGES, translator } from '$lib/i18n';
import { problemKey, problemMessage, unknownProblemKey, WEB_PROBLEM_CODES } from './problem';

const apiCodes: readonly string[] = openapi.components.schemas.ProblemCode.enum;

describe('problem messages', () => {
  it('are keyed by a code the API or the web answers, in both languages alike', () => {
    const zh = Object.keys(MESSAGES['zh-CN'].problems);
    expect(Object.keys(MESSAGES.en.problems).sort()).toEqual([...zh].sort());
    for (const key of zh) {
      const code = key.split('@')[0]!;
      expect(apiCodes.includes(code) || (WEB_PROBLEM_CODES as readonly string[]).includes(code), key).toBe(true);
    }
    expect(new Set(WEB_PROBLEM_CODES).size).toBe(WEB_PROBLEM_CODES.length);
    for (const code of WEB_PROBLEM_CODES) expect(apiCodes, code).not.toContain(code);
  });

  it("use an area's own words where it has them, the common words otherwise", () => {
    expect(problemKey('illegal_transition', 'booking')).toBe('problems.illegal_transition@booking');
    expect(problemKey('slot_unavailable', 'qi')).toBe('problems.slot_unavailable');
    expect(problemKey('email_taken')).toBe('problems.email_taken');
    expect(problemKey('something_new', 'lab')).toBeNull();
    expect(problemKey(null)).toBeNull();
  });

  it('fall back to the API’s words, then to the area’s general text', () => {
    const en = translator('en');
    expect(problemMessage(en, 'something_new', { area: 'qi', detail: 'The API says no.' })).toBe('The API says no.');
    expect(problemMessage(en, 'something_new', { area: 'qi' })).toBe(en(unknownProblemKey('qi')));
    expect(problemMessage(en, 'invalid_credentials')).toBe('Email or password is not correct.');
  });
});
