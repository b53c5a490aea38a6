import type { PosEvent, PromptAnswer, PromptKind } from '../core/pos/events.ts';
import type { AcceptResult, Diagnostic, Order, PromptRequest } from '../core/order/types.ts';
import { OrderModel } from '../core/order/orderModel.ts';
import {
  initialLane,
  laneReducer,
  laneState,
  type LaneInput,
  type LaneSnapshot,
  type LaneState,
} from '../core/lane/laneMachine.ts';
import { lightFor, type LightConfig, type LightOutput } from '../core/lane/lightConfig.ts';
import { Observable } from './observable.ts';

export interface ActivePrompt {
  request: PromptRequest;
  shownAtMs: number;
  shownAt: string;
  /** Set once the time-out has called a guide; the dialog stays until answered. */
  guideCalled: boolean;
  deadlineMs: number;
}

export interface VisibleDiagnostic extends Diagnostic {
  id: number;
  at: string;
  source: string;
}

export interface LaneView {
  order: Order | null;
  laneState: LaneState;
  light: LightOutput;
  prompt: ActivePrompt | null;
  queuedPrompts: number;
  diagnostics: VisibleDiagnostic[];
  /** null until the relay connection first succeeds or fails. */
  online: boolean | null;
  lastPrompt: { kind: PromptKind; shownAt: string; answer?: PromptAnswer; answeredAt?: string } | null;
}

export interface LaneControllerDeps {
  lane: string;
  lightConfig: LightConfig;
  promptTimeoutMs: number;
  replayPromptMaxAgeMs: number;
  now: () => number;
  playPrompt: (kind: string) => void;
  stopPrompt: () => void;
  publishStatus: (status: unknown) => void;
  log: (message: string, detail?: unknown) => void;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (handle: unknown) => void;
  /** A transaction opened (explicitly or implicitly): recording marks its start. */
  onTransactionStarted?: (txn: string, atMs: number, replayed: boolean) => void;
  /** A transaction closed (ended, cancelled or superseded), with its final order. */
  onTransactionClosed?: (order: Order, atMs: number, replayed: boolean) => void;
  /** A prompt answer was added to an order after it closed, so its stored record needs resealing. */
  onClosedOrderChanged?: (order: Order) => void;
  /** Every POS event the order model applied, in order (the fusion engine's feed). */
  onPosEvent?: (event: PosEvent, replayed: boolean) => void;
}

const MAX_DIAGNOSTICS = 20;

/**
 * Joins the pure parts (order model, lane machine, light mapping) to the outside world: it takes
 * POS events from any source, raises the blocking prompts of guide 4.1.4 one at a time, runs their
 * time-outs, and publishes the lane's status. The UI only renders `view` and calls `answer`.
 */
export class LaneController {
  readonly view: Observable<LaneView>;
  private readonly model: OrderModel;
  private lane: LaneSnapshot;
  private readonly queue: PromptRequest[] = [];
  private active: ActivePrompt | null = null;
  private timeoutHandle: unknown = null;
  private tickHandle: unknown = null;
  private diagnostics: VisibleDiagnostic[] = [];
  private diagnosticId = 0;
  private online: boolean | null = null;
  private replayUntilSeq = 0;
  private helloSeen = false;
  /** Prompts met while replaying history; judged once the replay is complete. */
  private replayPrompts: PromptRequest[] = [];
  private lastPrompt: LaneView['lastPrompt'] = null;
  /** The open transaction as last seen, to notice opens and closes however they happen. */
  private openTxn: string | null = null;
  /** Opens and closes met while replaying history, reported once the replay is complete. */
  private replayCloses: Order[] = [];
  private replayOpened = false;

  constructor(private readonly deps: LaneControllerDeps) {
    this.model = new OrderModel({ lane: deps.lane });
    this.lane = initialLane();
    this.view = new Observable<LaneView>(this.buildView());
  }

  get lastSeq(): number {
    return this.model.lastSeq;
  }

  get isTransactionOpen(): boolean {
    return this.model.isTransactionOpen;
  }

  /** The relay's hello tells how far its log goes; events up to there are history being replayed. */
  beginReplay(untilSeq: number): void {
    this.replayUntilSeq = untilSeq;
    this.helloSeen = true;
  }

  /**
   * True once the relay has said how far its log goes and that history is in: before that, an
   * order open when the page (re)loaded is not known yet, so nothing may treat the lane as idle.
   */
  get historyReplayed(): boolean {
    // The relay numbers from 1; a hello of 0 means an empty log, nothing to wait for.
    return this.helloSeen && (this.replayUntilSeq <= 0 || this.model.lastSeq >= this.replayUntilSeq);
  }

  ingest(raw: unknown, source: string): void {
    const now = this.deps.now();
    const result = this.model.accept(raw, now);
    this.handle(result, source);
    this.scheduleTick();
  }

