/**
 * CLI: replays the FrameObservations saved by bottleDump.ts through the current tracker and the
 * fusion engine, in Node, in a second. For tuning the tracker's rules against the real clip; the
 * figures to report still come from run.ts (the worker in Chromium).
 *
 *   node --import tsx tests/eval/pixel/bottleReplay.ts OBS.jsonl [--frames]
 *
 * --frames also prints every analysed frame with hands inside an annotated move (palm zone, grasp
 * zone, holding), the evidence to read before changing a rule.
 */
import fs from 'node:fs';
import type { FrameObservation } from '../../../src/core/perception/frameObservation.ts';
import { zoneAt } from '../../../src/core/lane/zones.ts';
import { PerceptionTracker } from '../../../src/core/perception/tracker.ts';
import { graspPoint, palmCentre } from '../../../src/core/perception/trackerHands.ts';
import type { PerceptionEvent } from '../../../src/core/perception/events.ts';
import { loadAnnotations } from './annotations.ts';
import { POS_T0_MS } from './bottleRun.ts';
import { scoreAll, toPosClock } from './bottleScore.ts';

const [file, ...flags] = process.argv.slice(2);
if (!file) throw new Error('usage: bottleReplay.ts OBS.jsonl [--frames]');
const rows = fs.readFileSync(file, 'utf8').trim().split('\n');
const frames = rows.slice(1).map((l) => JSON.parse(l) as FrameObservation);
if (frames.length === 0)
  throw new Error(`${file} holds no observations (was the kiosk built with VITE_TRACKER_DUMP=1?)`);
const a = loadAnnotations();
// Media pace: frame i is stamped t0 + i / fps, and the first frame always reaches the tracker.
const t0 = frames[0]!.tMs;
const toMedia = (t: number) => t - t0;
const s = (t: number) => (toMedia(t) / 1000).toFixed(2);

const tracker = new PerceptionTracker(a.zones);
const events: PerceptionEvent[] = [];
for (const f of frames) {
  const out = tracker.push(f);
  events.push(...out);
  if (!flags.includes('--frames') || !f.analysed || f.hands.length === 0) continue;
  const ms = toMedia(f.tMs) / 1000;
  const move = a.moves.find((m) => ms >= m.startS - 0.5 && ms <= m.endS + 0.5);
  const hands = f.hands
    .map((h) => {
      const p = palmCentre(h);
      const g = graspPoint(h);
      return (
        `[palm ${p.x.toFixed(2)},${p.y.toFixed(2)} ${zoneAt(p, a.zones.zones) ?? '-'} ` +
        `grasp ${g.y.toFixed(2)} ${zoneAt(g, a.zones.zones) ?? '-'} hold ${h.holding.toFixed(2)} sc ${h.score.toFixed(2)}]`
      );
    })
    .join(' ');
  console.log(`${s(f.tMs)} ${move?.id ?? '  '} bag occ ${(f.occupancy.bagging ?? 0).toFixed(3)} ${hands}`);
}
for (const e of [...events].sort((x, y) => x.startMs - y.startMs)) {
  const { v, atMs, startMs, endMs, type, confidence, ...rest } = e;
  void v;
  void atMs;
  console.log(`${s(startMs)}-${s(endMs)} ${type} ${JSON.stringify(rest)} conf ${confidence.toFixed(2)}`);
}
for (const sc of scoreAll(a, toPosClock(events, toMedia, POS_T0_MS), POS_T0_MS))
  console.log(
    `scenario ${sc.scenario}: ${sc.suspicions} suspicions, planted ${sc.planted} detected ${sc.detected.join(',') || '-'} ` +
      `false alarms ${sc.falseAlarms.length} ${JSON.stringify(sc.falseAlarms)} unattributed ${sc.unattributed.length}`,
  );
