/**
 * Feeds crops of held items to the label reader and emits `itemAppearance` for the tracker's
 * item tracks. Runs in the vision worker beside the hands task: the planner
 * (src/core/perception/appearancePlanner.ts) says which frame to snapshot and when to read; the
 * snapshot is an ImageBitmap of the stored-size frame (not the hand model's 320 px copy), and the
 * read runs in the label reader's own worker (appearanceWorker.ts), started on the first read, so
 * it never delays a frame. Nothing here throws into the frame pipeline.
 */
import * as Comlink from 'comlink';
import type { LaneZones } from '../../core/lane/zones.ts';
import type { PixelRect } from '../../core/perception/appearanceCrop.ts';
import {
  AppearancePlanner,
  type AppearancePlannerConfig,
  type PlannerAction,
} from '../../core/perception/appearancePlanner.ts';
import {
  PERCEPTION_CONTRACT_VERSION,
  type ItemAppearance,
  type PerceptionEvent,
} from '../../core/perception/events.ts';
import type { HandObservation } from '../../core/perception/frameObservation.ts';
import { RollingStats } from '../../recording/rollingStats.ts';
import type { InferenceConfigPatch } from '../ort/inferenceConfig.ts';
import type { FrameContext } from '../tasks/types.ts';
import type { AppearanceMetrics, AppearanceRead, AppearanceWorkerApi } from './appearanceApi.ts';

interface Snapshot {
  bitmap: Promise<ImageBitmap>;
  /** The hand crop inside `bitmap` (the whole bitmap unless a detector needs the scene). */
  hand: PixelRect;
  /** Where `bitmap` lies in the frame (px). */
  origin: { x: number; y: number };
}

export interface AppearanceTaskOptions {
  planner?: Partial<AppearancePlannerConfig>;
  /** Emits the task's events with the frame time they belong to (the hands task's sink). */
  emit: (events: PerceptionEvent[], tMs: number) => void;
  /** Starts the label reader worker (a test may give a fake). */
  startReader?: () => Comlink.Remote<AppearanceWorkerApi>;
  now?: () => number;
}

export class AppearanceTask {
  private planner: AppearancePlanner | null = null;
  private readonly snapshots = new Map<number, Snapshot>();
  private reader: Comlink.Remote<AppearanceWorkerApi> | null = null;
  private worker: Worker | null = null;
  private inferencePatch: InferenceConfigPatch | null = null;
  private busy = false;
  private disposed = false;
  private readonly readMs = new RollingStats();
  private readonly figures = { snapshots: 0, reads: 0, readsWithText: 0, dropped: 0, emitted: 0, errors: 0 };
  private loadMs = 0;
  private lastError: string | null = null;
  private lastCrop: PixelRect | null = null;

  constructor(private readonly opts: AppearanceTaskOptions) {}

  setZones(zones: LaneZones | null): void {
    if (this.planner) this.apply(this.planner.reset(), null);
    this.planner = zones ? new AppearancePlanner(zones, this.opts.planner) : null;
  }

  /** The vision worker's configureInference() patch; also tells whether a detector needs the scene. */
  configure(patch: InferenceConfigPatch): void {
    this.inferencePatch = { ...this.inferencePatch, ...patch };
    if (this.reader) void this.reader.configure(this.inferencePatch).catch((e: unknown) => this.fail(e));
  }

  reset(): void {
    if (this.planner) this.apply(this.planner.reset(), null);
  }

  /** One analysed frame, after the tracker: snapshot / read / release as the planner says. */
  observe(f: FrameContext, hands: readonly HandObservation[], events: readonly PerceptionEvent[]): void {
    if (!this.planner || this.disposed) return;
    try {
      const actions = this.planner.frame({
        tMs: f.tMs,
        width: f.content.w,
        height: f.content.h,
        hands,
        events,
        readerBusy: this.busy,
      });
      this.apply(actions, f);
    } catch (err) {
      this.fail(err);
    }
  }

