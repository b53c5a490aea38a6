import path from 'node:path';
import type { PosEvent } from '../../../src/core/pos/events.ts';
import { LaneEventLog, type AppendOutcome } from './eventLog.ts';

/** What the relay sends a kiosk over its WebSocket. */
export type RelayMessage =
  | { kind: 'hello'; lane: string; lastSeq: number }
  | { kind: 'pos'; event: PosEvent }
  | { kind: 'diagnostic'; code: string; message: string; seq?: number; at: string };

type Listener = (msg: RelayMessage) => void;

/** Holds every lane's event log and the kiosks listening to it. */
export class LaneHub {
  private readonly logs = new Map<string, LaneEventLog>();
  private readonly listeners = new Map<string, Set<Listener>>();

  constructor(
    private readonly dataDir: string,
    private readonly replayWindow: number,
  ) {}

  log(lane: string): LaneEventLog {
    let log = this.logs.get(lane);
    if (!log) {
      log = new LaneEventLog(path.join(this.dataDir, 'lanes', lane), lane, this.replayWindow);
      this.logs.set(lane, log);
    }
    return log;
  }

  publish(lane: string, event: PosEvent): AppendOutcome {
    const outcome = this.log(lane).append(event);
    if (outcome === 'accepted') this.emit(lane, { kind: 'pos', event });
    return outcome;
  }

  /** Rejected input is shown on the lane's screen too, so a POS integrator sees problems where they happen. */
  diagnose(lane: string, code: string, message: string, seq?: number): void {
    this.emit(lane, {
      kind: 'diagnostic',
      code,
      message,
      at: new Date().toISOString(),
      ...(seq === undefined ? {} : { seq }),
    });
  }

  subscribe(lane: string, listener: Listener): () => void {
    let set = this.listeners.get(lane);
    if (!set) {
      set = new Set();
      this.listeners.set(lane, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  listenerCount(lane: string): number {
    return this.listeners.get(lane)?.size ?? 0;
  }

  private emit(lane: string, msg: RelayMessage): void {
    for (const listener of this.listeners.get(lane) ?? []) listener(msg);
  }
}
