/**
 * In-store variable-measure labels: the EAN-13s a shelf or counter scale prints for loose produce,
 * meat and deli. GS1 reserves the prefixes 20-29 (and 02, which is how a 12-digit UPC-A starting
 * with 2 reads as an EAN-13) for restricted circulation, and each country or chain decides what
 * the digits after the prefix mean. So the layout is configuration, not code.
 *
 * Default ({@link DEFAULT_VARIABLE_MEASURE_LAYOUTS}): a layout common in Chinese stores. Check it
 * against how the store's label scales are set up, and configure another when they differ.
 *
 *     2 F I I I I I  V V V V V  C      13 digits
 *     0 1 2 3 4 5 6  7 8 9 0 1  2      index
 *
 *   - digit 0 is always 2;
 *   - digits 1-6 are the store's 6-digit item code (PLU). Its first digit F doubles as the flag
 *     that says what the value is: 0-4 (codes 20-24) means a price, 5-9 (codes 25-29) a weight;
 *   - digits 7-11 are the value: price in fen (2 decimals of a yuan) or weight in grams
 *     (3 decimals of a kilogram), so at most 999.99 yuan or 99.999 kg;
 *   - digit 12 is the ordinary GS1 check digit over the whole code.
 *
 * Because the flag is part of the PLU, a PLU's first digit fixes how its labels are read: items
 * labelled by weight need PLUs 500000-999999 and items labelled by price PLUs 000000-499999.
 * Chains whose scales keep a separate flag digit can use itemDigits [2, 5] instead.
 */
import { checkGtin, computeCheckDigit } from './gtin.ts';

export type MeasureKind = 'weight' | 'price';

export type VariableMeasureLayout = {
  /** Leading digits of the 13-digit code that select this layout; the longest match wins. */
  prefixes: readonly string[];
  /** [start, length] of the item reference (PLU) within the 13 digits; may overlap the prefix. */
  itemDigits: readonly [start: number, length: number];
  value: {
    kind: MeasureKind;
    start: number;
    length: number;
    /**
     * Digits after the implied decimal point of the unit: kilograms for a weight (3 = grams),
     * the currency's major unit for a price (2 = fen or cents).
     */
    decimals: number;
    /** Price only: digits in the currency's minor unit. Default 2 (fen, cents). */
    minorUnitDecimals?: number;
  };
  /**
   * Index of a price/measure verifier digit computed over a 4- or 5-digit value (GS1 General
   * Specifications 7.9), for the countries whose labels carry one. Left out, the value is only
   * protected by the code's own check digit.
   */
  verifierDigitAt?: number;
};

export type ParsedScan =
  | { ok: true; kind: 'gtin'; gtin: string }
  | { ok: true; kind: 'variableWeight'; itemRef: string; weightGrams: number; raw: string }
  | { ok: true; kind: 'variablePrice'; itemRef: string; priceMinor: number; raw: string }
  | { ok: false; reason: string };

const CN_ITEM_DIGITS: readonly [number, number] = Object.freeze([1, 6] as const);

export const CN_PRICE_LAYOUT: Readonly<VariableMeasureLayout> = Object.freeze({
  prefixes: Object.freeze(['20', '21', '22', '23', '24']),
  itemDigits: CN_ITEM_DIGITS,
  value: Object.freeze({ kind: 'price', start: 7, length: 5, decimals: 2 } as const),
});

export const CN_WEIGHT_LAYOUT: Readonly<VariableMeasureLayout> = Object.freeze({
  prefixes: Object.freeze(['25', '26', '27', '28', '29']),
  itemDigits: CN_ITEM_DIGITS,
  value: Object.freeze({ kind: 'weight', start: 7, length: 5, decimals: 3 } as const),
});

/** See the module comment for what these mean. */
export const DEFAULT_VARIABLE_MEASURE_LAYOUTS: readonly VariableMeasureLayout[] = Object.freeze([
  CN_PRICE_LAYOUT,
  CN_WEIGHT_LAYOUT,
]);

/** Shorter name for the same default list. */
export const DEFAULT_LAYOUTS = DEFAULT_VARIABLE_MEASURE_LAYOUTS;

const CODE_LENGTH = 13;
const CHECK_DIGIT_INDEX = CODE_LENGTH - 1;
const DEFAULT_MINOR_UNIT_DECIMALS = 2;

// Weighting tables from GS1 General Specifications 7.9: each maps a digit to the product digit
// used in the price/measure verifier sums.
const TWO_MINUS = [0, 2, 4, 6, 8, 9, 1, 3, 5, 7];
const THREE = [0, 3, 6, 9, 2, 5, 8, 1, 4, 7];
const FIVE_PLUS = [0, 5, 1, 6, 2, 7, 3, 8, 4, 9];
const FIVE_MINUS = [0, 5, 9, 4, 8, 3, 7, 2, 6, 1];

