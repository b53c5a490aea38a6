import { ClearPersonalDataError } from './storeErrors.ts';

/**
 * The store's own check that a record carries no member or payment reference in clear (guide 5.2.4).
 * The sync route validates records first; this is the last door before the database, so a bug in any
 * caller still cannot put a clear reference into the records table or its backups.
 *
 * Decision: refuse, not strip. Stripping would silently change a record the kiosk sealed and hide the
 * kiosk bug that produced it; refusing makes the sync report the record as rejected, so it is seen.
 *
 * Limits: free text (e.g. a timeline summary) is not scanned for numbers that might be references;
 * the kiosk only ever writes masked values there (src/core/pos/mask.ts).
 */

/** The masked form from maskRef: four bullets, then at most four visible characters. */
const MASKED = /^••••.{0,4}$/u;
/** Keys that hold a reference or contact detail in clear, at any depth. "...RefMasked" is allowed. */
const CLEAR_KEYS = new Set([
  'memberref',
  'paymentref',
  'memberid',
  'membercard',
  'customerid',
  'cardnumber',
  'cardno',
  'pan',
  'phone',
  'phonenumber',
  'mobile',
  'email',
  'idnumber',
  'idcard',
]);
const MAX_DEPTH = 16;

function isClearKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[_-]/g, '');
  return CLEAR_KEYS.has(k) || (k.endsWith('ref') && !k.endsWith('refmasked'));
}

function findClearField(value: unknown, path: string, depth: number): string | null {
  if (depth > MAX_DEPTH) return `${path} (nested too deeply to check)`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findClearField(value[i], `${path}[${i}]`, depth + 1);
      if (hit) return hit;
    }
  } else if (value !== null && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (isClearKey(key)) return `${path}.${key}`;
      if (key.toLowerCase().endsWith('refmasked') && v !== undefined) {
        if (typeof v !== 'string' || !MASKED.test(v)) return `${path}.${key}`;
      }
      const hit = findClearField(v, `${path}.${key}`, depth + 1);
      if (hit) return hit;
    }
  }
  return null;
}

/** Throws ClearPersonalDataError naming the first offending field. */
export function assertNoClearPersonalData(record: unknown): void {
  const field = findClearField(record, 'record', 0);
  if (field) throw new ClearPersonalDataError(field);
}
