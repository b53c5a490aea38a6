import { describe, expect, it } from 'vitest';
import { computeCheckDigit } from './gtin.ts';
import type { VariableMeasureLayout } from './variableMeasure.ts';
import {
  CN_PRICE_LAYOUT,
  CN_WEIGHT_LAYOUT,
  DEFAULT_VARIABLE_MEASURE_LAYOUTS,
  encodeVariableMeasureLabel,
  parseScannedCode,
  variableMeasureLayoutIssues,
  verifierDigit,
} from './variableMeasure.ts';

function withCheckDigit(body: string): string {
  return body + String(computeCheckDigit(body));
}

// UPC-A random-weight style: 2, 5-digit item, price verifier, 4-digit price in cents. Read as an
// EAN-13 the code starts 02, hence the prefix.
const UPC_PRICE_LAYOUT: VariableMeasureLayout = {
  prefixes: ['02'],
  itemDigits: [2, 5],
  value: { kind: 'price', start: 8, length: 4, decimals: 2 },
  verifierDigitAt: 7,
};

describe('default layouts (China)', () => {
  it('are the documented 2 + 6-digit PLU + 5-digit value layout', () => {
    expect(DEFAULT_VARIABLE_MEASURE_LAYOUTS).toEqual([
      {
        prefixes: ['20', '21', '22', '23', '24'],
        itemDigits: [1, 6],
        value: { kind: 'price', start: 7, length: 5, decimals: 2 },
      },
      {
        prefixes: ['25', '26', '27', '28', '29'],
        itemDigits: [1, 6],
        value: { kind: 'weight', start: 7, length: 5, decimals: 3 },
      },
    ]);
    expect(variableMeasureLayoutIssues(DEFAULT_VARIABLE_MEASURE_LAYOUTS)).toEqual([]);
  });

  it('cannot be edited in place', () => {
    expect(Object.isFrozen(DEFAULT_VARIABLE_MEASURE_LAYOUTS)).toBe(true);
    expect(Object.isFrozen(CN_WEIGHT_LAYOUT.value)).toBe(true);
    expect(Object.isFrozen(CN_PRICE_LAYOUT.prefixes)).toBe(true);
  });
});

describe('parseScannedCode with the default layouts', () => {
  it('reads a weight label: PLU 500101, 1.234 kg', () => {
    // 250010101234 -> weighted sum 41 -> check digit 9, worked by hand.
    expect(parseScannedCode('2500101012349')).toEqual({
      ok: true,
      kind: 'variableWeight',
      itemRef: '500101',
      weightGrams: 1234,
      raw: '2500101012349',
    });
  });

  it('reads a price label: PLU 100101, 23.50 yuan', () => {
    // 210010102350 -> weighted sum 23 -> check digit 7.
    expect(parseScannedCode('2100101023507')).toEqual({
      ok: true,
      kind: 'variablePrice',
      itemRef: '100101',
      priceMinor: 2350,
      raw: '2100101023507',
    });
  });

  it('explains a misread check digit', () => {
    expect(parseScannedCode('2500101012345')).toEqual({
      ok: false,
      reason: 'check digit mismatch: expected 9, got 5',
    });
  });

  it('refuses a label with a zero value', () => {
    expect(parseScannedCode(withCheckDigit('250010100000'))).toEqual({
      ok: false,
      reason: 'in-store label with a zero weight',
    });
  });

  it('returns ordinary GTINs in 14-digit form', () => {
    expect(parseScannedCode('6901234567892')).toEqual({ ok: true, kind: 'gtin', gtin: '06901234567892' });
    expect(parseScannedCode('036000291452')).toEqual({ ok: true, kind: 'gtin', gtin: '00036000291452' });
    expect(parseScannedCode('96385074')).toEqual({ ok: true, kind: 'gtin', gtin: '00000096385074' });
  });

  it('ignores the whitespace and line ending a scanner may append', () => {
    expect(parseScannedCode(' 2500101012349\r\n')).toMatchObject({
      ok: true,
      weightGrams: 1234,
      raw: '2500101012349',
    });
  });

  it('rejects what is not a GTIN at all', () => {
    expect(parseScannedCode('hello')).toEqual({ ok: false, reason: 'not a GTIN: "hello" is not all digits' });
    expect(parseScannedCode('12345')).toMatchObject({ ok: false });
  });

  it('treats a restricted code as a plain GTIN when no layout claims it', () => {
    expect(parseScannedCode('2500101012349', [])).toEqual({ ok: true, kind: 'gtin', gtin: '02500101012349' });
  });
});

