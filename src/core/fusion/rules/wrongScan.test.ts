import { describe, expect, it } from 'vitest';
import { assessAppearance, isWrongScan } from './wrongScan.ts';
import { DEFAULT_FUSION_CONFIG, resolveConfig } from '../config.ts';
import { LaneScript } from '../laneScript.testkit.ts';
import type { ItemAppearance, SizeClass } from '../../perception/events.ts';

const WATER = { gtin: '6901234567892', name: '农夫山泉矿泉水550ml' };
const BEER = { gtin: '6900000000017', name: '青岛啤酒24罐' };
const sizes: Record<string, SizeClass> = { [WATER.gtin]: 'small', [BEER.gtin]: 'large' };
const cfg = resolveConfig({ sizeClassOf: (g) => sizes[g] });

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
    expect(v.mismatch).toBe(0);
    expect(isWrongScan(v, cfg)).toBe(false);
  });

  it('adds up independent cues against the scan: gallery, packaging text and size', () => {
    const gallery = assessAppearance([seen({ matchGtin: BEER.gtin, matchScore: 0.8 })], WATER, cfg);
    const all = assessAppearance(
      [seen({ matchGtin: BEER.gtin, matchScore: 0.8, labelText: '青岛啤酒', sizeClass: 'large' })],
      WATER,
      cfg,
    );
    expect(gallery.mismatch).toBeCloseTo(0.8, 5);
    expect(all.mismatch).toBeGreaterThan(gallery.mismatch);
    expect(all.seenGtin).toBe(BEER.gtin);
    expect(all.reasons).toHaveLength(3);
    expect(isWrongScan(all, cfg)).toBe(true);
  });

  it('lets packaging text that matches the scanned name outweigh a doubtful gallery match', () => {
    const v = assessAppearance(
      [seen({ matchGtin: BEER.gtin, matchScore: 0.8, labelText: '农夫山泉矿泉' })],
      WATER,
      cfg,
    );
    expect(v.for).toBeGreaterThan(0);
    expect(isWrongScan(v, cfg)).toBe(false);
  });

  it('ignores gallery matches below galleryMinScore and two-character reads', () => {
    const v = assessAppearance(
      [seen({ matchGtin: BEER.gtin, matchScore: 0.3, labelText: '青岛' })],
      WATER,
      cfg,
    );
    expect(v.against).toBe(0);
    expect(v.reasons).toEqual([]);
  });

  it('uses the size cue only when the chain supplies a catalogue', () => {
    const withCatalogue = assessAppearance([seen({ sizeClass: 'large' })], WATER, cfg);
    const without = assessAppearance([seen({ sizeClass: 'large' })], WATER, DEFAULT_FUSION_CONFIG);
    expect(withCatalogue.against).toBeGreaterThan(0);
    expect(without.against).toBe(0);
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
