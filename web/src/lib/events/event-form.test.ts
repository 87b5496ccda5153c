import { describe, expect, it } from 'vitest';
import { parseEventDetails, parseEventForm, readEventForm, type EventFormValues } from './event-form';

const base: EventFormValues = {
  kind: 'course',
  titleZh: 'GB/T 10125 盐雾试验标准宣贯',
  titleEn: '',
  descriptionZh: '',
  descriptionEn: '',
  venueZh: '苏州市吴中区',
  regionCode: '320500',
  fee: '200',
  sessions: [
    { startsAt: '2026-12-10T09:00', endsAt: '2026-12-10T12:00', seats: '30' },
    { startsAt: '', endsAt: '', seats: '' },
  ],
};

describe('parseEventForm', () => {
  it('reads China times, yuan to fen, and drops empty rows and boxes', () => {
    const r = parseEventForm(base);
    expect(r).toEqual({
      ok: true,
      body: {
        kind: 'course',
        titleZh: 'GB/T 10125 盐雾试验标准宣贯',
        venueZh: '苏州市吴中区',
        regionCode: '320500',
        feeFen: 20000,
        sessions: [{ startsAt: '2026-12-10T01:00:00.000Z', endsAt: '2026-12-10T04:00:00.000Z', seats: 30 }],
      },
    });
  });
  it('takes an empty fee as free', () => {
    const r = parseEventForm({ ...base, fee: '' });
    expect(r.ok && r.body.feeFen).toBe(0);
  });
  it('refuses a session ending before it starts, a bad fee, no sessions and an unknown kind', () => {
    expect(
      parseEventForm({ ...base, sessions: [{ startsAt: '2026-12-10T12:00', endsAt: '2026-12-10T09:00', seats: '5' }] }),
    ).toEqual({ ok: false, code: 'invalid_session', field: 'session0' });
    expect(parseEventForm({ ...base, fee: '12.345' })).toMatchObject({ ok: false, code: 'invalid_fee' });
    expect(parseEventForm({ ...base, sessions: [] })).toMatchObject({ ok: false, code: 'no_sessions' });
    expect(parseEventForm({ ...base, kind: 'party' })).toMatchObject({ ok: false, field: 'kind' });
    expect(
      parseEventForm({ ...base, sessions: [{ startsAt: '2026-12-10T09:00', endsAt: '2026-12-10T12:00', seats: '0' }] }),
    ).toMatchObject({ ok: false, field: 'session0' });
  });
});

describe('readEventForm', () => {
  it('reads the numbered session rows', () => {
    const f = new FormData();
    f.set('kind', 'seminar');
    f.set('titleZh', ' 宣贯会 ');
    f.set('startsAt1', '2026-12-10T09:00');
    const v = readEventForm(f, 2);
    expect(v.titleZh).toBe('宣贯会');
    expect(v.sessions).toEqual([
      { startsAt: '', endsAt: '', seats: '' },
      { startsAt: '2026-12-10T09:00', endsAt: '', seats: '' },
    ]);
  });
});

describe('parseEventDetails', () => {
  const { sessions: _omit, ...details } = base;
  it('sends emptied texts as empty when editing, leaves them out for a new event', () => {
    const edited = parseEventDetails({ ...details, venueZh: '' }, true);
    expect(edited.ok && edited.body.venueZh).toBe('');
    const created = parseEventDetails({ ...details, venueZh: '' });
    expect(created.ok && 'venueZh' in created.body).toBe(false);
  });
  it('checks the fee and the title', () => {
    expect(parseEventDetails({ ...details, fee: 'abc' }, true)).toMatchObject({ ok: false, code: 'invalid_fee' });
    expect(parseEventDetails({ ...details, titleZh: 'x' }, true)).toMatchObject({ ok: false, field: 'titleZh' });
  });
});