function weighted(table: readonly number[], digit: string): number {
  return table[digit.charCodeAt(0) - 48] ?? 0;
}

/** Price/measure verifier digit over a 4- or 5-digit value field (GS1 General Specs 7.9). */
export function verifierDigit(value: string): number {
  if (!/^[0-9]{4,5}$/.test(value)) throw new RangeError(`verifier needs 4 or 5 digits, got "${value}"`);
  const d = [...value];
  if (d.length === 4) {
    const [a = '0', b = '0', c = '0', e = '0'] = d;
    const sum =
      weighted(TWO_MINUS, a) + weighted(TWO_MINUS, b) + weighted(THREE, c) + weighted(FIVE_MINUS, e);
    return (sum * 3) % 10;
  }
  const [a = '0', b = '0', c = '0', e = '0', f = '0'] = d;
  const sum =
    weighted(FIVE_PLUS, a) +
    weighted(TWO_MINUS, b) +
    weighted(FIVE_MINUS, c) +
    weighted(FIVE_PLUS, e) +
    weighted(TWO_MINUS, f);
  const target = (10 - (sum % 10)) % 10;
  return FIVE_MINUS.indexOf(target);
}

function overlaps(aStart: number, aLength: number, bStart: number, bLength: number): boolean {
  return aStart < bStart + bLength && bStart < aStart + aLength;
}

function isWithinBody(start: number, length: number): boolean {
  return (
    Number.isInteger(start) &&
    Number.isInteger(length) &&
    start >= 0 &&
    length >= 1 &&
    start + length <= CHECK_DIGIT_INDEX
  );
}

/**
 * Problems with a layout list, empty when it is usable. Run it once on configuration load:
 * {@link parseScannedCode} trusts its layouts.
 */
export function variableMeasureLayoutIssues(layouts: readonly VariableMeasureLayout[]): string[] {
  const issues: string[] = [];
  const seenPrefixes = new Set<string>();
  layouts.forEach((layout, i) => {
    const at = `layout ${i}`;
    if (layout.prefixes.length === 0) issues.push(`${at}: needs at least one prefix`);
    let longestPrefix = 0;
    for (const prefix of layout.prefixes) {
      if (!/^[0-9]{1,12}$/.test(prefix)) issues.push(`${at}: prefix "${prefix}" must be 1-12 digits`);
      if (seenPrefixes.has(prefix)) issues.push(`${at}: prefix "${prefix}" is used by an earlier layout`);
      seenPrefixes.add(prefix);
      longestPrefix = Math.max(longestPrefix, prefix.length);
    }
    const [itemStart, itemLength] = layout.itemDigits;
    const { kind, start, length, decimals } = layout.value;
    if (!isWithinBody(itemStart, itemLength)) issues.push(`${at}: itemDigits must lie within digits 0-11`);
    if (!isWithinBody(start, length)) issues.push(`${at}: value digits must lie within digits 0-11`);
    if (start < longestPrefix) issues.push(`${at}: value digits overlap the prefix`);
    if (overlaps(itemStart, itemLength, start, length))
      issues.push(`${at}: itemDigits overlap the value digits`);
    const maxDecimals =
      kind === 'weight' ? 3 : (layout.value.minorUnitDecimals ?? DEFAULT_MINOR_UNIT_DECIMALS);
    if (!Number.isInteger(decimals) || decimals < 0 || decimals > maxDecimals) {
      // Finer than a gram or a minor unit would need fractions, which money and POS weights avoid.
      issues.push(`${at}: value decimals must be an integer from 0 to ${maxDecimals} for a ${kind}`);
    }
    const v = layout.verifierDigitAt;
    if (v !== undefined) {
      if (!isWithinBody(v, 1)) issues.push(`${at}: verifierDigitAt must be within digits 0-11`);
      if (v < longestPrefix || overlaps(v, 1, itemStart, itemLength) || overlaps(v, 1, start, length)) {
        issues.push(`${at}: verifierDigitAt overlaps the prefix, item or value digits`);
      }
      if (length !== 4 && length !== 5) issues.push(`${at}: a verifier digit needs a 4- or 5-digit value`);
    }
  });
  return issues;
}

function layoutFor(
  code13: string,
  layouts: readonly VariableMeasureLayout[],
): VariableMeasureLayout | undefined {
  let best: VariableMeasureLayout | undefined;
  let bestLength = 0;
  for (const layout of layouts) {
    for (const prefix of layout.prefixes) {
      if (prefix.length > bestLength && code13.startsWith(prefix)) {
        best = layout;
        bestLength = prefix.length;
      }
    }
  }
  return best;
}

