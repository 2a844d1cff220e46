/** Time source of the domain; tests pass a controllable one. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

let lastMs = NaN;
let lastIso = '';

/** `Date#toISOString` of a time in ms, remembered for the last millisecond asked: busy calls share their stamps. */
export function isoTime(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
