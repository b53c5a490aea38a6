import { describe, expect, it } from 'vitest';
import { groupFigures, photoFigures, posNameOf, type CatalogueClass } from './metrics.ts';

const cls = (name: string, hist: number[]): CatalogueClass => ({
  name,
  posName: posNameOf(name),
  gtin: name,
  iconicHist: hist,
});
const catalogue = [
  cls('Arla-Standard-Milk', [1, 0, 0]),
  cls('Oatly-Oat-Milk', [0, 1, 0]),
  cls('Banana', [0, 0, 1]),
];

describe('photoFigures', () => {
  it('scores the read against its own name and the best other one, and ranks colours', () => {
    const f = photoFigures(
      { file: 'a.jpg', className: 'Arla-Standard-Milk', text: 'Arla standard', ms: 10, hist: [0.9, 0.1, 0] },
      catalogue,
      0.5,
    );
    expect(f.simOwn).toBeGreaterThan(f.bestOther.sim);
    expect(f.colourRank).toBe(1);
    expect(f.rightContradictedColour).toBe(false);
    // Banana's packshot shares no colour: colour contradicts that wrong scan, not Oatly's (0.1 shared).
    expect(f.wrongCaughtColour).toBeGreaterThan(0);
  });
  it('never lets an empty read contradict anything', () => {
    const f = photoFigures(
      { file: 'b.jpg', className: 'Banana', text: '', ms: 5, hist: [0, 0, 1] },
      catalogue,
      2,
    );
    expect(f.wrongCaughtOcr).toBe(0);
    expect(f.rightContradictedOcr).toBe(false);
    expect(() =>
      photoFigures({ file: 'c', className: 'Kiwi', text: '', ms: 1, hist: [] }, catalogue, 1),
    ).toThrow(/Kiwi/);
  });
});

describe('groupFigures', () => {
  it('averages over photos and takes the median time', () => {
    const rows = [
      photoFigures({ file: 'a', className: 'Banana', text: '', ms: 1, hist: [0, 0, 1] }, catalogue, 0.5),
      photoFigures({ file: 'b', className: 'Banana', text: '', ms: 1, hist: [1, 0, 0] }, catalogue, 0.5),
    ];
    const g = groupFigures(rows, [30, 10, 20]);
    expect(g.photos).toBe(2);
    expect(g.colourTop1).toBe(0.5);
    expect(g.rightScanContradicted.colour).toBe(0.5);
    expect(g.medianOcrMs).toBe(20);
  });
});
