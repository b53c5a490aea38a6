/**
 * Re-analyses a stored clip faster than real time (worker side, needs WebCodecs and MediaPipe):
 * decodes it with VideoDecoder, keeps frames at the profile's zone rate, and runs the live hands
 * task (zone analysis, hand model, holding, perception tracker) with the profile's gate. Decoding
 * is part of the measured time. Used by the speed evaluation (tests/eval/pixel/speedReview.ts) and
 * meant for the product's re-analysis of a stored order clip.
 */
import type { LaneZones } from '../core/lane/zones.ts';
import type { PerceptionEvent } from '../core/perception/events.ts';
import { PerceptionTracker } from '../core/perception/tracker.ts';
import { FrameRateGate } from '../recording/rollingStats.ts';
import { HandsGate, type GateInput, type HandsGatePolicy } from '../worker/tasks/handsGate.ts';
import { HANDS_MODEL_LONG_SIDE, HandsTask, ZONE_GRID } from '../worker/tasks/handsTask.ts';
import type { IvfClip } from './ivf.ts';
import { ReviewGate } from './reviewGate.ts';
import type { ClipPart, ReviewProfile } from './reviewProfiles.ts';

export interface ReviewRequest {
  clip: IvfClip;
  profile: ReviewProfile;
  zones: LaneZones;
  modelUrl: string;
  wasmBaseUrl: string;
  /** The part of the clip this call analyses (splitClip); the whole clip when absent. */
  part?: ClipPart;
  /** The frame canvas CPU-backed (default) or GPU-backed like the live host's (for comparison). */
  cpuCanvas?: boolean;
}

export interface HandRun {
  tMs: number;
  hands: number;
  /** The review gate's reason ('idle' | 'active' | 'crossing'); 'live' for the lane's own gate. */
  mode: string;
}

export interface ReviewResult {
  profile: string;
  part: ClipPart | null;
  /** Events whose evidence starts inside the part, times in media ms. */
  events: PerceptionEvent[];
  handRuns: HandRun[];
  framesDecoded: number;
  framesKept: number;
  framesWithHands: number;
  /** Hand model load (fresh worker: wasm + model), not part of the analysis time. */
  loadMs: number;
  /** From the first chunk handed to the decoder to the last frame analysed: decoding included. */
  analyseMs: number;
  /** Of analyseMs, the time spent drawing kept frames and in the hands task (the rest: decoding). */
  processMs: number;
  handsMsP50: number;
  /** Zone analysis per kept frame (grid copy, grey, motion, occupancy), median ms. */
  zonesMsP50: number;
  errors: number;
  lastError: string | null;
}

/** Logs each hand-model run of whichever gate the profile uses. */
class LoggedGate implements HandsGatePolicy {
  readonly runs: HandRun[] = [];
  constructor(private readonly inner: HandsGatePolicy) {}
  private get mode(): string {
    return this.inner instanceof ReviewGate ? this.inner.lastMode : 'live';
  }
  shouldRun(input: GateInput): boolean {
    return this.inner.shouldRun(input);
  }
  ran(tMs: number, hands: number): void {
    this.runs.push({ tMs, hands, mode: this.mode });
    this.inner.ran(tMs, hands);
  }
  reset(): void {
    this.inner.reset();
  }
}

/**
 * One review of (a part of) a clip: open() loads the hand model (not part of the analysis time: a
 * reviewing worker stays warm between clips), run() decodes and analyses, decoding included.
 */
export class ClipReview {
  private readonly events: PerceptionEvent[] = [];
  private constructor(
    private readonly req: ReviewRequest,
    private readonly task: HandsTask,
    private readonly gate: LoggedGate,
    private readonly loadMs: number,
  ) {}

  static async open(req: ReviewRequest): Promise<ClipReview> {
    const { profile } = req;
    const gate = new LoggedGate(
      profile.gate.kind === 'live'
        ? new HandsGate(profile.gate.options)
        : new ReviewGate(profile.gate.options),
    );
    const l0 = performance.now();
    const task = HandsTask.start({
      hands: { modelUrl: req.modelUrl, wasmBaseUrl: req.wasmBaseUrl, delegate: 'CPU' },
      modelLongSide: HANDS_MODEL_LONG_SIDE,
      gridWidth: ZONE_GRID.width,
      gridHeight: ZONE_GRID.height,
      createTracker: (zones) => new PerceptionTracker(zones),
      gate,
    });
    await task.loaded;
    if (task.state !== 'ready') {
      task.dispose();
      throw new Error(task.lastError ?? 'hand model did not load');
    }
    const review = new ClipReview(req, task, gate, performance.now() - l0);
    task.setZones(req.zones);
    task.setSink((b) => review.events.push(...b.events));
    return review;
  }

