import { describe, expect, it } from 'vitest';
import { assistanceSteps, isOpenAssistance, isTrigger, parseVisit, statusTone } from './assistance';

describe('assistanceSteps', () => {
  it('offers assignment while open or assigned, visits once assigned, resolve in progress, confirm when resolved', () => {
    expect(assistanceSteps('open')).toEqual({
      assign: true,
      visit: false,
      resolve: false,
      confirmClose: false,
      withdraw: true,
    });
    expect(assistanceSteps('assigned')).toMatchObject({ assign: true, visit: true, resolve: false });
    expect(assistanceSteps('in_progress')).toMatchObject({ assign: false, visit: true, resolve: true });
    expect(assistanceSteps('resolved')).toMatchObject({ confirmClose: true, visit: false, withdraw: false });
    expect(Object.values(assistanceSteps('closed')).some(Boolean)).toBe(false);
  });
});

describe('parseVisit', () => {
  const ok = { visitedOn: '2026-11-20', notesZh: '现场检查盐雾试验工艺', problemsFound: '3', problemsSolved: '2' };
  it('accepts a visit', () => {
    expect(parseVisit(ok)).toEqual({
      ok: true,
      value: { visitedOn: '2026-11-20', notesZh: '现场检查盐雾试验工艺', problemsFound: 3, problemsSolved: 2 },
    });
  });
  it('counts empty boxes as zero', () => {
    expect(parseVisit({ ...ok, problemsFound: '', problemsSolved: '' })).toMatchObject({
      ok: true,
      value: { problemsFound: 0, problemsSolved: 0 },
    });
  });
  it('refuses more solved than found, bad dates and empty notes', () => {
    expect(parseVisit({ ...ok, problemsSolved: '4' })).toEqual({ ok: false, code: 'invalid_counts' });
    expect(parseVisit({ ...ok, visitedOn: '20/11/2026' })).toEqual({ ok: false, code: 'validation_failed' });
    expect(parseVisit({ ...ok, notesZh: ' ' })).toEqual({ ok: false, code: 'validation_failed' });
    expect(parseVisit({ ...ok, problemsFound: '-1' })).toEqual({ ok: false, code: 'validation_failed' });
  });
});

describe('small checks', () => {
  it('knows triggers, open requests and tones', () => {
    expect(isTrigger('spot_check_failure')).toBe(true);
    expect(isTrigger('weather')).toBe(false);
    expect(isOpenAssistance('resolved')).toBe(true);
    expect(isOpenAssistance('closed')).toBe(false);
    expect(statusTone('open')).toBe('badge-warn');
  });
});
