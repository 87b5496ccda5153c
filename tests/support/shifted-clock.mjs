// Test-only: moves "now" by a fixed offset while time keeps running, for a process (the web server,
// preloaded with `node --import`) or a page (Playwright init script). The browser journeys run the
// whole stack on one such clock, so their outcome does not depend on the day they run.

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
