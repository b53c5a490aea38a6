/**
 * The hand annotation of shared/media's bottle clip (intel_bottle.annotations.json) and the POS
 * script derived from it: a scan for each lift-out a scenario marks scanned, none for the others
 * (the planted missed scans). Plain TypeScript, tested in Node.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { LaneZones, Point } from '../../../src/core/lane/zones.ts';
import { describeZoneProblems, validateLaneZones } from '../../../src/core/lane/zoneValidation.ts';
import type { PosEvent } from '../../../src/core/pos/events.ts';

export type MoveKind = 'pickupToBagging' | 'baggingToPickup';

export interface AnnotatedMove {
  id: string;
  startS: number;
  endS: number;
  from: string;
  to: string;
  kind: MoveKind;
  hands: number;
  /** When the bottle crosses the scanner band (lift-outs only). */
  crossesScannerS?: number;
  note?: string;
}

export interface PosScenario {
  description: string;
  /** Lift-outs rung up; every other lift-out is a planted missed scan. */
  scanned: string[];
}

export interface BottleAnnotations {
  v: 1;
  video: string;
  width: number;
  height: number;
  fps: number;
  frames: number;
  durationS: number;
  zones: LaneZones;
  positions: Record<string, Point>;
  moves: AnnotatedMove[];
  pos: {
    gtin: string;
    name: string;
    unitPrice: number;
    scanLatencyS: number;
    scenarios: Record<string, PosScenario>;
  };
}

export const ANNOTATIONS_FILE = path.join(import.meta.dirname, 'intel_bottle.annotations.json');

function fail(msg: string): never {
  throw new Error(`intel_bottle.annotations.json: ${msg}`);
}

/** Parses and checks the file: times inside the clip, known positions, scenarios naming lift-outs. */
export function parseAnnotations(json: unknown): BottleAnnotations {
  const a = json as BottleAnnotations;
  if (!a || a.v !== 1) fail('expected {"v": 1, ...}');
  for (const k of ['width', 'height', 'fps', 'frames', 'durationS'] as const)
    if (typeof a[k] !== 'number' || !(a[k] > 0)) fail(`"${k}" must be a positive number`);
  const zones = validateLaneZones(a.zones);
  if (!zones.ok) fail(`zones: ${describeZoneProblems(zones.problems).join('; ')}`);
  if (!Array.isArray(a.moves) || a.moves.length === 0) fail('no moves');
  const ids = new Set<string>();
  for (const m of a.moves) {
    if (ids.has(m.id)) fail(`move id ${m.id} repeated`);
    ids.add(m.id);
    if (!(m.startS >= 0 && m.endS > m.startS && m.endS <= a.durationS)) fail(`move ${m.id}: bad start/end`);
    if (!a.positions[m.from] || !a.positions[m.to]) fail(`move ${m.id}: unknown position`);
    if (m.kind !== 'pickupToBagging' && m.kind !== 'baggingToPickup') fail(`move ${m.id}: bad kind`);
    if (m.kind === 'pickupToBagging' && !(m.crossesScannerS! >= m.startS && m.crossesScannerS! <= m.endS))
      fail(`move ${m.id}: a lift-out needs crossesScannerS within its span`);
  }
  for (const [name, s] of Object.entries(a.pos?.scenarios ?? {}))
    for (const id of s.scanned) {
      const m = a.moves.find((x) => x.id === id);
      if (!m || m.kind !== 'pickupToBagging') fail(`scenario ${name}: ${id} is not a lift-out`);
    }
  return a;
}

export function loadAnnotations(file = ANNOTATIONS_FILE): BottleAnnotations {
  return parseAnnotations(JSON.parse(fs.readFileSync(file, 'utf8')));
}

export interface ScenarioTruth {
  /** Lift-outs without a scan: each should raise a suspicion. */
  planted: AnnotatedMove[];
  /** Scanned lift-outs and put-backs: none should. */
  honest: AnnotatedMove[];
}

export function scenarioTruth(a: BottleAnnotations, scenario: string): ScenarioTruth {
  const s = a.pos.scenarios[scenario];
  if (!s) throw new Error(`unknown scenario ${scenario}`);
  const planted = a.moves.filter((m) => m.kind === 'pickupToBagging' && !s.scanned.includes(m.id));
  const honest = a.moves.filter((m) => !planted.includes(m));
  return { planted, honest };
}

/**
 * The POS side of a scenario on the POS clock (`t0Ms` = media time 0): the transaction opens
 * before the clip, each scanned lift-out is rung up scanLatencyS after it crosses the scanner,
 * and the shopper pays after the last move (so no unpaid suspicion is planted).
 */
export function scriptPos(
  a: BottleAnnotations,
  scenario: string,
  t0Ms: number,
  lane = 'L01',
): { atMs: number; event: PosEvent }[] {
  const s = a.pos.scenarios[scenario];
  if (!s) throw new Error(`unknown scenario ${scenario}`);
  const txn = `bottle-${scenario}`;
  let seq = 0;
  const out: { atMs: number; event: PosEvent }[] = [];
  const push = (atMs: number, body: Record<string, unknown>) => {
    const event = { v: 1, lane, txn, seq: ++seq, at: new Date(atMs).toISOString(), ...body } as PosEvent;
    out.push({ atMs, event });
  };
  push(t0Ms - 1000, { type: 'transaction.started' });
  const scans = a.moves
    .filter((m) => s.scanned.includes(m.id))
    .map((m) => t0Ms + (m.crossesScannerS! + a.pos.scanLatencyS) * 1000)
    .sort((x, y) => x - y);
  scans.forEach((atMs, i) =>
    push(atMs + i, {
      type: 'item.added',
      line: i + 1,
      gtin: a.pos.gtin,
      name: a.pos.name,
      unitPrice: a.pos.unitPrice,
      qty: 1,
    }),
  );
  const total = scans.length * a.pos.unitPrice;
  const endMs = t0Ms + (a.durationS + 2) * 1000;
  push(endMs, { type: 'payment.started', amount: total, method: 'card' });
  push(endMs + 1000, { type: 'payment.succeeded', amount: total, method: 'card' });
  push(endMs + 1500, { type: 'transaction.ended' });
  return out;
}
