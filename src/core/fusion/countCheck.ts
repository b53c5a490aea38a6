/**
 * Deferred check for missedScan.countExcess: once an item matched with a scan has landed (and a
 * quantity correction had time to arrive), compare the objects landed on the back of the line
 * with its quantity (rules/countExcess.ts).
 */
import type { FusionConfig } from './config.ts';
import type { PosLedger, ScanRecord } from './posLedger.ts';
import { countExcess, countExplanation } from './rules/countExcess.ts';
import type { SuspicionBook } from './suspicionBook.ts';
import { allTrackIds, type TrackRecord } from './tracks.ts';
import type { TrackStore } from './trackStore.ts';
import type { Suspicion } from './types.ts';

/** How much less count confidence each object beyond the first extra one needs. */
const COUNT_RELIEF_PER_EXTRA = 0.1;

/**
 * Count confidence needed to act on a landing of `count` objects for a line of `qty`: a counter
 * that mistakes one object for two is common, one that sees three or more where there was one
 * is much rarer, so a larger surplus needs less confidence.
 */
export function minCountConfidence(count: number, qty: number, cfg: FusionConfig): number {
  const extra = Math.max(0, count - Math.max(1, qty) - 1);
  return cfg.countMinConfidence - COUNT_RELIEF_PER_EXTRA * Math.min(2, extra);
}

export class CountCheck {
  private pending: { key: number; dueMs: number }[] = [];
  private readonly checked = new Set<number>();

  constructor(
    private readonly cfg: FusionConfig,
    private readonly ledger: PosLedger,
    private readonly tracks: TrackStore,
    private readonly book: SuspicionBook,
  ) {}

  /** Schedules the check for a landing of several objects. */
  schedule(t: TrackRecord): void {
    const p = t.placement;
    if (!p || p.count < 2 || this.checked.has(t.key) || this.pending.some((c) => c.key === t.key)) return;
    this.pending.push({ key: t.key, dueMs: p.endMs + this.cfg.scanMatchWindowMs });
  }

  run(nowMs: number): Suspicion[] {
    const due = this.pending.filter((c) => c.dueMs <= nowMs);
    this.pending = this.pending.filter((c) => c.dueMs > nowMs);
    return due.flatMap((c) => this.decide(c.key, c.dueMs, nowMs));
  }

  nextDueMs(): number | undefined {
    return this.pending.length > 0 ? Math.min(...this.pending.map((c) => c.dueMs)) : undefined;
  }

  prune(): void {
    const keys = new Set(this.tracks.records.map((t) => t.key));
    for (const key of this.checked) if (!keys.has(key)) this.checked.delete(key);
  }

  private decide(key: number, dueMs: number, nowMs: number): Suspicion[] {
    const t = this.tracks.byKey(key);
    const scan = t?.scanId !== undefined ? this.ledger.scan(t.scanId) : undefined;
    const line = scan ? this.ledger.get(scan.txn)?.lines.get(scan.line) : undefined;
    if (!t?.placement || !scan || !line) return [];
    if (t.placement.countConfidence < minCountConfidence(t.placement.count, line.qty, this.cfg)) return [];
    this.checked.add(key);
    const onLine = this.tracks.records.filter(
      (r) => r.decided && r.scanId !== undefined && this.sameLine(r.scanId, scan),
    );
    const placedCounts = onLine.map((r) =>
      r.placement && r.placement.countConfidence >= minCountConfidence(r.placement.count, line.qty, this.cfg)
        ? r.placement.count
        : 1,
    );
    const excess = countExcess({ lineQty: line.voided ? 0 : line.qty, weighed: line.weighed, placedCounts });
    if (excess < 1) return [];
    const placed = placedCounts.reduce((a, b) => a + b, 0);
    const s = this.book.raise(
      {
        type: 'missedScan',
        rule: 'missedScan.countExcess',
        txn: scan.txn,
        confidence: t.placement.countConfidence * t.placement.confidence,
        explanation: countExplanation(scan.name, scan.line, placed, line.qty),
        evidence: {
          startMs: Math.min(scan.atMs, t.placement.startMs),
          endMs: Math.max(scan.atMs, t.placement.endMs),
          trackIds: onLine.flatMap(allTrackIds),
          posSeqs: [scan.seq],
        },
        windowClosedMs: dueMs,
        subject: { gtin: scan.gtin, line: scan.line, name: scan.name },
        trackKey: t.key,
        bagged: true,
      },
      nowMs,
    );
    t.suspicionIds.push(s.id);
    return [s];
  }

  private sameLine(scanId: number, scan: ScanRecord): boolean {
    const other = this.ledger.scan(scanId);
    return other !== undefined && other.txn === scan.txn && other.line === scan.line;
  }
}
