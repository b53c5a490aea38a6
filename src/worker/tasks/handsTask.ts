import { boundsOf, type LaneZones } from '../../core/lane/zones.ts';
import type { PerceptionEvent } from '../../core/perception/events.ts';
import type { FrameObservation, HandObservation } from '../../core/perception/frameObservation.ts';
import type { Box } from '../../recording/faceBoxes.ts';
import { RateMeter, RollingStats } from '../../recording/rollingStats.ts';
import type { InferenceBackend, PerceptionBatch } from '../protocol.ts';
import { createVisionTask } from '../mediapipeLoader.ts';
import { DEFAULT_HAND_OPTIONS, HandLandmarks, type HandLandmarksOptions } from './handLandmarks.ts';
import { DEFAULT_HANDS_GATE, HandsGate, type HandsGateOptions, type HandsGatePolicy } from './handsGate.ts';
import { estimateHolding } from './handsHolding.ts';
import { modelSizeFor, modelToCamera, type NormPoint } from './handsMapping.ts';
import type { FrameContext, FrameTask } from './types.ts';
import { ZoneAnalyzer, rgbaToGrey } from './zoneAnalysis.ts';

/** Sees each analysed frame after the tracker (the item-appearance crops, src/worker/appearance/). */
export interface FrameObserver {
  observe(f: FrameContext, hands: readonly HandObservation[], events: readonly PerceptionEvent[]): void;
  setZones(zones: LaneZones | null): void;
  reset(): void;
}

/** The perception tracker as this task uses it (src/core/perception/tracker.ts). */
export interface ObservationTracker {
  push(obs: FrameObservation): PerceptionEvent[];
  reset(): void;
}

export interface HandsTaskOptions {
  hands: Partial<HandLandmarksOptions>;
  /** Longer side of the camera crop given to the hand model (px). */
  modelLongSide: number;
  /** Zone analysis grid over the camera image. */
  gridWidth: number;
  gridHeight: number;
  createTracker: (zones: LaneZones) => ObservationTracker;
  /**
   * Motion gating of the hand model (default DEFAULT_HANDS_GATE); null runs it on every frame; a
   * policy object replaces the live gate (the review profiles of src/review/).
   */
  gate?: HandsGateOptions | HandsGatePolicy | null;
  /**
   * A frame that starts this late (ms after capture) skips the hand model if the previous frame ran
   * it: recording shares this worker, and stored video must keep its rate on a busy 2-core kiosk.
   * Unset: never shed (the evaluation measures the model on every frame it asks for).
   */
  shedAfterMs?: number;
}

/**
 * 320 px: the palm detector works at 192x192 anyway; a smaller crop costs less to hand to the
 * model (upload + conversion) while the lane's hands stay 30+ px tall on a 640x360 view.
 */
export const HANDS_MODEL_LONG_SIDE = 320;
/** 128x72 = 9216 cells: a cell is 5x5 px of the 640x360 recording. */
export const ZONE_GRID = { width: 128, height: 72 } as const;
/** Around each hand, this many palm lengths are kept out of the background (hand + held object). */
const HAND_EXCLUDE_MARGIN = 0.8;

/**
 * Live perception on each stored frame, on the raw image before the face blur:
 * zone analysis (motion, occupancy) on a small grey copy, then, unless motion gating says the lane
 * is idle, MediaPipe hand landmarks on a downscaled crop of the camera image, a `holding`
 * estimate per hand, one FrameObservation to the tracker, and the tracker's events to the page.
 * It never throws into the host: a failure here must not stop a frame from being recorded.
 */
export class HandsTask implements FrameTask {
  readonly name = 'hands';
  state: 'loading' | 'ready' | 'failed' = 'loading';
  private landmarks: HandLandmarks | null = null;
  private disposed = false;
  private readonly gridCanvas: OffscreenCanvas;
  private readonly gridCtx: OffscreenCanvasRenderingContext2D;
  private readonly grey: Uint8Array;
  private readonly exclude: Uint8Array;
  private readonly analyzer: ZoneAnalyzer;
  private readonly gate: HandsGatePolicy | null;
  private modelCanvas: OffscreenCanvas | null = null;
  private modelCtx: OffscreenCanvasRenderingContext2D | null = null;
  private modelContent = '';
  private tracker: ObservationTracker | null = null;
  private sink: ((batch: PerceptionBatch) => void) | null = null;
  private observer: FrameObserver | null = null;
  private lastHands: HandObservation[] = [];
  private lastSentHands = 0;

  readonly rate = new RateMeter();
  readonly latencyMs = new RollingStats();
  readonly handsMs = new RollingStats();
  readonly zonesMs = new RollingStats();
  readonly holding = new RollingStats();
  framesSeen = 0;
  framesAnalysed = 0;
  framesGated = 0;
  /** Frames whose hand-model run was skipped because the worker was behind (load shedding). */
  framesShed = 0;
  private ranLast = false;
  framesWithHands = 0;
  eventsEmitted = 0;
  errors = 0;
  lastError: string | null = null;
  zonesSet = false;

