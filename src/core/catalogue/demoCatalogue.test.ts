import { describe, expect, it } from 'vitest';
import { isValidGtin, normalizeGtin } from '../scan/gtin.ts';
import {
  CN_PRICE_LAYOUT,
  CN_WEIGHT_LAYOUT,
  encodeVariableMeasureLabel,
  parseScannedCode,
} from '../scan/variableMeasure.ts';
import type { Product } from './demoCatalogue.ts';
import { DEMO_CATALOGUE, findByGtin, findByPlu } from './demoCatalogue.ts';
import { resolveScan } from './lookup.ts';

const weighed = DEMO_CATALOGUE.filter((p) => p.soldBy === 'weight');
const byEnglishName = (nameEn: string): Product => {
  const product = DEMO_CATALOGUE.find((p) => p.nameEn === nameEn);
  if (!product) throw new Error(`no "${nameEn}" in the demo catalogue`);
  return product;
};

describe('DEMO_CATALOGUE', () => {
  it('has at least 32 products', () => {
    expect(DEMO_CATALOGUE.length).toBeGreaterThanOrEqual(32);
  });

  it('uses valid, unique Chinese GTIN-13s', () => {
    for (const p of DEMO_CATALOGUE) {
      expect(p.gtin, p.nameEn).toMatch(/^69[0-9]{11}$/);
      expect(isValidGtin(p.gtin), p.gtin).toBe(true);
    }
    const normalized = new Set(DEMO_CATALOGUE.map((p) => normalizeGtin(p.gtin)));
    expect(normalized.size).toBe(DEMO_CATALOGUE.length);
  });

  it('names every product in Chinese and English and prices it in whole fen', () => {
    for (const p of DEMO_CATALOGUE) {
      expect(p.name, p.gtin).toMatch(/\p{Script=Han}/u);
      expect(p.nameEn, p.gtin).toMatch(/^[\x20-\x7e]+$/);
      expect(Number.isInteger(p.unitPrice) && p.unitPrice > 0, p.gtin).toBe(true);
      expect(p.category, p.gtin).not.toBe('');
    }
  });

  it('starts with products sold by the unit, which the end-to-end demo scans', () => {
    expect(DEMO_CATALOGUE[0]?.soldBy).toBe('unit');
    expect(DEMO_CATALOGUE[1]?.soldBy).toBe('unit');
  });

  it('has at least 6 weighed items with unique 6-digit PLUs, and PLUs only on those', () => {
    expect(weighed.length).toBeGreaterThanOrEqual(6);
    for (const p of weighed) expect(p.plu, p.nameEn).toMatch(/^[0-9]{6}$/);
    expect(new Set(weighed.map((p) => p.plu)).size).toBe(weighed.length);
    for (const p of DEMO_CATALOGUE.filter((q) => q.soldBy === 'unit'))
      expect(p.plu, p.nameEn).toBeUndefined();
  });

  it('lets a scale label for every weighed item scan back to it', () => {
    for (const p of weighed) {
      const plu = p.plu ?? '';
      const byWeight = Number(plu[0]) >= 5;
      const label = encodeVariableMeasureLabel(byWeight ? CN_WEIGHT_LAYOUT : CN_PRICE_LAYOUT, plu, 500);
      expect(parseScannedCode(label), p.nameEn).toMatchObject({
        ok: true,
        kind: byWeight ? 'variableWeight' : 'variablePrice',
      });
      const resolved = resolveScan(label, DEMO_CATALOGUE);
      expect(resolved.ok && resolved.product, p.nameEn).toBe(p);
    }
  });

  it('prices its multipacks below the same number of singles', () => {
    const packs: [pack: string, single: string, count: number][] = [
      ['Cola 330 ml, 6-pack', 'Cola 330 ml can', 6],
      ['Whole milk 250 ml, case of 12', 'Whole milk 250 ml', 12],
      ['Braised beef instant noodles, 5-pack', 'Braised beef instant noodles', 5],
    ];
    for (const [pack, single, count] of packs) {
      expect(byEnglishName(pack).unitPrice, pack).toBeLessThan(byEnglishName(single).unitPrice * count);
    }
  });

  it('cannot be edited in place', () => {
    expect(Object.isFrozen(DEMO_CATALOGUE)).toBe(true);
    expect(DEMO_CATALOGUE.every((p) => Object.isFrozen(p))).toBe(true);
  });
});

describe('findByGtin / findByPlu', () => {
  it('finds a product by its GTIN in 13- or 14-digit form', () => {
    expect(findByGtin('6901234567892')?.nameEn).toBe('Mineral water 550 ml');
    expect(findByGtin('06901234567892')?.nameEn).toBe('Mineral water 550 ml');
  });

  it('finds nothing for unknown or invalid codes', () => {
    expect(findByGtin('4006381333931')).toBeUndefined();
    expect(findByGtin('6901234567891')).toBeUndefined();
  });

  it('finds weighed items by PLU', () => {
    expect(findByPlu('500101')?.nameEn).toBe('Bananas');
    expect(findByPlu('999999')).toBeUndefined();
  });
});
