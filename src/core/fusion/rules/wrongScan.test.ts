import { describe, expect, it } from 'vitest';
import { assessAppearance, galleryLlr, isWrongScan } from './wrongScan.ts';
import { DEFAULT_FUSION_CONFIG, resolveConfig, type CatalogueEntry } from '../config.ts';
import { LaneScript } from '../laneScript.testkit.ts';
import type { ItemAppearance, SizeClass } from '../../perception/events.ts';

const WATER = { gtin: '6901234567892', name: '农夫山泉矿泉水550ml' };
const WATER_5L = { gtin: '6901234567809', name: '农夫山泉矿泉水5L' };
const BEER = { gtin: '6900000000017', name: '青岛啤酒24罐' };
const catalogue: Record<string, CatalogueEntry> = {
  [WATER.gtin]: { name: WATER.name, sizeClass: 'small', unitPrice: 200 },
  [WATER_5L.gtin]: { name: WATER_5L.name, sizeClass: 'large', unitPrice: 1200 },
  [BEER.gtin]: { name: BEER.name, sizeClass: 'large', unitPrice: 9900 },
};
const sizes: Record<string, SizeClass> = { [WATER.gtin]: 'small', [BEER.gtin]: 'large' };
const cfg = resolveConfig({ productOf: (g) => catalogue[g] });

function seen(fields: Partial<ItemAppearance>): ItemAppearance {
  return {
    type: 'itemAppearance',
    v: 1,
    trackId: 1,
    atMs: 0,
    startMs: 0,
    endMs: 0,
    confidence: 0.9,
    ...fields,
  };
}

describe('assessAppearance', () => {
  it('clears an item the gallery recognises as the scanned product', () => {
    const v = assessAppearance([seen({ matchGtin: WATER.gtin, matchScore: 0.9 })], WATER, cfg);
    expect(v.llr).toBeLessThan(-3);
    expect(isWrongScan(v, cfg)).toBe(false);
  });

  it('counts a low-scoring match of the scanned product against it (right matches rarely score low)', () => {
    const low = galleryLlr(true, 0.45, cfg.appearanceCalibration);
    const high = galleryLlr(true, 0.85, cfg.appearanceCalibration);
    expect(low).toBeGreaterThan(0);
    expect(high).toBeLessThan(-3);
  });

  it('needs more than a gallery match alone: packaging text and size add up', () => {
    const gallery = assessAppearance([seen({ matchGtin: BEER.gtin, matchScore: 0.8 })], WATER, cfg);
    const all = assessAppearance(
      [seen({ matchGtin: BEER.gtin, matchScore: 0.8, labelText: '青岛啤酒', sizeClass: 'large' })],
      WATER,
      cfg,
    );
    expect(gallery.cues.gallery).toBeGreaterThan(0);
    expect(isWrongScan(gallery, cfg)).toBe(false);
    expect(all.llr).toBeGreaterThan(gallery.llr);
    expect(all.seenGtin).toBe(BEER.gtin);
    expect(all.reasons).toHaveLength(3);
    expect(isWrongScan(all, cfg)).toBe(true);
  });

  it('lets packaging text that matches the scanned name outweigh a confident gallery error', () => {
    const v = assessAppearance(
      [seen({ matchGtin: BEER.gtin, matchScore: 0.85, labelText: '农夫山泉矿泉' })],
      WATER,
      cfg,
    );
    expect(v.cues.ocr).toBeLessThan(-2);
    expect(isWrongScan(v, cfg)).toBe(false);
  });

  it('tells look-alike sizes apart by the size token, and stays neutral on a brand-only read', () => {
    const base = { matchGtin: WATER_5L.gtin, matchScore: 0.85, sizeClass: 'large' as const };
    const sizeRead = assessAppearance([seen({ ...base, labelText: '农夫山泉矿泉水5L' })], WATER, cfg);
    const brandRead = assessAppearance([seen({ ...base, labelText: '农夫山泉' })], WATER, cfg);
    expect(sizeRead.cues.ocr).toBeGreaterThan(0);
    expect(brandRead.cues.ocr).toBeLessThanOrEqual(0);
    expect(sizeRead.cues.size).toBeGreaterThan(2);
    expect(isWrongScan(sizeRead, cfg)).toBe(true);
  });

  it('weighs price: a switch rings up a cheaper code than the item seen', () => {
    const dearer = assessAppearance([seen({ matchGtin: BEER.gtin, matchScore: 0.8 })], WATER, cfg);
    const cheaper = assessAppearance([seen({ matchGtin: WATER.gtin, matchScore: 0.8 })], BEER, cfg);
    expect(dearer.cues.price).toBeGreaterThan(0);
    expect(cheaper.cues.price).toBeLessThan(0);
  });

  it('ignores gallery matches below the floor and two-character reads', () => {
    const v = assessAppearance(
      [seen({ matchGtin: BEER.gtin, matchScore: 0.2, labelText: '青岛' })],
      WATER,
      cfg,
    );
    expect(v.llr).toBe(0);
    expect(v.reasons).toEqual([]);
  });

  it('uses the size cue only when the chain supplies a catalogue', () => {
    const sizeOnly = resolveConfig({ sizeClassOf: (g) => sizes[g] });
    const withCatalogue = assessAppearance([seen({ sizeClass: 'large' })], WATER, sizeOnly);
    const without = assessAppearance([seen({ sizeClass: 'large' })], WATER, DEFAULT_FUSION_CONFIG);
    expect(withCatalogue.cues.size).toBeGreaterThan(0);
    expect(without.llr).toBe(0);
  });
});

