import { describe, expect, it } from 'vitest';
import { computeCheckDigit } from '../scan/gtin.ts';
import { CN_WEIGHT_LAYOUT, encodeVariableMeasureLabel } from '../scan/variableMeasure.ts';
import { DEMO_CATALOGUE } from './demoCatalogue.ts';
import type { Product } from './lookup.ts';
import { findProductByGtin, findProductByPlu, resolveScan, weighedLineTotal } from './lookup.ts';

const water = DEMO_CATALOGUE[0];
const bananas = DEMO_CATALOGUE.find((p) => p.plu === '500101');
const apples = DEMO_CATALOGUE.find((p) => p.plu === '500102');
const braisedBeef = DEMO_CATALOGUE.find((p) => p.plu === '100301');

describe('resolveScan against the demo catalogue', () => {
  it('resolves a packaged product by GTIN as one unit with no fixed line total', () => {
    expect(resolveScan('6901234567892', DEMO_CATALOGUE)).toEqual({ ok: true, product: water, qty: 1 });
  });

  it('resolves a 14-digit spelling of the same GTIN', () => {
    expect(resolveScan('06901234567892', DEMO_CATALOGUE)).toMatchObject({ ok: true, product: water });
  });

  it('prices a weight label for Fuji apples: 1.234 kg at 12.98/kg', () => {
    // 2 + PLU 500102 + 01234 g; weighted sum of 250010201234 is 42, so the check digit is 8.
    expect(apples?.unitPrice).toBe(1298);
    expect(resolveScan('2500102012348', DEMO_CATALOGUE)).toEqual({
      ok: true,
      product: apples,
      qty: 1,
      weightGrams: 1234,
      lineTotal: 1602, // 1298 * 1.234 = 1601.732
    });
  });

  it('rounds a weighed line to the nearest fen, halves up', () => {
    const label = encodeVariableMeasureLabel(CN_WEIGHT_LAYOUT, '500101', 750);
    expect(bananas?.unitPrice).toBe(698);
    expect(resolveScan(label, DEMO_CATALOGUE)).toMatchObject({ weightGrams: 750, lineTotal: 524 }); // 523.5
  });

  it('takes the line total from a deli price label', () => {
    const body = '210030102360'; // 2 + PLU 100301 + 23.60 yuan
    const label = body + String(computeCheckDigit(body));
    expect(resolveScan(label, DEMO_CATALOGUE)).toEqual({
      ok: true,
      product: braisedBeef,
      qty: 1,
      lineTotal: 2360,
    });
  });

  it('explains a bad check digit', () => {
    expect(resolveScan('2500102012340', DEMO_CATALOGUE)).toEqual({
      ok: false,
      reason: 'check digit mismatch: expected 8, got 0',
    });
  });

  it('reports unknown GTINs and PLUs', () => {
    expect(resolveScan('4006381333931', DEMO_CATALOGUE)).toEqual({
      ok: false,
      reason: 'unknown product: no item has GTIN 4006381333931',
    });
    const label = encodeVariableMeasureLabel(CN_WEIGHT_LAYOUT, '599999', 100);
    expect(resolveScan(label, DEMO_CATALOGUE)).toEqual({
      ok: false,
      reason: 'unknown product: no item has PLU 599999',
    });
  });

  it('refuses a weighed item scanned by its GTIN, since there is no weight to charge', () => {
    expect(resolveScan(bananas?.gtin ?? '', DEMO_CATALOGUE)).toEqual({
      ok: false,
      reason: 'Bananas is sold by weight: scan its scale label',
    });
  });
});

describe('resolveScan with other catalogues and layouts', () => {
  const boxed: Product = {
    gtin: '4006381333931',
    name: '礼盒',
    nameEn: 'Gift box',
    unitPrice: 5000,
    soldBy: 'unit',
    plu: '700001',
    category: 'gifts',
  };

  it('refuses a weight label for a product sold by the unit', () => {
    const label = encodeVariableMeasureLabel(CN_WEIGHT_LAYOUT, '700001', 300);
    expect(resolveScan(label, [boxed])).toEqual({
      ok: false,
      reason: 'label gives a weight but Gift box is sold by the unit',
    });
  });

  it('uses the layouts it is given', () => {
    const label = encodeVariableMeasureLabel(CN_WEIGHT_LAYOUT, '500101', 750);
    // With no layouts the label is just an unknown restricted-circulation GTIN.
    expect(resolveScan(label, DEMO_CATALOGUE, [])).toEqual({
      ok: false,
      reason: `unknown product: no item has GTIN ${label}`,
    });
  });
});

describe('catalogue lookups', () => {
  const first: Product = {
    gtin: '036000291452',
    name: '甲',
    nameEn: 'A',
    unitPrice: 1,
    soldBy: 'unit',
    category: 'x',
  };
  const duplicate: Product = { ...first, nameEn: 'B' };

  it('match any length of the same GTIN', () => {
    const catalogue = [first];
    expect(findProductByGtin(catalogue, '0036000291452')).toBe(first);
    expect(findProductByGtin(catalogue, '00036000291452')).toBe(first);
    expect(findProductByGtin(catalogue, 'nonsense')).toBeUndefined();
  });

  it('keep the first of duplicated entries', () => {
    expect(findProductByGtin([first, duplicate], '036000291452')).toBe(first);
    const withPlu = [
      { ...first, plu: '500001' },
      { ...duplicate, gtin: '96385074', plu: '500001' },
    ];
    expect(findProductByPlu(withPlu, '500001')?.nameEn).toBe('A');
  });

  it('index each catalogue array separately', () => {
    expect(findProductByGtin([first], '036000291452')?.nameEn).toBe('A');
    expect(findProductByGtin([duplicate], '036000291452')?.nameEn).toBe('B');
  });
});

describe('weighedLineTotal', () => {
  it('rounds to the nearest minor unit', () => {
    expect(weighedLineTotal(698, 750)).toBe(524);
    expect(weighedLineTotal(1000, 1)).toBe(1);
    expect(weighedLineTotal(1000, 0)).toBe(0);
    expect(weighedLineTotal(3598, 1000)).toBe(3598);
  });
});
