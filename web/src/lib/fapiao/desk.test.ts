import { describe, expect, it } from 'vitest';
import { isFapiaoStatus, parseIssued, parseReject, pendingFirst } from './desk';

const ID = '0b7c1a52-6a0e-4f6e-9d0b-1c2d3e4f5a6b';
const fd = (o: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, v);
  return f;
};

describe('marking a fapiao issued', () => {
  it('takes a 20-digit 全电 number or an 8-digit one, spaces as printed, with its date', () => {
    const full = parseIssued(fd({ id: ID, fapiaoNumber: '2632 0000 0000 1234 5678', issuedOn: '2026-11-27' }));
    expect(full.body).toEqual({ fapiaoNumber: '26320000000012345678', issuedOn: '2026-11-27' });
    expect(full.id).toBe(ID);
    const old = parseIssued(fd({ id: ID, fapiaoNumber: '01234567', issuedOn: '2026-11-27', note: '已邮寄' }));
    expect(old.body).toEqual({ fapiaoNumber: '01234567', issuedOn: '2026-11-27', note: '已邮寄' });
  });

  it('refuses other lengths, letters, a missing or impossible date, and keeps what was typed', () => {
    for (const n of ['1234567', '123456789', '2632000000001234567', 'A2320000000012345678']) {
      const r = parseIssued(fd({ id: ID, fapiaoNumber: n, issuedOn: '2026-11-27' }));
      expect(r.body).toBeNull();
      expect(r.errors.fapiaoNumber).toBe('invalid_fapiao_number');
      expect(r.values.fapiaoNumber).toBe(n);
    }
    expect(parseIssued(fd({ id: ID, fapiaoNumber: '', issuedOn: '' })).errors).toEqual({
      fapiaoNumber: 'required',
      issuedOn: 'required',
    });
    expect(parseIssued(fd({ id: ID, fapiaoNumber: '01234567', issuedOn: '2026-02-30' })).errors).toEqual({
      issuedOn: 'invalid_format',
    });
  });

  it('needs the request it is for', () => {
    const r = parseIssued(fd({ id: 'not-an-id', fapiaoNumber: '01234567', issuedOn: '2026-11-27' }));
    expect(r.id).toBeNull();
    expect(r.body).toBeNull();
  });
});

describe('returning a request', () => {
  it('needs a reason of at most 500 characters', () => {
    expect(parseReject(fd({ id: ID, reason: '  税号有误  ' }))).toMatchObject({ id: ID, reason: '税号有误' });
    expect(parseReject(fd({ id: ID, reason: ' ' })).errors).toEqual({ reason: 'required' });
    expect(parseReject(fd({ id: ID, reason: 'x'.repeat(501) })).errors).toEqual({ reason: 'too_long' });
    expect(parseReject(fd({ id: '', reason: 'ok' })).reason).toBeNull();
  });
});

describe('the desk’s order', () => {
  it('puts pending requests first, oldest first, then decided ones newest first, each once', () => {
    const rows = [
      { id: 'a', status: 'issued', requestedAt: '2026-11-01T00:00:00Z' },
      { id: 'b', status: 'pending', requestedAt: '2026-11-20T00:00:00Z' },
      { id: 'c', status: 'rejected', requestedAt: '2026-11-10T00:00:00Z' },
      { id: 'd', status: 'pending', requestedAt: '2026-11-05T00:00:00Z' },
      { id: 'b', status: 'pending', requestedAt: '2026-11-20T00:00:00Z' },
    ];
    expect(pendingFirst(rows).map((r) => r.id)).toEqual(['d', 'b', 'c', 'a']);
  });

  it('knows the three statuses', () => {
    expect(['pending', 'issued', 'rejected'].every(isFapiaoStatus)).toBe(true);
    expect(isFapiaoStatus('void')).toBe(false);
    expect(isFapiaoStatus(null)).toBe(false);
  });
});