describe('wrongScan.appearance in the engine', () => {
  function ticketSwitch(appearance: Partial<ItemAppearance>): LaneScript {
    return new LaneScript()
      .pos(0, { type: 'transaction.started' })
      .trip(1, 2000)
      .see(2000, 2500, { type: 'itemAppearance', trackId: 1, ...appearance })
      .scan(2400, 1, WATER.gtin, WATER.name);
  }

  it('flags a cheap barcode rung up for an item that looks like another product', () => {
    const { raised } = ticketSwitch({
      matchGtin: BEER.gtin,
      matchScore: 0.93,
      labelText: '青岛啤酒24罐',
    }).run(cfg);
    expect(raised.map((s) => s.rule)).toEqual(['wrongScan.appearance']);
    expect(raised[0]?.subject).toEqual({ gtin: WATER.gtin, line: 1, name: WATER.name });
    expect(raised[0]?.evidence.posSeqs).toHaveLength(1);
  });

  it('stays quiet when the camera agrees with the scan', () => {
    const { raised } = ticketSwitch({ matchGtin: WATER.gtin, matchScore: 0.88 }).run(cfg);
    expect(raised).toEqual([]);
  });

  it('also checks an appearance that arrives after the item was matched', () => {
    const s = new LaneScript()
      .pos(0, { type: 'transaction.started' })
      .trip(1, 2000)
      .scan(2400, 1, WATER.gtin, WATER.name)
      .see(5000, 5200, {
        type: 'itemAppearance',
        trackId: 1,
        matchGtin: BEER.gtin,
        matchScore: 0.95,
        sizeClass: 'large',
      });
    expect(s.run(cfg).raised.map((x) => x.type)).toEqual(['wrongScan']);
  });

  it('is closed when the shopper then rings up the product the camera saw', () => {
    const s = ticketSwitch({ matchGtin: BEER.gtin, matchScore: 0.95, sizeClass: 'large' }).scan(
      9000,
      2,
      BEER.gtin,
      BEER.name,
    );
    const { raised, resolved } = s.run(cfg);
    expect(raised).toHaveLength(1);
    expect(resolved.map((r) => [r.id, r.resolved])).toEqual([[raised[0]?.id, 'selfCorrected']]);
  });
});
