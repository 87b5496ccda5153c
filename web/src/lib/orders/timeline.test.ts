import { describe, expect, it } from 'vitest';
import { MESSAGES, translator } from '$lib/i18n';
import { customerVisible, describeEvent, KNOWN_ACTIONS, type TimelineFormat } from './timeline';

const fmt: TimelineFormat = {
  money: (fen) => `¥${(fen / 100).toFixed(2)}`,
  dateTime: (iso) => iso.slice(0, 16),
  date: (d) => d,
  status: (s) => `[${s}]`,
  tier: (t) => `<${t}>`,
};

type Tree = { [k: string]: string | Tree };
const lookup = (tree: unknown, key: string) =>
  key.split('.').reduce<unknown>((node, k) => (node as Tree | undefined)?.[k], tree);

describe('describeEvent', () => {
  it('words a quote with its amount and validity', () => {
    const l = describeEvent(
      { action: 'order.quoted', toStatus: 'quoted', data: { subtotalFen: 120000, validUntil: '2026-12-31' } },
      fmt,
    );
    expect(l.key).toBe('orders.timeline.actions.order_quoted');
    expect(l.params).toMatchObject({ amount: '¥1200.00', validUntil: '2026-12-31' });
    expect(translator('zh-CN')(l.key, l.params)).toBe('给出报价 ¥1200.00，有效期至 2026-12-31');
  });

  it('picks the variant for an expedite acceptance and a paid cancellation', () => {
    const acc = describeEvent(
      { action: 'order.accepted', toStatus: 'accepted', data: { expedite: 'h24', surchargeFen: 5000 } },
      fmt,
    );
    expect(acc.key).toBe('orders.timeline.actions.order_accepted_expedite');
    expect(acc.params).toMatchObject({ tier: '<h24>', surcharge: '¥50.00' });
    const days = describeEvent(
      { action: 'order.accepted', toStatus: 'accepted', data: { deadlineTierDays: 5, expedite: 'none' } },
      fmt,
    );
    expect(days.key).toBe('orders.timeline.actions.order_accepted_days');
    expect(translator('en')(days.key, days.params)).toContain('5 working days');
    const fee = describeEvent(
      { action: 'order.cancelled', toStatus: 'cancelled', data: { reason: '不需要了', feeFen: 2000 } },
      fmt,
    );
    expect(fee.key).toBe('orders.timeline.actions.order_cancelled_fee');
    expect(fee.note).toBe('不需要了');
    const free = describeEvent(
      { action: 'order.cancelled', toStatus: 'cancelled', data: { reason: 'x', feeFen: 0 } },
      fmt,
    );
    expect(free.key).toBe('orders.timeline.actions.order_cancelled');
  });

  it('names the sample and the report', () => {
    const s = describeEvent(
      { action: 'sample.received', toStatus: null, data: { code: 'S-1', quantity: 2, condition: '完好' } },
      fmt,
    );
    expect(translator('zh-CN')(s.key, s.params)).toBe('接收样品 S-1（数量 2）');
    expect(s.note).toBe('完好');
    const r = describeEvent(
      {
        action: 'report.issued',
        toStatus: 'report_issued',
        data: { number: 'SZTI-2026-000001', replaces: 'SZTI-2026-000000' },
      },
      fmt,
    );
    expect(translator('en')(r.key, r.params)).toBe('issued report SZTI-2026-000001, replacing SZTI-2026-000000');
  });

  it('falls back to the status change, then to the action name', () => {
    expect(describeEvent({ action: 'order.frobbed', toStatus: 'closed', data: {} }, fmt)).toMatchObject({
      key: 'orders.timeline.moved',
      params: { status: '[closed]' },
    });
    expect(describeEvent({ action: 'order.frobbed', toStatus: null, data: {} }, fmt)).toMatchObject({
      key: 'orders.timeline.other',
      params: { action: 'order.frobbed' },
    });
  });

  it('has wording for every known action in both languages', () => {
    for (const a of KNOWN_ACTIONS) {
      const key = `orders.timeline.actions.${a.replace(/\./g, '_')}`;
      expect(typeof lookup(MESSAGES['zh-CN'], key), key).toBe('string');
      expect(typeof lookup(MESSAGES.en, key), key).toBe('string');
    }
  });

  it('leaves the lab’s bookkeeping off the customer timeline', () => {
    expect(customerVisible({ action: 'lab.order_settings_changed' })).toBe(false);
    expect(customerVisible({ action: 'booking.scheduled_for_order' })).toBe(false);
    expect(customerVisible({ action: 'order.scheduled' })).toBe(true);
  });
});
