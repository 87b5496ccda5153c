import { describe, expect, it } from 'vitest';
import { parseTurnaround, surchargePreview, turnaroundValue } from './surcharge';
import { DEFAULT_EXPEDITE_RATES } from './types';

describe('turnaround', () => {
  it('reads the form value', () => {
    expect(parseTurnaround('d5')).toEqual({ kind: 'days', days: 5 });
    expect(parseTurnaround('d30')).toEqual({ kind: 'days', days: 30 });
    expect(parseTurnaround('h8')).toEqual({ kind: 'expedite', tier: 'h8' });
    expect(parseTurnaround('d10')).toBeNull();
    expect(parseTurnaround('h12')).toBeNull();
    expect(parseTurnaround(null)).toBeNull();
  });
  it('round-trips', () => {
    for (const v of ['d5', 'd15', 'd25', 'd30', 'h72', 'h24', 'h8'])
      expect(turnaroundValue(parseTurnaround(v)!)).toBe(v);
  });
});

describe('surchargePreview', () => {
  it('adds nothing for a working-day tier', () => {
    expect(surchargePreview(120000, { kind: 'days', days: 5 }, DEFAULT_EXPEDITE_RATES)).toEqual({
      pct: 0,
      surchargeFen: 0,
      totalFen: 120000,
    });
  });
  it('adds the lab’s percentage for an expedite tier', () => {
    expect(surchargePreview(120000, { kind: 'expedite', tier: 'h72' }, DEFAULT_EXPEDITE_RATES)).toEqual({
      pct: 30,
      surchargeFen: 36000,
      totalFen: 156000,
    });
    expect(surchargePreview(120000, { kind: 'expedite', tier: 'h24' }, DEFAULT_EXPEDITE_RATES).surchargeFen).toBe(
      120000,
    );
    expect(surchargePreview(120000, { kind: 'expedite', tier: 'h8' }, DEFAULT_EXPEDITE_RATES).surchargeFen).toBe(
      180000,
    );
    expect(surchargePreview(999, { kind: 'expedite', tier: 'h72' }, { h72: 45, h24: 0, h8: 0 })).toEqual({
      pct: 45,
      surchargeFen: 450,
      totalFen: 1449,
    });
  });
  it('total is always subtotal + a whole-fen surcharge', () => {
    for (const fen of [0, 1, 3, 99, 12345, 999999, 1_000_000_007]) {
      for (const tier of ['h72', 'h24', 'h8'] as const) {
        const p = surchargePreview(fen, { kind: 'expedite', tier }, DEFAULT_EXPEDITE_RATES);
        expect(Number.isInteger(p.surchargeFen)).toBe(true);
        expect(p.totalFen).toBe(fen + p.surchargeFen);
      }
    }
  });
});
