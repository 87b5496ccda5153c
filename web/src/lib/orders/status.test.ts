import { describe, expect, it } from 'vitest';
import { MESSAGES } from '$lib/i18n';
import { customerActions, customerCancelTerms, orderStatusTone, punctuality, statusKey } from './status';
import { ORDER_STATUSES } from './types';

type Tree = { [k: string]: string | Tree };
const lookup = (tree: unknown, key: string) =>
  key.split('.').reduce<unknown>((node, k) => (node as Tree | undefined)?.[k], tree);

describe('status labels', () => {
  it('every status has a label in both languages and a badge colour', () => {
    for (const s of ORDER_STATUSES) {
      expect(typeof lookup(MESSAGES['zh-CN'], statusKey(s))).toBe('string');
      expect(typeof lookup(MESSAGES.en, statusKey(s))).toBe('string');
      expect(orderStatusTone(s)).toMatch(/^badge-/);
    }
    expect(lookup(MESSAGES['zh-CN'], statusKey('report_issued'))).toBe('报告已签发');
    expect(statusKey('nonsense')).toBe('orders.status.unknown');
  });
});

describe('customerCancelTerms', () => {
  it('is free before the samples arrive, costs 20 % after, impossible once work started', () => {
    expect(customerCancelTerms('quoted', 10000)).toEqual({ allowed: true, feeFen: 0, feePct: 0 });
    expect(customerCancelTerms('awaiting_samples', 10000)).toEqual({ allowed: true, feeFen: 0, feePct: 0 });
    expect(customerCancelTerms('samples_received', 10001)).toEqual({ allowed: true, feeFen: 2000, feePct: 20 });
    expect(customerCancelTerms('in_progress', 10000)).toEqual({ allowed: false });
    expect(customerCancelTerms('closed', 10000)).toEqual({ allowed: false });
  });
});

describe('customerActions', () => {
  const now = new Date('2026-11-27T00:00:00Z');
  it('offers accept and decline on a quote', () => {
    const a = customerActions({ status: 'quoted', objectionUntil: null, objections: [] }, now);
    expect(a).toMatchObject({ accept: true, decline: true, cancel: true, object: false, close: false });
  });
  it('offers an objection only inside the window and without an open one', () => {
    const open = { status: 'report_issued', objectionUntil: '2026-12-01T00:00:00Z', objections: [] };
    expect(customerActions(open, now)).toMatchObject({ object: true, close: true, cancel: false });
    expect(customerActions({ ...open, objectionUntil: '2026-11-26T00:00:00Z' }, now).object).toBe(false);
    const pending = customerActions({ ...open, objections: [{ status: 'open' as const }] }, now);
    expect(pending).toMatchObject({ object: false, close: false, openObjection: true });
  });
});

describe('punctuality', () => {
  const now = new Date('2026-11-27T00:00:00Z');
  it('uses the recorded verdict, else compares with now while work is open', () => {
    expect(punctuality({ dueAt: null, onTime: null, status: 'in_progress' }, now)).toBeNull();
    expect(punctuality({ dueAt: '2026-11-20T00:00:00Z', onTime: true, status: 'closed' }, now)).toBe('on_time');
    expect(punctuality({ dueAt: '2026-11-20T00:00:00Z', onTime: false, status: 'closed' }, now)).toBe('late');
    expect(punctuality({ dueAt: '2026-11-20T00:00:00Z', onTime: null, status: 'in_progress' }, now)).toBe('overdue');
    expect(punctuality({ dueAt: '2026-12-20T00:00:00Z', onTime: null, status: 'in_progress' }, now)).toBe('running');
  });
});
