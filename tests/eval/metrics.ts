/**
 * Scoring: which labelled abnormal events a suspicion caught, and which suspicions were false
 * alarms. A label counts as detected only by a suspicion of the same type in the same transaction
 * whose evidence overlaps the labelled frames (or shares a track id); an unpaid label only needs
 * the type and transaction.
 */
import type { Suspicion } from '../../src/core/fusion/types.ts';
import type { Label } from './txnBuilder.ts';

/** Slack around labelled frames: evidence may include the scan or a neighbouring frame. */
export const MATCH_TOLERANCE_MS = 3000;

export interface Matching {
  /** Per label (same order as the input): the suspicion that caught it, if any. */
  caughtBy: (Suspicion | undefined)[];
  /** Per label: some suspicion of another type overlapped it (caught, but misfiled). */
  caughtAsOtherType: boolean[];
  /** Suspicions that matched no label. */
  unmatched: Suspicion[];
}

function overlaps(l: Label, s: Suspicion, sameType: boolean): boolean {
  if (s.txn !== l.txn) return false;
  if (sameType && l.type === 'unpaid') return true;
  if (l.trackIds.some((id) => s.evidence.trackIds.includes(id))) return true;
  return (
    s.evidence.endMs >= l.startMs - MATCH_TOLERANCE_MS && s.evidence.startMs <= l.endMs + MATCH_TOLERANCE_MS
  );
}

export function matchLabels(labels: readonly Label[], suspicions: readonly Suspicion[]): Matching {
  const byTxn = new Map<string, Suspicion[]>();
  for (const s of suspicions) byTxn.set(s.txn, [...(byTxn.get(s.txn) ?? []), s]);
  const used = new Set<Suspicion>();
  const caughtBy: (Suspicion | undefined)[] = [];
  const caughtAsOtherType: boolean[] = [];
  for (const l of labels) {
    const candidates = byTxn.get(l.txn) ?? [];
    const hit = candidates.find((s) => !used.has(s) && s.type === l.type && overlaps(l, s, true));
    if (hit) used.add(hit);
    caughtBy.push(hit);
    caughtAsOtherType.push(!hit && candidates.some((s) => s.type !== l.type && overlaps(l, s, false)));
  }
  return { caughtBy, caughtAsOtherType, unmatched: suspicions.filter((s) => !used.has(s)) };
}

/** Nearest-rank percentile; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}
