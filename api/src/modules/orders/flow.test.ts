import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OrderStatus } from '@qihub/db';
import { ALLOWED_EDGES, FLOW_ACTIONS, FLOW_ROLES, fromStates, step, type OrderModel, type StepInput } from './flow.ts';

const TERMINAL: readonly OrderStatus[] = ['closed', 'cancelled', 'expired'];

const stepInput: fc.Arbitrary<StepInput> = fc.record({
  action: fc.constantFrom(...FLOW_ACTIONS),
  role: fc.constantFrom(...FLOW_ROLES),
  addLines: fc.integer({ min: 0, max: 2 }),
  removeLine: fc.option(fc.integer({ min: 0, max: 5 }), { nil: undefined }),
  sampleCount: fc.integer({ min: 1, max: 3 }),
  sample: fc.integer({ min: 0, max: 5 }),
});

const initial: fc.Arbitrary<OrderModel> = fc.record({
  status: fc.constantFrom<OrderStatus>('requested', 'quoted'),
  needsSamples: fc.boolean(),
  lines: fc
    .integer({ min: 1, max: 4 })
    .map((n) => Array.from({ length: n }, (_, i) => ({ id: i + 1, removed: false }))),
  samples: fc.constant([]),
  openObjections: fc.constant(0),
  objectionWindowOpen: fc.constant(false),
});

describe('order flow', () => {
  it('random actions by random roles never reach a state the flow does not allow, nor lose a line or a sample', () => {
    fc.assert(
      fc.property(initial, fc.array(stepInput, { maxLength: 60 }), (start, inputs) => {
        let model = start;
        for (const input of inputs) {
          const before = model;
          const result = step(model, input);
          if (!result.ok) {
            // Refusals change nothing, and who is refused is fixed by role alone.
            if (input.role === 'stranger') expect(result.code).toBe('not_found');
            continue;
          }
          model = result.model;
          // Only the parties act: strangers, officers, platform admins and lab operators only read.
          expect(['stranger', 'officer', 'platform', 'lab_operator']).not.toContain(input.role);
          // Every status change is an allowed edge, passed one at a time.
          let prev = before.status;
          for (const s of result.statuses) {
            expect(ALLOWED_EDGES.has(`${prev}>${s}`), `${input.role} ${input.action}: ${prev} → ${s}`).toBe(true);
            prev = s;
          }
          // Terminal states stay terminal.
          if (TERMINAL.includes(before.status)) expect(model.status).toBe(before.status);
          // Lines are never lost: every earlier line is still there (withdrawn at most), one stays live.
          for (const line of before.lines) {
            const now = model.lines.find((l) => l.id === line.id);
            expect(now).toBeDefined();
            if (line.removed) expect(now!.removed).toBe(true);
          }
          expect(model.lines.some((l) => !l.removed)).toBe(true);
          // Samples are never lost, and a decided sample stays decided.
          for (const sample of before.samples) {
            const now = model.samples.find((s) => s.id === sample.id);
            expect(now).toBeDefined();
            if (sample.status !== 'expected') expect(now!.status).toBe(sample.status);
          }
          // Samples received means none still expected and at least one in hand.
          if (model.status === 'samples_received') {
            expect(model.samples.every((s) => s.status !== 'expected')).toBe(true);
            expect(model.samples.some((s) => s.status === 'received')).toBe(true);
          }
          // Work on an order with samples never starts without one in hand.
          if (model.status === 'in_progress' && model.needsSamples) {
            expect(model.samples.some((s) => s.status === 'received')).toBe(true);
          }
          // An order without samples never waits for any.
          if (!model.needsSamples) {
            expect(['awaiting_samples', 'samples_received']).not.toContain(model.status);
            expect(model.samples).toHaveLength(0);
          }
          // Closing leaves no objection open.
          if (model.status === 'closed') expect(model.openObjections).toBe(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('the customer cancels before work starts; after that only the lab can', () => {
    expect(fromStates('cancel', 'customer')).not.toContain('in_progress');
    expect(fromStates('cancel', 'customer')).toContain('samples_received');
    expect(fromStates('cancel', 'lab_manager')).toContain('report_review');
    expect(fromStates('cancel', 'lab_manager')).not.toContain('report_issued');
  });
});
