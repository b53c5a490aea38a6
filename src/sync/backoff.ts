/**
 * Retry delays for the outbox: exponential from BASE, capped at CAP so a kiosk that was offline for
 * days notices the server within minutes of it coming back, with jitter so a store's lanes that lost
 * the server together do not all return in the same second.
 */
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/**
 * Delay before retry number `attempts` (1 = first retry). "Equal jitter": half the exponential step
 * is fixed, half random, so the delay still grows while lanes spread out. `random` is in [0, 1).
 */
export function backoffDelay(attempts: number, random: () => number, minMs = 0): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 20);
  const step = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  const delay = Math.round(step / 2 + random() * (step / 2));
  return Math.min(BACKOFF_CAP_MS, Math.max(delay, minMs));
}