  metrics(): AppearanceMetrics {
    return {
      ...this.figures,
      readMs: this.readMs.summary(),
      loadMs: this.loadMs,
      lastError: this.lastError,
      lastCrop: this.lastCrop,
    };
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.snapshots.values()) void s.bitmap.then((b) => b.close()).catch(() => undefined);
    this.snapshots.clear();
    this.worker?.terminate();
    this.worker = null;
    this.reader = null;
  }

  private get wantsScene(): boolean {
    return this.inferencePatch?.itemDetector !== undefined && this.inferencePatch.itemDetector !== null;
  }

  private apply(actions: readonly PlannerAction[], f: FrameContext | null): void {
    for (const a of actions) {
      if (a.kind === 'capture' && f) this.capture(a.key, a.rect, f);
      else if (a.kind === 'release') this.release(a.key, a.reason !== 'closed');
      else if (a.kind === 'read') this.read(a.key, a.trackId, a.startMs, a.endMs);
    }
  }

  private capture(key: number, rect: PixelRect, f: FrameContext): void {
    this.release(key, false);
    const c = f.content;
    // createImageBitmap copies the canvas now, before the face blur and the next frame draw on it.
    const snapshot: Snapshot = this.wantsScene
      ? { bitmap: createImageBitmap(f.canvas, c.x, c.y, c.w, c.h), hand: rect, origin: { x: 0, y: 0 } }
      : {
          bitmap: createImageBitmap(f.canvas, c.x + rect.x, c.y + rect.y, rect.w, rect.h),
          hand: { x: 0, y: 0, w: rect.w, h: rect.h },
          origin: { x: rect.x, y: rect.y },
        };
    snapshot.bitmap.catch((e: unknown) => this.fail(e));
    this.snapshots.set(key, snapshot);
    this.figures.snapshots++;
  }

  private release(key: number, dropped: boolean): void {
    const s = this.snapshots.get(key);
    if (!s) return;
    this.snapshots.delete(key);
    if (dropped) this.figures.dropped++;
    void s.bitmap.then((b) => b.close()).catch(() => undefined);
  }

  private read(key: number, trackId: number, startMs: number, endMs: number): void {
    const s = this.snapshots.get(key);
    if (!s) return;
    this.snapshots.delete(key);
    this.busy = true;
    this.figures.reads++;
    void (async () => {
      try {
        const bitmap = await s.bitmap;
        const reader = this.startReader();
        const result = await reader.read(Comlink.transfer(bitmap, [bitmap]), s.hand);
        const { x, y } = s.origin;
        this.lastCrop = { x: x + result.box.x, y: y + result.box.y, w: result.box.w, h: result.box.h };
        this.done(result, trackId, startMs, endMs);
      } catch (err) {
        this.fail(err);
      } finally {
        this.busy = false;
      }
    })();
  }

  private done(r: AppearanceRead, trackId: number, startMs: number, endMs: number): void {
    if (this.disposed) return;
    this.readMs.add(r.ms);
    if (r.loadMs > 0) this.loadMs = Math.round(r.loadMs);
    const text = r.text.trim();
    if (text.length > 0) this.figures.readsWithText++;
    // Neither legible text nor a product named by the chain's detector says nothing: no event.
    if (text.length === 0 && !r.match) return;
    const atMs = Math.max(endMs, (this.opts.now ?? monoNow)());
    const event: ItemAppearance = {
      v: PERCEPTION_CONTRACT_VERSION,
      type: 'itemAppearance',
      trackId,
      ...(text.length > 0 ? { labelText: text } : {}),
      ...(r.match ? { matchGtin: r.match.gtin, matchScore: r.match.score } : {}),
      atMs,
      startMs,
      endMs,
      // The OCR cue is weighed by this; with no text, the detector's own score stands for the event.
      confidence:
        Math.round(Math.min(1, Math.max(0, text ? r.confidence : (r.match?.score ?? 0))) * 1000) / 1000,
    };
    this.figures.emitted++;
    this.opts.emit([event], endMs);
  }

  private startReader(): Comlink.Remote<AppearanceWorkerApi> {
    if (this.reader) return this.reader;
    if (this.opts.startReader) this.reader = this.opts.startReader();
    else {
      this.worker = new Worker(new URL('./appearanceWorker.ts', import.meta.url), {
        type: 'module',
        name: 'label-reader',
      });
      this.reader = Comlink.wrap<AppearanceWorkerApi>(this.worker);
    }
    if (this.inferencePatch)
      void this.reader.configure(this.inferencePatch).catch((e: unknown) => this.fail(e));
    return this.reader;
  }

  private fail(err: unknown): void {
    this.figures.errors++;
    this.lastError = `appearance: ${err instanceof Error ? err.message : String(err)}`;
  }
}

function monoNow(): number {
  return performance.timeOrigin + performance.now();
}