  /** A diagnostic produced outside the model (e.g. the relay rejected an event). */
  reportDiagnostic(d: Diagnostic, source: string): void {
    this.pushDiagnostic(d, source);
    this.render();
  }

  setOnline(online: boolean): void {
    this.online = online;
    this.dispatch({ type: 'connectivity', online });
  }

  answer(answer: PromptAnswer): void {
    const active = this.active;
    if (!active) return;
    const now = this.deps.now();
    const at = new Date(now).toISOString();
    const tookMs = now - active.shownAtMs;
    this.model.recordAnswer(active.request.kind, answer, tookMs, at);
    const order = this.model.current;
    if (order && order.txn === active.request.txn && !this.model.isTransactionOpen)
      this.deps.onClosedOrderChanged?.(order);
    this.deps.log(`prompt ${active.request.kind} answered ${answer} after ${tookMs} ms`);
    this.lastPrompt = { kind: active.request.kind, shownAt: active.shownAt, answer, answeredAt: at };
    if (answer === 'timedOut') {
      // The shopper can still answer: the dialog stays, a guide is on the way.
      active.guideCalled = true;
      this.dispatch({ type: 'promptAnswered', answer });
      return;
    }
    this.clearPromptTimer();
    this.deps.stopPrompt();
    this.active = null;
    this.dispatch({ type: 'promptAnswered', answer });
    // "OK, try again" after a failed payment: the shopper is retrying, so the warning clears until it fails again.
    if (active.request.kind === 'paymentFailed' && answer === 'confirmed')
      this.dispatch({ type: 'paymentRetried' });
    this.showNextPrompt();
  }

  /** More time for the shopper (accessibility: time-outs can be extended). */
  extendTime(): void {
    if (!this.active || this.active.guideCalled) return;
    this.clearPromptTimer();
    this.active.deadlineMs = this.deps.now() + this.deps.promptTimeoutMs;
    this.startPromptTimer(this.deps.promptTimeoutMs);
    this.render();
  }

  requestAssistance(reason: string): void {
    this.dispatch({ type: 'assistanceRequested', reason });
  }

  /** Camera + POS suspicions (LaneWatch) drive the anomaly light and the lock. */
  signal(input: 'anomalySuspected' | 'anomalyCleared' | 'lock'): void {
    this.dispatch({ type: input });
  }

  /** The current or a recent order by transaction id (to reseal a closed one). */
  findOrder(txn: string): Order | undefined {
    const current = this.model.current;
    return current?.txn === txn ? current : this.model.history.find((o) => o.txn === txn);
  }

  guideCleared(): void {
    this.dispatch({ type: 'guideCleared' });
  }

  dismissDiagnostic(id: number): void {
    this.diagnostics = this.diagnostics.filter((d) => d.id !== id);
    this.render();
  }

  private handle(result: AcceptResult, source: string): void {
    for (const d of result.diagnostics) {
      this.deps.log(`POS event ${d.outcome} (${d.code}) from ${source}: ${d.message}`, d);
      if (d.outcome !== 'ignored' && !this.isReplay(d.seq)) this.pushDiagnostic(d, source);
    }
    for (const event of result.applied) {
      this.laneFromEvent(event);
      this.deps.onPosEvent?.(event, this.isReplay(event.seq));
    }
    this.noticeTransactionChange(result.applied.some((e) => this.isReplay(e.seq)));
    for (const req of result.prompts) {
      if (this.isReplay(req.seq)) this.replayPrompts.push(req);
      else this.queue.push(req);
    }
    if (this.replayPrompts.length && this.model.lastSeq >= this.replayUntilSeq) {
      this.queue.push(...this.replayPrompts.filter((r) => this.replayedPromptStillDue(r)));
      this.replayPrompts = [];
    }
    if (!this.active) this.showNextPrompt();
    this.render();
  }

  /**
   * Tells recording and storage when a transaction opens or closes. History replayed after a
   * reload or reconnect is reported once, at the end of the replay, flagged as replayed, so old
   * transactions are not recorded or sealed again as if they were happening now.
   */
  private noticeTransactionChange(replaying: boolean): void {
    const order = this.model.current;
    const open = order && this.model.isTransactionOpen ? order.txn : null;
    if (open !== this.openTxn) {
      const now = this.deps.now();
      if (this.openTxn !== null) {
        const closed =
          order?.txn === this.openTxn ? order : this.model.history.find((o) => o.txn === this.openTxn);
        if (closed && replaying) this.replayCloses.push(closed);
        else if (closed) this.deps.onTransactionClosed?.(closed, now, false);
      }
      this.openTxn = open;
      if (open !== null && replaying) this.replayOpened = true;
      else if (open !== null) this.deps.onTransactionStarted?.(open, now, false);
    }
    if (this.model.lastSeq < this.replayUntilSeq) return;
    const now = this.deps.now();
    for (const closed of this.replayCloses.splice(0)) this.deps.onTransactionClosed?.(closed, now, true);
    if (this.replayOpened && this.openTxn !== null) this.deps.onTransactionStarted?.(this.openTxn, now, true);
    this.replayOpened = false;
  }

