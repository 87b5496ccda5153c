// Test-only: moves "now" by a fixed offset while time keeps running, for the web server of the
// browser journeys (preloaded with `node --import`). The API of a journey runs on the same clock,
// so a journey's outcome does not depend on the day it runs.

/** Replaces the global Date so that `new Date()` and `Date.now()` read the real time plus `offsetMs`. */
export function shiftClock(offsetMs) {
  const Real = globalThis.Date;
  if (Real.__qihubShifted) return;
  class ShiftedDate extends Real {
    constructor(...args) {
      if (args.length === 0) super(Real.now() + offsetMs);
      else super(...args);
    }
    static now() {
      return Real.now() + offsetMs;
    }
  }
  Object.defineProperty(ShiftedDate, '__qihubShifted', { value: true });
  // Date() called without `new` answers a string, as the real one does.
  globalThis.Date = new Proxy(ShiftedDate, {
    apply: () => new ShiftedDate().toString(),
  });
}

const offset = typeof process === 'object' ? Number(process.env?.QIHUB_TEST_CLOCK_OFFSET_MS) : NaN;
if (Number.isFinite(offset)) shiftClock(offset);
