import type { ChunkRing, ChunkSelection } from './chunkRing.ts';

/**
 * Which part of the ring belongs to which transaction, and how far each open transaction has
 * already been handed out as checkpoints. Pure bookkeeping; the worker owns the timers.
 */
export interface TxnState {
  txn: string;
  /** Monotonic ms; undefined when only the end was marked (e.g. the page reloaded mid-transaction). */
  startMs: number | undefined;
  endMs: number | undefined;
  /** Capture time (a keyframe) up to which checkpoints have covered this transaction, exclusive. */
  flushedUntilMs: number | undefined;
  checkpointSeq: number;
}

export interface ClipWindow {
  fromMs: number;
  toMs: number;
}

export interface WindowOptions {
  preMs: number;
  postMs: number;
  maxTransactionMs: number;
}

export interface CheckpointSelection extends ChunkSelection {
  seq: number;
}

export class TransactionBook {
  private readonly txns = new Map<string, TxnState>();

  /** Marking a start twice keeps the first mark: the lane controller may replay its state. */
  start(txn: string, atMs: number): void {
    const known = this.txns.get(txn);
    if (known?.startMs !== undefined) return;
    this.txns.set(txn, {
      txn,
      startMs: atMs,
      endMs: known?.endMs,
      flushedUntilMs: undefined,
      checkpointSeq: 0,
    });
  }

  /** Returns the clip window, or undefined when this end was already marked. */
  end(txn: string, atMs: number, opts: WindowOptions): ClipWindow | undefined {
    const known = this.txns.get(txn);
    if (known?.endMs !== undefined) return undefined;
    const state: TxnState = known ?? {
      txn,
      startMs: undefined,
      endMs: undefined,
      flushedUntilMs: undefined,
      checkpointSeq: 0,
    };
    state.endMs = atMs;
    this.txns.set(txn, state);
    return clipWindow(state, opts);
  }

  get(txn: string): TxnState | undefined {
    return this.txns.get(txn);
  }

  remove(txn: string): void {
    this.txns.delete(txn);
  }

  /** Transactions started and not yet ended: the ones checkpoints are taken for. */
  open(): TxnState[] {
    return [...this.txns.values()].filter((t) => t.startMs !== undefined && t.endMs === undefined);
  }

  get size(): number {
    return this.txns.size;
  }
}

/**
 * From `preMs` before the start to `postMs` after the end. A transaction longer than the cap keeps
 * its last `maxTransactionMs` (the ring cannot hold more anyway); an unknown start means "as far
 * back as the cap allows".
 */
export function clipWindow(state: TxnState, opts: WindowOptions): ClipWindow {
  const endMs = state.endMs ?? state.startMs ?? 0;
  const earliest = endMs - opts.maxTransactionMs - opts.preMs;
  const fromMs = state.startMs === undefined ? earliest : Math.max(state.startMs - opts.preMs, earliest);
  return { fromMs, toMs: endMs + opts.postMs };
}

/**
 * The next checkpoint of an open transaction: everything from where the last one stopped up to,
 * not including, the newest keyframe. Ending on a keyframe boundary means every checkpoint starts
 * with a keyframe and plays on its own, and the checkpoints together cover the transaction with no
 * gap or overlap. Returns null when no new keyframe arrived since the last checkpoint.
 */
export function takeCheckpoint(ring: ChunkRing, state: TxnState, preMs: number): CheckpointSelection | null {
  if (state.startMs === undefined || state.endMs !== undefined) return null;
  const newest = ring.lastMs;
  if (newest === undefined) return null;
  const cutKey = ring.keyAtOrBefore(newest);
  const fromMs = state.flushedUntilMs ?? state.startMs - preMs;
  if (cutKey === undefined || cutKey <= fromMs) return null;
  const selection = ring.select(fromMs, cutKey - 1e-3);
  if (selection.chunks.length === 0) return null;
  state.flushedUntilMs = cutKey;
  state.checkpointSeq += 1;
  return { ...selection, seq: state.checkpointSeq };
}
