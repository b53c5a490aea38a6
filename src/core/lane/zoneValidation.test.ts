import { describe, expect, it } from 'vitest';
import type { Point } from './zones.ts';
import { overlapArea, selfIntersects, validateLaneZones, type ZoneValidation } from './zoneValidation.ts';

const rect = (x0: number, y0: number, x1: number, y1: number): Point[] => [
  { x: x0, y: y0 },
  { x: x1, y: y0 },
  { x: x1, y: y1 },
  { x: x0, y: y1 },
];

const good = () => ({
  v: 1,
  updatedAt: '2026-11-22T08:00:00Z',
  zones: {
    pickup: rect(0.05, 0.5, 0.3, 0.95),
    scanner: rect(0.35, 0.4, 0.6, 0.7),
    bagging: rect(0.65, 0.4, 0.95, 0.8),
  },
});

function problemsOf(result: ZoneValidation): string[] {
  return result.ok ? [] : result.problems.map((p) => `${p.zone ?? '*'}: ${p.message}`);
}

describe('validateLaneZones', () => {
  it('accepts a lane with the three required zones, normalising the time and dropping extra fields', () => {
    const input = { ...good(), extra: 'dropped', zones: { ...good().zones, exit: rect(0.8, 0, 1, 0.3) } };
    const result = validateLaneZones(input);
    expect(problemsOf(result)).toEqual([]);
    if (!result.ok) return;
    expect(result.value.updatedAt).toBe('2026-11-22T08:00:00.000Z');
    expect(Object.keys(result.value).sort()).toEqual(['updatedAt', 'v', 'zones']);
    expect(result.value.zones.exit).toEqual(rect(0.8, 0, 1, 0.3));
  });

  it('names each missing required zone, and leaves the exit optional', () => {
    const result = validateLaneZones({ ...good(), zones: { pickup: good().zones.pickup } });
    expect(problemsOf(result)).toEqual([
      'scanner: Scanner zone is missing: draw it on the video.',
      'bagging: Bagging zone is missing: draw it on the video.',
    ]);
  });

  it('refuses too few points, points outside the image, non-finite and non-numeric points', () => {
    const cases: [unknown, RegExp][] = [
      [
        [
          { x: 0.1, y: 0.1 },
          { x: 0.5, y: 0.1 },
        ],
        /at least 3 points; it has 2/,
      ],
      [[...rect(0.1, 0.1, 0.5, 0.5).slice(0, 3), { x: 1.2, y: 0.4 }], /point 4 \(1.2, 0.4\) lies outside/],
      [[{ x: Number.NaN, y: 0 }, ...rect(0.1, 0.1, 0.5, 0.5).slice(1)], /point 1 is not a finite number/],
      [[{ x: '0.1', y: 0 }, ...rect(0.1, 0.1, 0.5, 0.5).slice(1)], /point 1 must be \{ x, y \} numbers/],
      ['a square', /must be a list of points/],
      [Array.from({ length: 65 }, (_, i) => ({ x: i / 100, y: 0.5 })), /65 points; at most 64/],
    ];
    for (const [scanner, message] of cases) {
      const result = validateLaneZones({ ...good(), zones: { ...good().zones, scanner } });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.problems).toHaveLength(1);
        expect(result.problems[0]!.zone).toBe('scanner');
        expect(result.problems[0]!.message).toMatch(message);
      }
    }
  });

  it('refuses a zone below 0.5 % of the image and a flat one, saying how big it is', () => {
    const tiny = validateLaneZones({
      ...good(),
      zones: { ...good().zones, pickup: rect(0.1, 0.1, 0.15, 0.15) },
    });
    expect(problemsOf(tiny)).toEqual([
      'pickup: Pick-up (basket/cart) zone is too small or flat (0.25 % of the image; at least 0.5 % needed): draw it larger.',
    ]);
    const flat = validateLaneZones({
      ...good(),
      zones: {
        ...good().zones,
        pickup: [
          { x: 0.1, y: 0.1 },
          { x: 0.5, y: 0.5 },
          { x: 0.9, y: 0.9 },
        ],
      },
    });
    expect(problemsOf(flat)[0]).toMatch(/^pickup: .*(too small or flat|crosses itself)/);
  });

  it('refuses a self-crossing (bow-tie) zone and a repeated point', () => {
    const bowTie = [
      { x: 0.1, y: 0.1 },
      { x: 0.5, y: 0.5 },
      { x: 0.5, y: 0.1 },
      { x: 0.1, y: 0.5 },
    ];
    expect(problemsOf(validateLaneZones({ ...good(), zones: { ...good().zones, bagging: bowTie } }))).toEqual(
      ['bagging: Bagging zone crosses itself: move its corners so the edges do not cross.'],
    );
    const repeated = [...rect(0.65, 0.4, 0.95, 0.8), { x: 0.65, y: 0.8 }];
    expect(
      problemsOf(validateLaneZones({ ...good(), zones: { ...good().zones, bagging: repeated } })),
    ).toEqual(['bagging: Bagging zone: point 4 is repeated; remove it.']);
  });

  it('refuses scanner and bagging drawn over the same region, but allows a small overlap', () => {
    const same = validateLaneZones({
      ...good(),
      zones: { ...good().zones, bagging: rect(0.36, 0.41, 0.6, 0.7) },
    });
    expect(problemsOf(same)).toHaveLength(1);
    expect(problemsOf(same)[0]).toMatch(
      /^bagging: Scanner and Bagging zones cover largely the same region \(\d+ %/,
    );
    const touching = validateLaneZones({
      ...good(),
      zones: { ...good().zones, bagging: rect(0.55, 0.4, 0.95, 0.8) },
    });
    expect(problemsOf(touching)).toEqual([]);
  });

  it('refuses malformed documents with a message for the whole calibration', () => {
    expect(problemsOf(validateLaneZones(null))).toEqual(['*: The calibration must be a JSON object.']);
    expect(problemsOf(validateLaneZones({ ...good(), v: 2 }))).toEqual([
      '*: Unknown calibration version 2; expected v: 1.',
    ]);
    expect(problemsOf(validateLaneZones({ ...good(), updatedAt: 'yesterday' }))).toEqual([
      '*: updatedAt must be an ISO 8601 time.',
    ]);
    expect(problemsOf(validateLaneZones({ ...good(), zones: [] }))[0]).toMatch(/zones must be an object/);
    expect(
      problemsOf(validateLaneZones({ ...good(), zones: { ...good().zones, scaner: rect(0, 0, 1, 1) } })),
    ).toEqual(['*: Unknown zone "scaner"; zones are pickup, scanner, bagging, exit.']);
  });
});

describe('geometry helpers', () => {
  it('tells simple polygons from crossing ones, concave included', () => {
    const concave = [
      { x: 0, y: 0 },
      { x: 1, y: 0 },
      { x: 1, y: 1 },
      { x: 0.5, y: 0.4 },
      { x: 0, y: 1 },
    ];
    expect(selfIntersects(concave)).toBe(false);
    expect(selfIntersects(rect(0, 0, 1, 1))).toBe(false);
    // An edge that folds straight back onto the previous one.
    expect(
      selfIntersects([
        { x: 0, y: 0 },
        { x: 1, y: 0 },
        { x: 0.5, y: 0 },
        { x: 0.5, y: 1 },
      ]),
    ).toBe(true);
  });

  it('estimates the shared area of two rectangles within 1 %', () => {
    expect(overlapArea(rect(0, 0, 0.5, 0.5), rect(0.25, 0.25, 0.75, 0.75))).toBeCloseTo(0.0625, 3);
    expect(overlapArea(rect(0, 0, 0.2, 0.2), rect(0.5, 0.5, 0.7, 0.7))).toBe(0);
  });
});
