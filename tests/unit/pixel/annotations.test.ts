import { describe, expect, it } from 'vitest';
import { loadAnnotations, parseAnnotations, scenarioTruth, scriptPos } from '../../eval/pixel/annotations.ts';
import { pixelFile } from '../../eval/pixel/staticServer.ts';

describe('bottle clip annotation', () => {
  const a = loadAnnotations();

  it('is valid: moves inside the clip, zones accepted by the lane validator', () => {
    expect(a.frames).toBe(1189);
    expect(a.moves.length).toBeGreaterThanOrEqual(4);
    for (const m of a.moves) expect(m.endS).toBeLessThanOrEqual(a.durationS);
  });

  it('plants the lift-outs a scenario does not scan; everything else is honest', () => {
    const t = scenarioTruth(a, 'planted');
    expect(t.planted.map((m) => m.id)).toEqual(['m1', 'm6']);
    expect(t.honest).toHaveLength(a.moves.length - 2);
    expect(scenarioTruth(a, 'allScanned').planted).toEqual([]);
  });

  it('scripts one scan per scanned lift-out after it crosses the scanner, then a payment', () => {
    const pos = scriptPos(a, 'planted', 1_000_000);
    const added = pos.filter((p) => p.event.type === 'item.added');
    expect(added).toHaveLength(2);
    expect(added[0]!.atMs).toBe(1_000_000 + (17.5 + 0.3) * 1000);
    expect(pos.map((p) => p.event.seq)).toEqual(pos.map((_, i) => i + 1));
    expect(pos.at(-1)!.event.type).toBe('transaction.ended');
  });

  it('refuses a scenario that scans a put-back, and a move outside the clip', () => {
    const bad = structuredClone(a);
    bad.pos.scenarios.planted!.scanned = ['m2'];
    expect(() => parseAnnotations(bad)).toThrow(/not a lift-out/);
    const late = structuredClone(a);
    late.moves[0]!.endS = 99;
    expect(() => parseAnnotations(late)).toThrow(/bad start\/end/);
  });
});

describe('eval server paths', () => {
  it('maps media and frames and refuses escapes', () => {
    expect(pixelFile('/__pixel/media/hands/x.jpg', '/m', '/f')).toBe('/m/hands/x.jpg');
    expect(pixelFile('/__pixel/frames/asl/00001.png', '/m', '/f')).toBe('/f/asl/00001.png');
    expect(pixelFile('/__pixel/media/../../etc/passwd', '/m', '/f')).toBeNull();
    expect(pixelFile('/__pixel/other/x', '/m', '/f')).toBeNull();
  });
});
