/** See shifted-clock.mjs. */
export declare function shiftClock(offsetMs: number): void;
