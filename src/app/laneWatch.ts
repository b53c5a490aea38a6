/**
 * The lane's loss-prevention loop at run time: POS events and camera (perception) events go into a
 * FusionEngine, its suspicions through the escalation policy, and the policy's commands out to the
 * shopper's screen (a nudge with a replay), the voice prompts and the lane light / guide wall.
 * No DOM: time and timers are injected, so tests drive it with a fake clock.
 *
 * One engine per transaction, replaced when the next transaction starts, so one shopper's
 * evidence can never raise or clear anything for the next one.
 */
import { FusionEngine } from '../core/fusion/engine.ts';
import {
  escalate,
  initialEscalationState,
  type EscalationCommand,
  type EscalationInput,
  type EscalationState,
} from '../core/fusion/escalation.ts';
import type { FusionConfig } from '../core/fusion/config.ts';
import type { Suspicion, SuspicionType } from '../core/fusion/types.ts';
import type { PosEvent } from '../core/pos/events.ts';
import type { PerceptionEvent } from '../core/perception/events.ts';
import { validatePerceptionEvent } from '../core/perception/validate.ts';
import type { RecordedSuspicion } from '../core/evidence/record.ts';
import { Observable } from './observable.ts';
import type { VisionConfig } from './laneWatchConfig.ts';
import { SuspicionLog } from './laneWatchRecords.ts';

export interface NudgeState {
  txn: string;
  suspicionId: string;
  type: SuspicionType;
  /** 'nudge': the shopper is asked to check; 'guide': a staff member is coming to help. */
  stage: 'nudge' | 'guide';
  /** Frames to replay (epoch ms, POS clock). */
  replay: { startMs: number; endMs: number };
  shownAtMs: number;
}

/** What the watch asks of the lane machine (LaneController.signal). */
export type LaneSignal = 'anomalySuspected' | 'anomalyCleared' | 'lock';

export interface LaneWatchStats {
  nudges: number;
  selfCorrected: number;
  escalated: number;
  retracted: number;
}

export interface LaneWatchDeps {
  vision: VisionConfig;
  fusion?: Partial<FusionConfig>;
  /** Epoch ms, the POS clock (Date.now()). */
  now: () => number;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  playPrompt: (kind: 'nudgeCheckScan' | 'guideCalled') => void;
  signalLane: (signal: LaneSignal) => void;
  /** A transaction's suspicions changed (raised, resolved, escalated): its record needs (re)sealing. */
  onSuspicionsChanged?: (txn: string) => void;
  log?: (message: string, detail?: unknown) => void;
}

/**
 * Perception events this long before a transaction's first POS event still belong to it: the
 * first item is often at the scanner before the POS opens the order.
 */
const PRE_START_MS = 3000;
/** Recent perception kept to hand to the next transaction's engine. */
const PERCEPTION_BUFFER_MS = 10_000;

export class LaneWatch {
  readonly nudge = new Observable<NudgeState | null>(null);
  readonly stats: LaneWatchStats = { nudges: 0, selfCorrected: 0, escalated: 0, retracted: 0 };
  private engine: FusionEngine;
  private escalation: EscalationState = initialEscalationState();
  private txn: string | null = null;
  /**
   * Whether the camera reported anything for this transaction. Without it the engine can only
   * reason from scans (a void looks like an item kept), so an unwatched transaction raises nothing.
   */
  private watched = false;
  private alerted = false;
  private recent: PerceptionEvent[] = [];
  private readonly log: SuspicionLog;
  private timer: unknown = null;
  private timerDueMs = Infinity;

  constructor(private readonly deps: LaneWatchDeps) {
    this.engine = new FusionEngine(deps.fusion);
    this.log = new SuspicionLog();
  }

  get enabled(): boolean {
    return this.deps.vision.enabled;
  }

  /** Every POS event the controller applied, in order; `replayed` history is not judged again. */
  onPos(event: PosEvent, replayed = false): void {
    if (!this.enabled || replayed) return;
    const parsed = Date.parse(event.at);
    const atMs = Number.isFinite(parsed) ? parsed : this.deps.now();
    if (event.txn !== this.txn) this.startTransaction(event.txn, atMs);
    this.handle(this.engine.onPos(event, atMs));
    if (event.type === 'transaction.ended') this.clearLightIfSettled();
    this.schedule();
  }

  /**
   * Perception events on the POS clock (convert the recorder clock first). Invalid ones are
   * dropped with a log line; returns how many were taken.
   */
  onPerception(events: readonly unknown[]): number {
    if (!this.enabled) return 0;
    let taken = 0;
    for (const raw of events) {
      const checked = validatePerceptionEvent(raw);
      if (!checked.ok) {
        this.deps.log?.(`perception event dropped: ${checked.errors.join('; ')}`);
        continue;
      }
      taken++;
      this.remember(checked.event);
      this.watched = true;
      this.handle(this.engine.onPerception(checked.event));
    }
    this.schedule();
    return taken;
  }

  /** The shopper's answer on the nudge. The suspicion stays open: only a fix or a guide closes it. */
  answerNudge(answer: 'continue' | 'scanAgain'): void {
    const shown = this.nudge.get();
    if (!shown) return;
    this.log.answer(shown.txn, shown.suspicionId, answer);
    this.nudge.set(null);
    this.deps.onSuspicionsChanged?.(shown.txn);
  }

  /** Suspicions of a transaction, as its order record keeps them. */
  suspicionsFor(txn: string): RecordedSuspicion[] {
    return this.log.list(txn);
  }