  private constructor(private readonly opts: HandsTaskOptions) {
    this.gridCanvas = new OffscreenCanvas(opts.gridWidth, opts.gridHeight);
    const ctx = this.gridCanvas.getContext('2d', { alpha: false, willReadFrequently: true });
    if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
    this.gridCtx = ctx;
    this.grey = new Uint8Array(opts.gridWidth * opts.gridHeight);
    this.exclude = new Uint8Array(opts.gridWidth * opts.gridHeight);
    this.analyzer = new ZoneAnalyzer(opts.gridWidth, opts.gridHeight);
    const gate = opts.gate === undefined ? DEFAULT_HANDS_GATE : opts.gate;
    this.gate = gate ? ('shouldRun' in gate ? gate : new HandsGate(gate)) : null;
  }

  /** Settles once the hand model has loaded or failed (never rejects: see `state`). */
  loaded: Promise<void> = Promise.resolve();

  /** Starts at once; the hand model loads in the background (zone analysis runs meanwhile). */
  static start(opts: HandsTaskOptions): HandsTask {
    const task = new HandsTask(opts);
    task.loaded = task.load();
    return task;
  }

  get backend(): InferenceBackend {
    return this.opts.hands.delegate === 'GPU' ? 'mediapipe-webgl' : 'mediapipe-wasm';
  }

  get model(): string {
    return (this.opts.hands.modelUrl ?? '').split('/').pop() ?? '';
  }

  get modelInput(): { width: number; height: number } {
    return { width: this.modelCanvas?.width ?? 0, height: this.modelCanvas?.height ?? 0 };
  }

  get lastHandCount(): number {
    return this.lastHands.length;
  }

  setZones(zones: LaneZones | null): void {
    this.analyzer.setZones(zones);
    this.tracker = zones ? this.opts.createTracker(zones) : null;
    this.zonesSet = zones !== null;
    this.observer?.setZones(zones);
  }

  setObserver(observer: FrameObserver | null): void {
    this.observer = observer;
  }

  /** Events found later than their frame (a label read) go out through the same sink. */
  publish(events: PerceptionEvent[], tMs: number): void {
    if (this.disposed || events.length === 0) return;
    this.eventsEmitted += events.length;
    this.sink?.({ events, tMs, hands: this.lastHands.length });
  }

  setSink(sink: ((batch: PerceptionBatch) => void) | null): void {
    this.sink = sink;
  }

