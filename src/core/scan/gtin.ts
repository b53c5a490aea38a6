/**
 * GS1 Global Trade Item Numbers (GTIN-8, -12, -13 and -14) and their mod-10 check digit.
 *
 * Canonical form: {@link normalizeGtin} returns the 14-digit form (left-padded with zeros). GS1
 * recommends it for storage because every GTIN fits without loss, including GTIN-14s whose
 * packaging indicator is not 0, which a 13-digit form could not hold. Compare codes only after
 * normalising them: "036000291452" (UPC-A) and "0036000291452" (as EAN-13) are the same item.
 *
 * UPC-E is not expanded here: an 8-digit code is read as EAN-8. Scanners on the lane are expected
 * to transmit UPC-E symbols expanded to UPC-A, which is the usual factory setting.
 */

export const GTIN_LENGTHS: readonly number[] = [8, 12, 13, 14];

const DIGITS_ONLY = /^[0-9]+$/;

export type GtinCheck = { ok: true } | { ok: false; reason: string };

/**
 * Check digit for the digits before it. Weights alternate 3, 1, 3, ... starting from the digit
 * nearest the check digit, which is why one routine serves every GTIN length.
 */
export function computeCheckDigit(body: string): number {
  if (!DIGITS_ONLY.test(body)) throw new RangeError(`GTIN body must be digits only, got "${body}"`);
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** Like {@link isValidGtin}, but says what is wrong, for messages shown to staff. */
export function checkGtin(code: string): GtinCheck {
  if (!DIGITS_ONLY.test(code)) return { ok: false, reason: `not a GTIN: "${code}" is not all digits` };
  if (!GTIN_LENGTHS.includes(code.length)) {
    return { ok: false, reason: `not a GTIN: ${code.length} digits (expected 8, 12, 13 or 14)` };
  }
  const expected = computeCheckDigit(code.slice(0, -1));
  const got = code.charCodeAt(code.length - 1) - 48;
  if (expected !== got)
    return { ok: false, reason: `check digit mismatch: expected ${expected}, got ${got}` };
  return { ok: true };
}

export function isValidGtin(code: string): boolean {
  return checkGtin(code).ok;
}

/**
 * The 14-digit canonical form of a valid GTIN, or null when the code is not one. Surrounding
 * whitespace is ignored because scanners and pasted text often carry some.
 */
export function normalizeGtin(code: string): string | null {
  const trimmed = code.trim();
  if (!isValidGtin(trimmed)) return null;
  return trimmed.padStart(14, '0');
}