  private isReplay(seq: number | undefined): boolean {
    return seq !== undefined && seq <= this.replayUntilSeq;
  }

  /** A prompt from replayed history is shown only if its transaction is still open and it is recent. */
  private replayedPromptStillDue(req: PromptRequest): boolean {
    const order = this.model.current;
    if (!order || order.txn !== req.txn || !this.model.isTransactionOpen) return false;
    const entry = order.timeline.find((t) => t.kind === 'event' && t.seq === req.seq);
    if (!entry) return false;
    return this.deps.now() - Date.parse(entry.at) <= this.deps.replayPromptMaxAgeMs;
  }

  private laneFromEvent(event: PosEvent): void {
    switch (event.type) {
      case 'transaction.started':
        this.dispatch({ type: 'transactionStarted' });
        break;
      case 'item.added':
        if (!this.lane.transactionOpen) this.dispatch({ type: 'transactionStarted' });
        break;
      case 'transaction.ended':
      case 'transaction.cancelled':
        this.dispatch({ type: 'transactionClosed' });
        break;
      case 'payment.failed':
        this.dispatch({ type: 'paymentFailed' });
        break;
      case 'payment.started':
      case 'payment.succeeded':
        this.dispatch({ type: 'paymentSucceeded' });
        break;
      case 'assistance.requested':
        this.dispatch({ type: 'assistanceRequested', reason: event.reason ?? 'requested at the POS' });
        break;
      default:
        break;
    }
  }

  private showNextPrompt(): void {
    const next = this.queue.shift();
    if (!next) return;
    const now = this.deps.now();
    const shownAt = new Date(now).toISOString();
    this.active = {
      request: next,
      shownAtMs: now,
      shownAt,
      guideCalled: false,
      deadlineMs: now + this.deps.promptTimeoutMs,
    };
    this.lastPrompt = { kind: next.kind, shownAt };
    this.model.recordPrompt(next, shownAt);
    this.dispatch({ type: 'promptShown', kind: next.kind });
    this.deps.playPrompt(next.kind);
    this.startPromptTimer(this.deps.promptTimeoutMs);
  }

  private startPromptTimer(ms: number): void {
    this.timeoutHandle = this.deps.setTimer(() => {
      this.timeoutHandle = null;
      this.answer('timedOut');
      this.deps.playPrompt('guideCalled');
    }, ms);
  }

  private clearPromptTimer(): void {
    if (this.timeoutHandle !== null) this.deps.clearTimer(this.timeoutHandle);
    this.timeoutHandle = null;
  }

  /** Held out-of-order events must be released even if no further event arrives. */
  private scheduleTick(): void {
    if (this.tickHandle !== null) return;
    this.tickHandle = this.deps.setTimer(() => {
      this.tickHandle = null;
      const result = this.model.tick(this.deps.now());
      if (result.applied.length || result.diagnostics.length) this.handle(result, 'reorder buffer');
    }, 1600);
  }

  private pushDiagnostic(d: Diagnostic, source: string): void {
    const entry: VisibleDiagnostic = {
      ...d,
      id: ++this.diagnosticId,
      at: new Date(this.deps.now()).toISOString(),
      source,
    };
    this.diagnostics = [entry, ...this.diagnostics].slice(0, MAX_DIAGNOSTICS);
  }

  private dispatch(input: LaneInput): void {
    this.lane = laneReducer(this.lane, input, this.deps.now());
    this.render();
  }

  private buildView(): LaneView {
    const state = laneState(this.lane);
    return {
      order: this.model.current,
      laneState: state,
      light: lightFor(state, this.deps.lightConfig),
      prompt: this.active ? { ...this.active } : null,
      queuedPrompts: this.queue.length,
      diagnostics: this.diagnostics,
      online: this.online,
      lastPrompt: this.lastPrompt,
    };
  }

  private render(): void {
    const view = this.buildView();
    const prev = this.view.get();
    this.view.set(view);
    if (
      prev.laneState !== view.laneState ||
      prev.lastPrompt !== view.lastPrompt ||
      prev.order?.txn !== view.order?.txn
    ) {
      this.publishStatus();
    }
  }

  /** Sends the lane's status to the store server (the guide wall); also called once at start. */
  publishStatus(): void {
    const view = this.view.get();
    this.deps.publishStatus({
      state: view.laneState,
      light: view.light,
      txn: view.order?.txn,
      prompt: view.lastPrompt ?? undefined,
      at: new Date(this.deps.now()).toISOString(),
    });
  }
}
