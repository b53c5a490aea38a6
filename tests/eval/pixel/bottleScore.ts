/**
 * Fusion of the perception events the worker produced on the bottle clip with a scripted POS, and
 * the score against the annotation: recall of the planted missed scans, false alarms on the honest
 * moves. Plain TypeScript (Node-tested); the events come from the real browser run.
 */
import { FusionEngine } from '../../../src/core/fusion/engine.ts';
import type { Suspicion } from '../../../src/core/fusion/types.ts';
import type { PerceptionEvent } from '../../../src/core/perception/events.ts';
import type { PosEvent } from '../../../src/core/pos/events.ts';
import { scenarioTruth, scriptPos, type AnnotatedMove, type BottleAnnotations } from './annotations.ts';

const TICK_MS = 100;
/** A suspicion counts for a move when its evidence frames come within this of the move's span. */
export const MATCH_SLACK_MS = 2000;

/**
 * Recorder-clock time -> media ms, from the stamp each frame was pushed with (frame i is media
 * i / fps): the last frame stamped at or before `t`, plus the time since, up to the next frame.
 */
export function recorderToMedia(stampsMs: readonly number[], fps: number): (t: number) => number {
  if (stampsMs.length === 0) throw new Error('no frames were pushed');
  const frameMs = 1000 / fps;
  return (t) => {
    let lo = 0;
    let hi = stampsMs.length - 1;
    if (t < stampsMs[0]!) return t - stampsMs[0]!;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (stampsMs[mid]! <= t) lo = mid;
      else hi = mid - 1;
    }
    const since = t - stampsMs[lo]!;
    return lo * frameMs + (lo === stampsMs.length - 1 ? since : Math.min(since, frameMs));
  };
}

/** Recorder-clock events -> POS clock, media time 0 at `posT0Ms`. */
export function toPosClock(
  events: readonly PerceptionEvent[],
  toMedia: (t: number) => number,
  posT0Ms: number,
): PerceptionEvent[] {
  const f = (t: number) => posT0Ms + toMedia(t);
  return events.map((e) => ({ ...e, atMs: f(e.atMs), startMs: f(e.startMs), endMs: f(e.endMs) }));
}

/** Everything the engine raised (resolved ones too), playing events in arrival order with a 100 ms tick. */
export function replay(
  perception: readonly PerceptionEvent[],
  pos: readonly { atMs: number; event: PosEvent }[],
): Suspicion[] {
  type Entry = { at: number; order: number; p?: PerceptionEvent; pos?: PosEvent };
  const entries: Entry[] = [
    ...perception.map((p, i) => ({ at: p.atMs, order: i, p })),
    ...pos.map((x, i) => ({ at: x.atMs, order: perception.length + i, pos: x.event })),
  ].sort((a, b) => a.at - b.at || a.order - b.order);
  const engine = new FusionEngine();
  const raised = new Map<string, Suspicion>();
  const keep = (list: Suspicion[]) => list.forEach((s) => raised.set(s.id, s));
  if (entries.length === 0) return [];
  let now = entries[0]!.at;
  const end = entries[entries.length - 1]!.at + 30_000;
  let i = 0;
  while (now <= end) {
    while (i < entries.length && entries[i]!.at <= now) {
      const e = entries[i++]!;
      if (e.p) keep(engine.onPerception(e.p));
      else if (e.pos) keep(engine.onPos(e.pos, e.at));
    }
    keep(engine.tick(now));
    now += TICK_MS;
  }
  return [...raised.values()];
}

function overlaps(s: Suspicion, m: AnnotatedMove, posT0Ms: number): boolean {
  const a = posT0Ms + m.startS * 1000 - MATCH_SLACK_MS;
  const b = posT0Ms + m.endS * 1000 + MATCH_SLACK_MS;
  return s.evidence.startMs <= b && s.evidence.endMs >= a;
}

export interface ScenarioScore {
  scenario: string;
  planted: number;
  detected: string[];
  missed: string[];
  recall: number | null;
  honestMoves: number;
  /** Suspicions whose evidence lies on an honest move and on no planted one. */
  falseAlarms: { rule: string; type: string; moves: string[]; startS: number; endS: number }[];
  /** Suspicions that match no annotated move at all (e.g. the arm's shadow, the tracker's noise). */
  unattributed: { rule: string; type: string; startS: number; endS: number }[];
  suspicions: number;
}

const ITEM_TYPES = new Set(['missedScan', 'noScan']);

export function scoreScenario(
  a: BottleAnnotations,
  scenario: string,
  suspicions: readonly Suspicion[],
  posT0Ms: number,
): ScenarioScore {
  const truth = scenarioTruth(a, scenario);
  const secs = (ms: number) => Math.round((ms - posT0Ms) / 100) / 10;
  // One suspicion is one object: two planted moves at the same time (two hands) need two.
  const used = new Set<Suspicion>();
  const detected = truth.planted.filter((m) => {
    const s = suspicions.find((x) => !used.has(x) && ITEM_TYPES.has(x.type) && overlaps(x, m, posT0Ms));
    if (s) used.add(s);
    return s !== undefined;
  });
  const falseAlarms: ScenarioScore['falseAlarms'] = [];
  const unattributed: ScenarioScore['unattributed'] = [];
  for (const s of suspicions) {
    if (truth.planted.some((m) => overlaps(s, m, posT0Ms))) continue;
    const on = truth.honest.filter((m) => overlaps(s, m, posT0Ms)).map((m) => m.id);
    const row = {
      rule: s.rule,
      type: s.type,
      startS: secs(s.evidence.startMs),
      endS: secs(s.evidence.endMs),
    };
    if (on.length) falseAlarms.push({ ...row, moves: on });
    else unattributed.push(row);
  }
  return {
    scenario,
    planted: truth.planted.length,
    detected: detected.map((m) => m.id),
    missed: truth.planted.filter((m) => !detected.includes(m)).map((m) => m.id),
    recall: truth.planted.length ? detected.length / truth.planted.length : null,
    honestMoves: truth.honest.length,
    falseAlarms,
    unattributed,
    suspicions: suspicions.length,
  };
}

export function scoreAll(
  a: BottleAnnotations,
  perceptionOnPosClock: readonly PerceptionEvent[],
  posT0Ms: number,
): ScenarioScore[] {
  return Object.keys(a.pos.scenarios).map((name) =>
    scoreScenario(a, name, replay(perceptionOnPosClock, scriptPos(a, name, posT0Ms)), posT0Ms),
  );
}
