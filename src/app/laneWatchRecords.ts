/**
 * The lane watch's memory of what it raised and what became of it, per transaction, in the form
 * the order record keeps (RecordedSuspicion). Bounded: only the last transactions are kept, since
 * a record is sealed when its transaction closes and resealed for late changes soon after.
 */
import type { EscalationItem } from '../core/fusion/escalation.ts';
import type { Suspicion, SuspicionType } from '../core/fusion/types.ts';
import type { RecordedSuspicion, SuspicionOutcome } from '../core/evidence/record.ts';

const KEEP_TRANSACTIONS = 20;

const OUTCOME: Record<EscalationItem['status'], SuspicionOutcome> = {
  nudged: 'open',
  escalated: 'escalated',
  selfCorrected: 'selfCorrected',
  retracted: 'retracted',
  ignored: 'ignored',
};

interface Entry {
  record: RecordedSuspicion;
  type: SuspicionType;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export class SuspicionLog {
  private readonly byTxn = new Map<string, Map<string, Entry>>();

  /** A raised suspicion or a resolution record (same id, `resolved` set). */
  onSuspicion(s: Suspicion): void {
    const entries = this.entries(s.txn);
    const known = entries.get(s.id);
    if (s.resolved) {
      if (known && s.resolvedAtMs !== undefined) known.record.resolvedAt = iso(s.resolvedAtMs);
      return;
    }
    if (known) return;
    const record: RecordedSuspicion = {
      id: s.id,
      type: s.type,
      rule: s.rule,
      confidence: s.confidence,
      explanation: s.explanation,
      evidence: {
        startMs: s.evidence.startMs,
        endMs: s.evidence.endMs,
        trackIds: [...s.evidence.trackIds],
        posSeqs: [...s.evidence.posSeqs],
      },
      raisedAt: iso(s.raisedAtMs),
      outcome: 'open',
      nudged: false,
      escalated: false,
    };
    // Product identity only: a name may be long free text and the lines already hold it.
    if (s.subject?.gtin !== undefined || s.subject?.line !== undefined) {
      record.subject = {};
      if (s.subject.gtin !== undefined) record.subject.gtin = s.subject.gtin;
      if (s.subject.line !== undefined) record.subject.line = s.subject.line;
    }
    entries.set(s.id, { record, type: s.type });
  }

  /** Mirrors the escalation policy's view of each item into its record. */
  syncStatuses(txn: string, items: readonly EscalationItem[]): void {
    const entries = this.byTxn.get(txn);
    if (!entries) return;
    for (const item of items) {
      const e = entries.get(item.id);
      if (!e) continue;
      e.record.outcome = OUTCOME[item.status];
      if (item.status === 'escalated') e.record.escalated = true;
    }
  }

  markNudged(txn: string, id: string): void {
    const e = this.byTxn.get(txn)?.get(id);
    if (e) e.record.nudged = true;
  }

  answer(txn: string, id: string, answer: 'continue' | 'scanAgain'): void {
    const e = this.byTxn.get(txn)?.get(id);
    if (e) e.record.shopperAnswer = answer;
  }

  typeOf(txn: string, id: string): SuspicionType | undefined {
    return this.byTxn.get(txn)?.get(id)?.type;
  }

  evidenceOf(txn: string, id: string): { startMs: number; endMs: number } | undefined {
    const e = this.byTxn.get(txn)?.get(id);
    return e ? { startMs: e.record.evidence.startMs, endMs: e.record.evidence.endMs } : undefined;
  }

  wasEscalated(txn: string | null, id: string): boolean {
    return txn !== null && this.byTxn.get(txn)?.get(id)?.record.escalated === true;
  }

  /** Copies, in the order raised. */
  list(txn: string): RecordedSuspicion[] {
    return [...(this.byTxn.get(txn)?.values() ?? [])].map((e) => structuredClone(e.record));
  }

  private entries(txn: string): Map<string, Entry> {
    let entries = this.byTxn.get(txn);
    if (!entries) {
      entries = new Map();
      this.byTxn.set(txn, entries);
      while (this.byTxn.size > KEEP_TRANSACTIONS) {
        const oldest = this.byTxn.keys().next().value;
        if (oldest === undefined) break;
        this.byTxn.delete(oldest);
      }
    }
    return entries;
  }
}
