import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CustodyStep } from '@qihub/db';
import {
  applyCustody,
  CUSTODY_STEPS,
  custodyRefusal,
  foldCustody,
  IN_HAND,
  leftoversDue,
  type CustodyFact,
  type CustodyView,
} from './custody-rules.ts';

const fact = (step: CustodyStep, i: number): CustodyFact => ({
  step,
  location: step === 'stored' || step === 'back' || step === 'received' ? `样品间 A-${i}` : null,
  takenBy: step === 'taken' ? `检测员${i}` : null,
});

/** Random attempts: each is kept only when the rules allow it, as the API does. */
function run(start: 'expected' | 'rejected', attempts: CustodyStep[]) {
  let view: CustodyView = { state: start, location: null, holder: null };
  const log: CustodyFact[] = [];
  attempts.forEach((step, i) => {
    if (custodyRefusal(view, step) !== null) return;
    const f = fact(step, i);
    log.push(f);
    view = applyCustody(view, f);
  });
  return { view, log };
}

describe('sample custody rules', () => {
  it('never lets a sample leave twice, leave while out for testing, or move after it left', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'expected' | 'rejected'>('expected', 'rejected'),
        fc.array(fc.constantFrom(...CUSTODY_STEPS), { maxLength: 30 }),
        (start, attempts) => {
          const { view, log } = run(start, attempts);
          // The state follows from the log alone.
          expect(foldCustody(start, log)).toEqual(view);
          const steps = log.map((f) => f.step);
          // At most one end, and nothing after it.
          const ends = steps.filter((s) => s === 'returned' || s === 'disposed');
          expect(ends.length).toBeLessThanOrEqual(1);
          if (ends.length === 1) expect(['returned', 'disposed']).toContain(steps.at(-1));
          // A rejected sample never enters custody; an accepted one is received once, first.
          if (start === 'rejected') expect(log).toEqual([]);
          expect(steps.filter((s) => s === 'received').length).toBeLessThanOrEqual(1);
          if (steps.length > 0) expect(steps[0]).toBe('received');
          // Taken and back alternate; nothing but back follows a take.
          steps.forEach((s, i) => {
            if (s === 'taken' && i + 1 < steps.length) expect(steps[i + 1]).toBe('back');
            if (s === 'back') expect(steps[i - 1]).toBe('taken');
          });
          // A holder only while out for testing; a location once shelved.
          expect(view.holder !== null).toBe(view.state === 'in_testing');
          if (steps.includes('stored')) expect(view.location).not.toBeNull();
        },
      ),
    );
  });

  it('refuses with a reason every step the state does not allow', () => {
    for (const state of ['returned', 'disposed'] as const) {
      for (const step of CUSTODY_STEPS)
        expect(custodyRefusal({ state, location: null, holder: null }, step)).not.toBeNull();
    }
    expect(custodyRefusal({ state: 'in_testing', location: 'A', holder: '王工' }, 'returned')).toMatch(
      /out for testing/,
    );
    expect(IN_HAND).toEqual(['received', 'stored', 'in_testing']);
  });

  it('makes leftovers due when the objection window has closed with no objection open, or the order ended', () => {
    const until = new Date('2026-12-11T02:00:00Z');
    const before = new Date(until.getTime() - 1);
    expect(leftoversDue({ status: 'report_issued', objectionUntil: until }, false, before)).toBe(false);
    expect(leftoversDue({ status: 'report_issued', objectionUntil: until }, false, until)).toBe(true);
    expect(leftoversDue({ status: 'report_issued', objectionUntil: until }, true, until)).toBe(false);
    expect(leftoversDue({ status: 'in_progress', objectionUntil: null }, false, until)).toBe(false);
    expect(leftoversDue({ status: 'closed', objectionUntil: until }, false, before)).toBe(true);
    expect(leftoversDue({ status: 'cancelled', objectionUntil: null }, false, before)).toBe(true);
  });
});
