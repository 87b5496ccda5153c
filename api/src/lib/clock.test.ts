import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clockFromConfig } from './clock.ts';

describe('clockFromConfig', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'qihub-clock-'));
  afterEach(() => rmSync(path.join(dir, 'now'), { force: true }));

  it('is the system clock without a test clock file', () => {
    const before = Date.now();
    const now = clockFromConfig({ testClockFile: undefined })().getTime();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('reads the instant in the test clock file at every call', () => {
    const file = path.join(dir, 'now');
    writeFileSync(file, '2026-11-26T02:00:00Z\n');
    const clock = clockFromConfig({ testClockFile: file });
    expect(clock().toISOString()).toBe('2026-11-26T02:00:00.000Z');
    writeFileSync(file, '2026-11-30T05:00:00.000Z');
    expect(clock().toISOString()).toBe('2026-11-30T05:00:00.000Z');
    writeFileSync(file, 'soon');
    expect(() => clock()).toThrow(/holds no instant/);
  });
});
