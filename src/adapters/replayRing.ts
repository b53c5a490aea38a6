/**
 * The shopper's last few seconds from the live camera, kept as small downscaled frames so a nudge
 * can replay exactly what the camera saw ("did this item scan?") without touching the recorder's
 * encoded clip. Memory is bounded (16 s at 8 fps of 320x180 RGBA: ~30 MB) and every frame is
 * closed when it drops out. Frames never leave the page.
 */
import { DEFAULT_FUSION_CONFIG } from '../core/fusion/config.ts';

/**
 * How far back a nudge may need frames. The engine decides about an item only when its scan
 * window closes: for an item that rested on the scanner (possibly being weighed) that is
 * `weighedMatchWindowMs` after its scanner frames, plus `rescanLinkMs` while it has not reached
 * the bag; the overlay then shows its evidence from 1 s before. A 6 s ring had already dropped
 * those frames, so such nudges replayed nothing (seen live on the bottle video, where a lift
 * lingers 1.4 s in the scanner band). The 3 s cover the evidence itself and the overlay margin.
 */
export const REPLAY_WINDOW_MS =
  DEFAULT_FUSION_CONFIG.weighedMatchWindowMs + DEFAULT_FUSION_CONFIG.rescanLinkMs + 3000;

/** Anything holding a native resource: ImageBitmap in the browser, a stub in tests. */
export interface Closable {
  close(): void;
}

export interface TimedFrame<F extends Closable> {
  /** Epoch ms (POS clock) when the frame was grabbed. */
  atMs: number;
  frame: F;
}

/** Time-ordered frames within `windowMs` of the newest, at most `maxFrames`. Pure, no DOM. */
export class FrameRing<F extends Closable> {
  private frames: TimedFrame<F>[] = [];

  constructor(
    readonly windowMs: number,
    readonly maxFrames: number,
  ) {}

  get size(): number {
    return this.frames.length;
  }

  push(atMs: number, frame: F): void {
    const last = this.frames[this.frames.length - 1];
    if (last && atMs < last.atMs) {
      // A clock step backwards: the old frames' times no longer compare, so start over.
      this.clear();
    }
    this.frames.push({ atMs, frame });
    const horizon = atMs - this.windowMs;
    let drop = 0;
    while (drop < this.frames.length - 1 && (this.frames[drop]?.atMs ?? Infinity) < horizon) drop++;
    drop = Math.max(drop, this.frames.length - this.maxFrames);
    for (const f of this.frames.splice(0, drop)) f.frame.close();
  }

  /** Frames from `startMs` to `endMs` inclusive, oldest first (still owned by the ring). */
  between(startMs: number, endMs: number): TimedFrame<F>[] {
    return this.frames.filter((f) => f.atMs >= startMs && f.atMs <= endMs);
  }

  clear(): void {
    for (const f of this.frames) f.frame.close();
    this.frames = [];
  }
}

/** Frames handed to a player: copies the caller owns and must close. */
export interface ReplayClip {
  frames: TimedFrame<ImageBitmap>[];
  width: number;
  height: number;
  close(): void;
}

export interface ReplayRingOptions {
  width: number;
  height: number;
  fps: number;
  windowMs: number;
  now: () => number;
}

const DEFAULTS: ReplayRingOptions = {
  width: 320,
  height: 180,
  fps: 8,
  windowMs: REPLAY_WINDOW_MS,
  now: () => Date.now(),
};

/**
 * Grabs frames from a MediaStream through its own muted, detached <video>, so the mirror's
 * element is never disturbed. A grab that fails (camera gone, video not ready) is skipped.
 */
export class ReplayRing {
  readonly options: ReplayRingOptions;
  private readonly ring: FrameRing<ImageBitmap>;
  private video: HTMLVideoElement | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private grabbing = false;
  private grabs = 0;

  constructor(options: Partial<ReplayRingOptions> = {}) {
    this.options = { ...DEFAULTS, ...options };
    const { windowMs, fps } = this.options;
    this.ring = new FrameRing(windowMs, Math.ceil((windowMs / 1000) * fps) + 2);
  }

  /** Frames currently held (for diagnostics and tests). */
  get size(): number {
    return this.ring.size;
  }

  /** Frames grabbed since the start (for diagnostics and tests). */
  get grabbed(): number {
    return this.grabs;
  }

  /** Follows the camera: call again with each new stream, or null when it is gone. */
  attach(stream: MediaStream | null): void {
    this.stop();
    if (!stream) return;
    const video = document.createElement('video');
    video.muted = true;
    video.playsInline = true;
    video.srcObject = stream;
    void video.play().catch(() => {
      // A muted detached video may always play; if not, grabs are skipped until it does.
    });
    this.video = video;
    this.timer = setInterval(() => void this.grab(), Math.round(1000 / this.options.fps));
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    if (this.video) {
      this.video.pause();
      this.video.srcObject = null;
    }
    this.video = null;
    this.ring.clear();
  }

  /**
   * Copies of the frames from `startMs` to `endMs`; empty when the camera saw nothing then (or the
   * moment already left the ring). The copies stay valid after the ring drops its own frames.
   */
  async clip(startMs: number, endMs: number): Promise<ReplayClip> {
    const held = this.ring.between(startMs, endMs);
    const copies = await Promise.all(
      held.map(async (f) => ({ atMs: f.atMs, frame: await createImageBitmap(f.frame) })),
    );
    return {
      frames: copies,
      width: this.options.width,
      height: this.options.height,
      close: () => copies.forEach((c) => c.frame.close()),
    };
  }

  private async grab(): Promise<void> {
    const video = this.video;
    // HAVE_CURRENT_DATA: a frame is decoded; skip while a previous grab is still running.
    if (!video || this.grabbing || video.readyState < 2) return;
    this.grabbing = true;
    try {
      const atMs = this.options.now();
      const bitmap = await createImageBitmap(video, {
        resizeWidth: this.options.width,
        resizeHeight: this.options.height,
        resizeQuality: 'low',
      });
      if (this.video !== video) bitmap.close();
      else {
        this.ring.push(atMs, bitmap);
        this.grabs++;
      }
    } catch {
      // The track ended between the check and the grab; the camera adapter reports that.
    } finally {
      this.grabbing = false;
    }
  }
}