  process(f: FrameContext): void {
    if (this.disposed) return;
    try {
      this.analyse(f);
    } catch (err) {
      this.errors++;
      this.lastError = `perception: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  onSourceChange(): void {
    // Another camera: its background, motion history and tracks mean nothing here.
    this.analyzer.reset();
    this.gate?.reset();
    this.tracker?.reset();
    this.observer?.reset();
    this.lastHands = [];
    this.exclude.fill(0);
  }

  dispose(): void {
    this.disposed = true;
    this.sink = null;
    this.landmarks?.close();
    this.landmarks = null;
  }

  private async load(): Promise<void> {
    try {
      const wasmBaseUrl = this.opts.hands.wasmBaseUrl ?? DEFAULT_HAND_OPTIONS.wasmBaseUrl;
      const landmarks = await createVisionTask(wasmBaseUrl, () => HandLandmarks.create(this.opts.hands));
      if (this.disposed) {
        landmarks.close();
        return;
      }
      this.landmarks = landmarks;
      this.state = 'ready';
    } catch (err) {
      this.state = 'failed';
      this.errors++;
      this.lastError = `hand model did not load: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private analyse(f: FrameContext): void {
    const c = f.content;
    this.framesSeen++;
    const t0 = performance.now();
    const { gridWidth: gw, gridHeight: gh } = this.opts;
    this.gridCtx.drawImage(f.canvas, c.x, c.y, c.w, c.h, 0, 0, gw, gh);
    rgbaToGrey(this.gridCtx.getImageData(0, 0, gw, gh).data, this.grey);
    const zones = this.analyzer.analyse(this.grey, this.exclude);
    this.zonesMs.add(performance.now() - t0);

    const wanted =
      this.landmarks !== null &&
      (this.gate?.shouldRun({
        tMs: f.tMs,
        zoneMotion: this.zonesSet ? zones.motion : null,
        globalMotion: zones.globalMotion,
      }) ??
        true);
    const late =
      this.opts.shedAfterMs !== undefined &&
      performance.timeOrigin + performance.now() - f.tMs > this.opts.shedAfterMs;
    const shed = wanted && late && this.ranLast;
    if (shed) this.framesShed++;
    const run = wanted && !shed;
    this.ranLast = run;
    // Skipped frames repeat the last result; the gate only skips once no hand was seen for a while,
    // so that result is "no hands".
    let hands = this.lastHands;
    if (run && this.landmarks) {
      const fg = zones.backgroundReady ? { width: gw, height: gh, cells: zones.foreground } : null;
      hands = this.detectHands(f, this.landmarks, fg);
      this.gate?.ran(f.tMs, hands.length);
      this.lastHands = hands;
      this.markHands(hands, c.w / c.h);
      this.framesAnalysed++;
      if (hands.length > 0) this.framesWithHands++;
      this.rate.tick(f.tMs);
      this.latencyMs.add(performance.timeOrigin + performance.now() - f.tMs);
    } else if (!shed) this.framesGated++;

    const obs: FrameObservation = {
      tMs: f.tMs,
      analysed: run,
      hands,
      occupancy: zones.occupancy,
      motion: zones.motion,
    };
    const events = this.tracker ? this.tracker.push(obs) : [];
    this.eventsEmitted += events.length;
    // Every frame (a pass may complete on a gated one); hands only when the model ran on this frame.
    this.observer?.observe(f, run ? hands : [], events);
    if (this.sink && (events.length > 0 || hands.length !== this.lastSentHands)) {
      this.lastSentHands = hands.length;
      this.sink({ events, tMs: f.tMs, hands: hands.length });
    }
  }

  private detectHands(
    f: FrameContext,
    landmarks: HandLandmarks,
    fg: { width: number; height: number; cells: Uint8Array } | null,
  ): HandObservation[] {
    const c = f.content;
    const { canvas, ctx } = this.modelImage(c);
    ctx.drawImage(f.canvas, c.x, c.y, c.w, c.h, 0, 0, canvas.width, canvas.height);
    const t0 = performance.now();
    const found = landmarks.detect(canvas, f.tMs, canvas.width, canvas.height);
    this.handsMs.add(performance.now() - t0);
    const view = { source: c, content: c, width: canvas.width, height: canvas.height };
    return found.map((h) => {
      const points = h.landmarks.map((p) => modelToCamera(p, view));
      const { holding } = estimateHolding(points, c.w / c.h, fg);
      this.holding.add(holding);
      return { landmarks: points, handedness: h.handedness, score: h.score, holding };
    });
  }

  /** The hand model's input canvas, sized for the camera's aspect (recreated when it changes). */
  private modelImage(content: Box): { canvas: OffscreenCanvas; ctx: OffscreenCanvasRenderingContext2D } {
    const key = `${content.w}x${content.h}`;
    if (!this.modelCanvas || !this.modelCtx || key !== this.modelContent) {
      const { width, height } = modelSizeFor(content, this.opts.modelLongSide);
      this.modelCanvas = new OffscreenCanvas(width, height);
      // willReadFrequently keeps the canvas in CPU memory: MediaPipe's WASM graph reads the pixels
      // back, and a GPU-backed canvas costs a readback each frame (tests/eval/pixel/run.ts
      // --only speed measured this input the cheapest of canvas, ImageBitmap and VideoFrame).
      const ctx = this.modelCanvas.getContext('2d', { alpha: false, willReadFrequently: true });
      if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
      this.modelCtx = ctx;
      this.modelContent = key;
    }
    return { canvas: this.modelCanvas, ctx: this.modelCtx };
  }

  /** Hands and what they may hold stay out of the background model. */
  private markHands(hands: readonly HandObservation[], aspect: number): void {
    this.exclude.fill(0);
    const { gridWidth: gw, gridHeight: gh } = this.opts;
    for (const h of hands) {
      const box = handBox(h.landmarks, aspect);
      const x0 = Math.max(0, Math.floor(box.x0 * gw));
      const x1 = Math.min(gw - 1, Math.ceil(box.x1 * gw));
      const y0 = Math.max(0, Math.floor(box.y0 * gh));
      const y1 = Math.min(gh - 1, Math.ceil(box.y1 * gh));
      for (let y = y0; y <= y1; y++) this.exclude.fill(1, y * gw + x0, y * gw + x1 + 1);
    }
  }
}

/** The landmarks' bounding box grown by HAND_EXCLUDE_MARGIN palm lengths (normalised coords). */
function handBox(points: readonly NormPoint[], aspect: number) {
  const w = points[0]!;
  const m = points[9]!;
  const palm = Math.hypot((m.x - w.x) * aspect, m.y - w.y);
  const mx = (HAND_EXCLUDE_MARGIN * palm) / aspect;
  const my = HAND_EXCLUDE_MARGIN * palm;
  const { x0, y0, x1, y1 } = boundsOf(points);
  return { x0: x0 - mx, y0: y0 - my, x1: x1 + mx, y1: y1 + my };
}