/** The code as an EAN-13 when it can be one, since layouts are written against 13 digits. */
function asThirteenDigits(code: string): string | undefined {
  if (code.length === 13) return code;
  if (code.length === 12) return `0${code}`;
  if (code.length === 14 && code.startsWith('0')) return code.slice(1);
  return undefined;
}

/**
 * Reads what a scanner sent: a plain GTIN (returned in 14-digit canonical form) or an in-store
 * label matching one of the layouts. Surrounding whitespace is ignored. A code in a restricted
 * prefix that no layout claims is returned as a plain GTIN, so the catalogue can still hold it.
 */
export function parseScannedCode(
  code: string,
  layouts: readonly VariableMeasureLayout[] = DEFAULT_VARIABLE_MEASURE_LAYOUTS,
): ParsedScan {
  const raw = code.trim();
  const check = checkGtin(raw);
  if (!check.ok) return check;
  const code13 = asThirteenDigits(raw);
  const layout = code13 === undefined ? undefined : layoutFor(code13, layouts);
  if (code13 === undefined || layout === undefined)
    return { ok: true, kind: 'gtin', gtin: raw.padStart(14, '0') };

  const [itemStart, itemLength] = layout.itemDigits;
  const itemRef = code13.slice(itemStart, itemStart + itemLength);
  const { kind, start, length, decimals } = layout.value;
  const valueDigits = code13.slice(start, start + length);
  if (layout.verifierDigitAt !== undefined) {
    const expected = verifierDigit(valueDigits);
    const got = code13.charCodeAt(layout.verifierDigitAt) - 48;
    if (expected !== got) {
      return { ok: false, reason: `${kind} verifier digit mismatch: expected ${expected}, got ${got}` };
    }
  }
  const value = Number(valueDigits);
  if (value === 0) return { ok: false, reason: `in-store label with a zero ${kind}` };
  if (kind === 'weight') {
    return { ok: true, kind: 'variableWeight', itemRef, weightGrams: value * 10 ** (3 - decimals), raw };
  }
  const minorDecimals = layout.value.minorUnitDecimals ?? DEFAULT_MINOR_UNIT_DECIMALS;
  return {
    ok: true,
    kind: 'variablePrice',
    itemRef,
    priceMinor: value * 10 ** (minorDecimals - decimals),
    raw,
  };
}

/**
 * The label a scale would print: the inverse of {@link parseScannedCode}, for demos, training
 * and tests. `amount` is in grams for a weight layout and minor units for a price layout. Digits
 * no field claims are zero. Throws when the item or amount cannot be written in this layout.
 */
export function encodeVariableMeasureLabel(
  layout: VariableMeasureLayout,
  itemRef: string,
  amount: number,
): string {
  const [itemStart, itemLength] = layout.itemDigits;
  if (!new RegExp(`^[0-9]{${itemLength}}$`).test(itemRef)) {
    throw new RangeError(`item reference must be ${itemLength} digits, got "${itemRef}"`);
  }
  const agreesWithItem = (prefix: string): boolean =>
    [...prefix].every(
      (digit, i) => i < itemStart || i >= itemStart + itemLength || itemRef[i - itemStart] === digit,
    );
  const prefix = layout.prefixes.find(agreesWithItem);
  if (prefix === undefined) {
    throw new RangeError(
      `item reference "${itemRef}" cannot be labelled with prefixes ${layout.prefixes.join(', ')}`,
    );
  }
  const { kind, start, length, decimals } = layout.value;
  const scale =
    kind === 'weight'
      ? 10 ** (3 - decimals)
      : 10 ** ((layout.value.minorUnitDecimals ?? DEFAULT_MINOR_UNIT_DECIMALS) - decimals);
  const value = amount / scale;
  if (!Number.isInteger(value) || value <= 0 || value >= 10 ** length) {
    throw new RangeError(`${kind} ${amount} does not fit ${length} digits with ${decimals} decimals`);
  }
  const digits = Array.from({ length: CHECK_DIGIT_INDEX }, () => '0');
  const write = (at: number, text: string): void => {
    for (let i = 0; i < text.length; i++) digits[at + i] = text.charAt(i);
  };
  write(0, prefix);
  write(itemStart, itemRef);
  const valueDigits = String(value).padStart(length, '0');
  write(start, valueDigits);
  if (layout.verifierDigitAt !== undefined) write(layout.verifierDigitAt, String(verifierDigit(valueDigits)));
  const body = digits.join('');
  return body + String(computeCheckDigit(body));
}