describe('configurable layouts', () => {
  it('reads a 12-digit UPC-A price label with a verified price', () => {
    const code13 = encodeVariableMeasureLabel(UPC_PRICE_LAYOUT, '12345', 2875);
    // Digit 7 is 9, the verifier of GS1's worked example for price 2875.
    expect(code13).toBe('0212345928752');
    const upcA = code13.slice(1);
    expect(parseScannedCode(upcA, [UPC_PRICE_LAYOUT])).toEqual({
      ok: true,
      kind: 'variablePrice',
      itemRef: '12345',
      priceMinor: 2875,
      raw: upcA,
    });
  });

  it('rejects a label whose price verifier disagrees even when the check digit is fine', () => {
    const tampered = withCheckDigit('021234542875');
    expect(parseScannedCode(tampered, [UPC_PRICE_LAYOUT])).toEqual({
      ok: false,
      reason: 'price verifier digit mismatch: expected 9, got 4',
    });
  });

  it('picks the longest matching prefix', () => {
    const layouts: VariableMeasureLayout[] = [
      { prefixes: ['2'], itemDigits: [1, 6], value: { kind: 'weight', start: 7, length: 5, decimals: 3 } },
      { prefixes: ['29'], itemDigits: [2, 5], value: { kind: 'price', start: 7, length: 5, decimals: 2 } },
    ];
    expect(variableMeasureLayoutIssues(layouts)).toEqual([]);
    expect(parseScannedCode(withCheckDigit('290012300999'), layouts)).toMatchObject({
      kind: 'variablePrice',
      itemRef: '00123',
      priceMinor: 999,
    });
    expect(parseScannedCode(withCheckDigit('280012300999'), layouts)).toMatchObject({
      kind: 'variableWeight',
      itemRef: '800123',
      weightGrams: 999,
    });
  });

  it('scales values by their decimals', () => {
    const tenGram: VariableMeasureLayout = {
      prefixes: ['23'],
      itemDigits: [2, 5],
      value: { kind: 'weight', start: 7, length: 5, decimals: 2 },
    };
    expect(parseScannedCode(withCheckDigit('230001200125'), [tenGram])).toMatchObject({ weightGrams: 1250 });
    const yen: VariableMeasureLayout = {
      prefixes: ['20'],
      itemDigits: [2, 5],
      value: { kind: 'price', start: 7, length: 5, decimals: 0, minorUnitDecimals: 0 },
    };
    expect(parseScannedCode(withCheckDigit('200001201980'), [yen])).toMatchObject({ priceMinor: 1980 });
    const wholeYuan: VariableMeasureLayout = {
      prefixes: ['20'],
      itemDigits: [2, 5],
      value: { kind: 'price', start: 7, length: 5, decimals: 0 },
    };
    expect(parseScannedCode(withCheckDigit('200001200019'), [wholeYuan])).toMatchObject({ priceMinor: 1900 });
  });
});

describe('verifierDigit', () => {
  it('matches the GS1 worked examples', () => {
    expect(verifierDigit('2875')).toBe(9);
    expect(verifierDigit('14685')).toBe(6);
  });

  it('only takes 4 or 5 digits', () => {
    expect(() => verifierDigit('123')).toThrow(RangeError);
    expect(() => verifierDigit('123456')).toThrow(RangeError);
  });
});

describe('variableMeasureLayoutIssues', () => {
  it('lists every problem in a broken layout list', () => {
    const broken: VariableMeasureLayout[] = [
      { prefixes: ['20'], itemDigits: [2, 6], value: { kind: 'price', start: 7, length: 5, decimals: 3 } },
      {
        prefixes: ['20', 'x'],
        itemDigits: [1, 6],
        value: { kind: 'weight', start: 1, length: 12, decimals: 3 },
        verifierDigitAt: 3,
      },
      { prefixes: [], itemDigits: [0, 0], value: { kind: 'weight', start: 7, length: 5, decimals: 4 } },
    ];
    expect(variableMeasureLayoutIssues(broken)).toEqual([
      'layout 0: itemDigits overlap the value digits',
      'layout 0: value decimals must be an integer from 0 to 2 for a price',
      'layout 1: prefix "20" is used by an earlier layout',
      'layout 1: prefix "x" must be 1-12 digits',
      'layout 1: value digits must lie within digits 0-11',
      'layout 1: value digits overlap the prefix',
      'layout 1: itemDigits overlap the value digits',
      'layout 1: verifierDigitAt overlaps the prefix, item or value digits',
      'layout 1: a verifier digit needs a 4- or 5-digit value',
      'layout 2: needs at least one prefix',
      'layout 2: itemDigits must lie within digits 0-11',
      'layout 2: value decimals must be an integer from 0 to 3 for a weight',
    ]);
  });
});

describe('encodeVariableMeasureLabel', () => {
  it('round-trips through parseScannedCode', () => {
    for (const grams of [1, 5, 750, 1234, 99_999]) {
      const code = encodeVariableMeasureLabel(CN_WEIGHT_LAYOUT, '612345', grams);
      expect(parseScannedCode(code)).toEqual({
        ok: true,
        kind: 'variableWeight',
        itemRef: '612345',
        weightGrams: grams,
        raw: code,
      });
    }
    const priced = encodeVariableMeasureLabel(CN_PRICE_LAYOUT, '100101', 2350);
    expect(priced).toBe('2100101023507');
  });

  it('refuses what the layout cannot express', () => {
    expect(() => encodeVariableMeasureLabel(CN_WEIGHT_LAYOUT, '100101', 500)).toThrow(/cannot be labelled/);
    expect(() => encodeVariableMeasureLabel(CN_WEIGHT_LAYOUT, '50010', 500)).toThrow(/6 digits/);
    expect(() => encodeVariableMeasureLabel(CN_WEIGHT_LAYOUT, '500101', 100_000)).toThrow(/does not fit/);
    expect(() => encodeVariableMeasureLabel(CN_WEIGHT_LAYOUT, '500101', 0)).toThrow(/does not fit/);
    expect(() => encodeVariableMeasureLabel(CN_PRICE_LAYOUT, '100101', 12.5)).toThrow(/does not fit/);
  });
});