  /** Decodes and analyses the part once; the task is disposed afterwards. */
  async run(): Promise<ReviewResult> {
    const { req, task, gate } = this;
    const { clip, profile } = req;
    try {
      const part = req.part ?? null;
      const warmFromUs = (part?.warmFromMs ?? 0) * 1000;
      const toUs = (part?.toMs ?? Infinity) * 1000;
      // Decoding must start on a keyframe at or before the warm-up.
      let first = 0;
      clip.frames.forEach((f, i) => {
        if (f.key && f.timestampUs <= warmFromUs) first = i;
      });
      const canvas = new OffscreenCanvas(clip.width, clip.height);
      // CPU-backed, unlike the live host's: the software decoder's frames are in CPU memory and the
      // task reads this canvas back twice (zone grid, hand-model copy); a GPU-backed canvas costs a
      // readback per frame, which on this machine's SwiftShader was most of the analysis time.
      const ctx = canvas.getContext('2d', { alpha: false, willReadFrequently: req.cpuCanvas ?? true });
      if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
      const rate = profile.zoneFps ? new FrameRateGate(profile.zoneFps) : null;
      const pending: VideoFrame[] = [];
      let decodeError: Error | null = null;
      const decoder = new VideoDecoder({
        output: (frame) => pending.push(frame),
        error: (e) => {
          decodeError = e instanceof Error ? e : new Error(String(e));
        },
      });
      decoder.configure({ codec: clip.codec, codedWidth: clip.width, codedHeight: clip.height });
      let decoded = 0;
      let kept = 0;
      let index = 0;
      let processMs = 0;
      const content = { x: 0, y: 0, w: clip.width, h: clip.height };
      const drain = () => {
        for (let frame = pending.shift(); frame; frame = pending.shift()) {
          decoded++;
          const tMs = frame.timestamp / 1000;
          if (frame.timestamp < warmFromUs || frame.timestamp >= toUs || (rate && !rate.accept(tMs))) {
            frame.close();
            continue;
          }
          const p0 = performance.now();
          ctx.drawImage(frame, 0, 0, clip.width, clip.height);
          frame.close();
          kept++;
          task.process({ canvas, ctx, tMs, index: index++, content });
          processMs += performance.now() - p0;
        }
      };
      const t0 = performance.now();
      for (let i = first; i < clip.frames.length; i++) {
        const f = clip.frames[i]!;
        if (f.timestampUs >= toUs) break;
        decoder.decode(
          new EncodedVideoChunk({ type: f.key ? 'key' : 'delta', timestamp: f.timestampUs, data: f.data }),
        );
        // Keep the decoder a few frames ahead of the analysis, never the whole clip in memory.
        while (decoder.decodeQueueSize > 3 && !decodeError)
          await new Promise((r) => decoder.addEventListener('dequeue', r, { once: true }));
        drain();
        if (decodeError) throw decodeError;
      }
      await decoder.flush();
      drain();
      decoder.close();
      const analyseMs = performance.now() - t0;
      const from = part?.fromMs ?? -Infinity;
      const to = part?.toMs ?? Infinity;
      return {
        profile: profile.name,
        part,
        events: this.events.filter((e) => e.startMs >= from && e.startMs < to),
        handRuns: gate.runs.filter((r) => r.tMs >= from && r.tMs < to),
        framesDecoded: decoded,
        framesKept: kept,
        framesWithHands: task.framesWithHands,
        loadMs: this.loadMs,
        analyseMs,
        processMs,
        handsMsP50: task.handsMs.summary().p50,
        zonesMsP50: task.zonesMs.summary().p50,
        errors: task.errors,
        lastError: task.lastError,
      };
    } finally {
      task.dispose();
    }
  }
}
