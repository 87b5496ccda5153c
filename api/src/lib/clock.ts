import { readFileSync } from 'node:fs';
import type { Config } from '../config.ts';

/**
 * The process's clock: the system time, or — in tests only (QIHUB_TEST_CLOCK_FILE, refused by the
 * config outside NODE_ENV=test) — the instant written in a file, read at every call, so that a test
 * running the API and the worker as separate processes moves "now" for all of them at once. The
 * file is replaced whole (write, then rename), so a read never sees half an instant.
 */
export function clockFromConfig(config: Pick<Config, 'testClockFile'>): () => Date {
  const file = config.testClockFile;
  if (!file) return () => new Date();
  return () => {
    const text = readFileSync(file, 'utf8').trim();
    const at = new Date(text);
    if (Number.isNaN(at.getTime())) throw new Error(`The test clock file ${file} holds no instant: "${text}"`);
    return at;
  };
}
