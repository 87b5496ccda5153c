import { describe, expect, it } from 'vitest';
import { allowedActions, isSubmittedDraft, signOffBlockers, type ActionContext } from './actions';
import { ORDER_STATUSES } from './queue';

const base: ActionContext = {
  status: 'requested',
  role: 'manager',
  needsSamples: true,
  expectedSamples: 0,
  reports: [],
  openObjections: 0,
};
const acts = (over: Partial<ActionContext>) => [...allowedActions({ ...base, ...over })].sort();

describe('allowedActions', () => {
  it('follows the order flow for a manager', () => {
    expect(acts({ status: 'requested' })).toEqual(['cancel', 'quote']);
    expect(acts({ status: 'quoted' })).toEqual(['cancel', 'quote']);
    expect(acts({ status: 'awaiting_samples', expectedSamples: 2 })).toEqual(['cancel', 'receiveSample']);
    expect(acts({ status: 'awaiting_samples', expectedSamples: 0 })).toEqual(['cancel']);
    expect(acts({ status: 'samples_received' })).toEqual(['cancel', 'schedule', 'start']);
    expect(acts({ status: 'in_progress' })).toEqual(['cancel', 'createReport', 'schedule']);
    expect(acts({ status: 'in_progress', reports: [{ status: 'draft' }] })).toEqual([
      'cancel',
      'editReport',
      'schedule',
      'submitReport',
    ]);
    expect(acts({ status: 'report_review', reports: [{ status: 'draft', submitted: true }] })).toEqual([
      'cancel',
      'reviewReport',
    ]);
    expect(acts({ status: 'report_review', reports: [{ status: 'reviewed' }] })).toEqual(['cancel', 'issueReport']);
    expect(acts({ status: 'report_issued', reports: [{ status: 'issued' }] })).toEqual([
      'replaceReport',
      'revokeReport',
    ]);
    expect(acts({ status: 'report_issued', reports: [{ status: 'issued' }], openObjections: 1 })).toContain(
      'resolveObjection',
    );
  });

  it('runs a replacement report on an issued order without moving it', () => {
    const issued = { status: 'issued' };
    expect(acts({ status: 'report_issued', reports: [{ status: 'replaced' }, issued] })).toEqual([
      'replaceReport',
      'revokeReport',
    ]);
    const draft = acts({ status: 'report_issued', reports: [issued, { status: 'draft' }] });
    // No second replacement meanwhile; the report may still be revoked.
    expect(draft).toEqual(['editReport', 'revokeReport', 'submitReport']);
    expect(acts({ status: 'closed', reports: [issued, { status: 'draft', submitted: true }] })).toEqual([
      'reviewReport',
      'revokeReport',
    ]);
    expect(acts({ status: 'closed', reports: [issued, { status: 'reviewed' }] })).toEqual([
      'issueReport',
      'revokeReport',
    ]);
  });

  it('runs several reports on one order, one per set of lines', () => {
    const lineIds = ['l1', 'l2'];
    const a = { id: 'a', status: 'draft', lineIds: ['l1'] };
    // A line is in no report yet: another report may be drafted while the first is written.
    expect(acts({ status: 'in_progress', lineIds, reports: [a] })).toContain('createReport');
    expect(
      acts({ status: 'in_progress', lineIds, reports: [a, { id: 'b', status: 'draft', lineIds: ['l2'] }] }),
    ).not.toContain('createReport');
    // The order stays in progress while one report is reviewed and signed and the other is written.
    const reviewed = { id: 'a', status: 'reviewed', lineIds: ['l1'] };
    const b = { id: 'b', status: 'draft', lineIds: ['l2'] };
    expect(acts({ status: 'in_progress', lineIds, reports: [reviewed, b], chosen: 'a' })).toContain('issueReport');
    expect(acts({ status: 'in_progress', lineIds, reports: [reviewed, b], chosen: 'b' })).toEqual(
      expect.arrayContaining(['editReport', 'submitReport']),
    );
    // An issued report of some lines may be replaced while another is written.
    const issued = { id: 'a', status: 'issued', lineIds: ['l1'] };
    expect(acts({ status: 'in_progress', lineIds, reports: [issued, b] })).toContain('replaceReport');
    expect(acts({ status: 'in_progress', lineIds, reports: [issued] })).toContain('createReport');
  });

  it('offers deliver only to orders without samples and without a report in the works', () => {
    expect(acts({ status: 'in_progress', needsSamples: false })).toContain('deliver');
    expect(acts({ status: 'in_progress', needsSamples: true })).not.toContain('deliver');
    expect(acts({ status: 'in_progress', needsSamples: false, reports: [{ status: 'draft' }] })).not.toContain(
      'deliver',
    );
  });

  it('lets staff run the work but not cancel, resolve objections or replace reports', () => {
    expect(acts({ role: 'staff', status: 'requested' })).toEqual(['quote']);
    const issued = acts({ role: 'staff', status: 'report_issued', reports: [{ status: 'issued' }], openObjections: 1 });
    expect(issued).toEqual([]);
  });

  it('gives operators nothing to do and ends nothing', () => {
    for (const status of ORDER_STATUSES) {
      expect(acts({ role: 'operator', status, expectedSamples: 1, reports: [{ status: 'draft' }] })).toEqual([]);
    }
    for (const status of ['closed', 'cancelled', 'expired'] as const) {
      expect(acts({ status })).toEqual([]);
    }
  });
});

describe('signOffBlockers', () => {
  const tester = { id: 't' };
  const reviewer = { id: 'r' };
  it('uses the API codes for who may not review or sign', () => {
    expect(signOffBlockers({ tester, reviewer: null }, 't', [])).toEqual({
      review: 'reviewer_is_tester',
      issue: 'not_a_signatory',
    });
    expect(signOffBlockers({ tester, reviewer }, 'x', [])).toEqual({ review: null, issue: 'not_a_signatory' });
    expect(signOffBlockers({ tester, reviewer }, 'r', ['r'])).toEqual({ review: null, issue: 'signatory_is_reviewer' });
    expect(signOffBlockers({ tester, reviewer }, 's', ['s'])).toEqual({ review: null, issue: null });
  });

  it('the tester may not sign their own report either: three different people', () => {
    expect(signOffBlockers({ tester, reviewer }, 't', ['t'])).toEqual({
      review: 'reviewer_is_tester',
      issue: 'signatory_is_tester',
    });
  });
});

describe('isSubmittedDraft', () => {
  it('reads the latest report event of that report', () => {
    const ev = (action: string, reportId = 'r1') => ({ action, data: { reportId } });
    expect(isSubmittedDraft([ev('report.drafted')], 'r1')).toBe(false);
    expect(isSubmittedDraft([ev('report.drafted'), ev('report.submitted')], 'r1')).toBe(true);
    expect(isSubmittedDraft([ev('report.submitted'), ev('report.returned')], 'r1')).toBe(false);
    expect(isSubmittedDraft([ev('report.submitted', 'r2')], 'r1')).toBe(false);
  });
});