  dispose(): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
    this.nudge.set(null);
  }

  private startTransaction(txn: string, atMs: number): void {
    this.clearLightIfSettled();
    this.txn = txn;
    this.engine = new FusionEngine(this.deps.fusion);
    this.watched = false;
    if (this.nudge.get()) this.nudge.set(null);
    this.step({ kind: 'txnStarted', txn });
    const carried = this.recent.filter((e) => e.endMs >= atMs - PRE_START_MS);
    for (const e of carried) this.engine.onPerception(e);
    this.watched = carried.length > 0;
  }

  private remember(event: PerceptionEvent): void {
    const horizon = event.atMs - PERCEPTION_BUFFER_MS;
    this.recent = this.recent.filter((e) => e.endMs >= horizon);
    this.recent.push(event);
  }

  private handle(suspicions: readonly Suspicion[]): void {
    for (const s of suspicions) {
      if (s.txn !== this.txn) {
        this.deps.log?.(
          `suspicion ${s.id} for ${s.txn || 'no transaction'} ignored (lane is on ${this.txn})`,
        );
        continue;
      }
      if (!this.watched) {
        this.deps.log?.(`suspicion ${s.id} (${s.rule}) ignored: no camera evidence in ${s.txn}`);
        continue;
      }
      this.log.onSuspicion(s);
      this.step({ kind: 'suspicion', suspicion: s });
      this.deps.onSuspicionsChanged?.(s.txn);
    }
  }

  private step(input: EscalationInput): void {
    const { state, commands } = escalate(this.escalation, input, this.deps.vision);
    this.escalation = state;
    if (state.txn !== null) this.log.syncStatuses(state.txn, state.items);
    for (const c of commands) this.run(c);
  }

  private run(c: EscalationCommand): void {
    const now = this.deps.now();
    switch (c.type) {
      case 'nudge':
        this.stats.nudges++;
        this.log.markNudged(c.txn, c.suspicionId);
        this.nudge.set({
          txn: c.txn,
          suspicionId: c.suspicionId,
          type: this.log.typeOf(c.txn, c.suspicionId) ?? 'missedScan',
          stage: 'nudge',
          replay: { startMs: c.replay.startMs, endMs: c.replay.endMs },
          shownAtMs: now,
        });
        this.deps.playPrompt('nudgeCheckScan');
        return;
      case 'selfCorrected':
      case 'withdrawn':
        if (c.type === 'selfCorrected') this.stats.selfCorrected++;
        else this.stats.retracted++;
        if (this.nudge.get()?.suspicionId === c.suspicionId) this.nudge.set(null);
        if (c.type === 'withdrawn') this.clearLightIfSettled(true);
        return;
      case 'alertGuide': {
        this.stats.escalated += c.suspicionIds.length;
        this.alerted = true;
        this.deps.signalLane('anomalySuspected');
        this.deps.playPrompt('guideCalled');
        const last = c.suspicionIds[c.suspicionIds.length - 1];
        const evidence = last ? this.log.evidenceOf(c.txn, last) : undefined;
        // Nobody to show it to when the shopper has left; otherwise say help is coming.
        if (c.reason !== 'noNudgePossible' && last && evidence) {
          this.nudge.set({
            txn: c.txn,
            suspicionId: last,
            type: this.log.typeOf(c.txn, last) ?? 'missedScan',
            stage: 'guide',
            replay: evidence,
            shownAtMs: now,
          });
        }
        return;
      }
      case 'lock':
        this.deps.signalLane('lock');
        return;
    }
  }

  /**
   * The guide light goes off by itself only once nothing escalated is still open: every alerted
   * suspicion was withdrawn (`onlyIfWithdrawn`), or the transaction ended with all of them fixed.
   * Anything else waits for staff (LaneController.guideCleared).
   */
  private clearLightIfSettled(onlyIfWithdrawn = false): void {
    if (!this.alerted) return;
    const escalated = this.escalation.items.filter((i) => this.log.wasEscalated(this.escalation.txn, i.id));
    const settled = onlyIfWithdrawn
      ? escalated.every((i) => i.status === 'retracted')
      : escalated.every((i) => i.status === 'retracted' || i.status === 'selfCorrected');
    if (!settled || this.escalation.locked) return;
    this.alerted = false;
    this.deps.signalLane('anomalyCleared');
  }

  /** One timer, at the engine's next decision or the next nudge time-out, whichever is first. */
  private schedule(): void {
    const due = this.nextDueMs();
    if (due === undefined) return;
    if (this.timer !== null && due >= this.timerDueMs) return;
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timerDueMs = due;
    this.timer = this.deps.setTimer(
      () => {
        this.timer = null;
        this.timerDueMs = Infinity;
        this.tick();
      },
      Math.max(0, due - this.deps.now()),
    );
  }

  private nextDueMs(): number | undefined {
    let due = this.engine.nextDueMs();
    for (const i of this.escalation.items) {
      if (i.status !== 'nudged') continue;
      const t = i.raisedAtMs + this.deps.vision.nudgeTimeoutMs;
      if (due === undefined || t < due) due = t;
    }
    return due;
  }

  private tick(): void {
    const now = this.deps.now();
    this.handle(this.engine.tick(now));
    const before = this.escalation;
    this.step({ kind: 'tick', nowMs: now });
    if (before !== this.escalation && this.escalation.txn)
      this.deps.onSuspicionsChanged?.(this.escalation.txn);
    this.schedule();
  }
}
