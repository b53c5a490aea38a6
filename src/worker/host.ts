import { fitContain, type Box } from '../recording/faceBoxes.ts';
import { FrameRateGate, RateMeter, RollingStats } from '../recording/rollingStats.ts';
import type { SourceState } from './protocol.ts';
import { LatestSlot } from './latestSlot.ts';
import type { FrameContext, FrameTask } from './tasks/types.ts';

/** The worker's clock: shared with the page (see protocol.ts), monotonic. */
export function monoNow(): number {
  return performance.timeOrigin + performance.now();
}

interface Pending {
  frame: VideoFrame;
  tMs: number;
}

export interface HostOptions {
  width: number;
  height: number;
  fps: number;
}

/**
 * The base of the inference worker: takes camera frames from whichever source is attached, keeps
 * only the newest one while busy, paces them to the target rate, draws each kept frame once into
 * an OffscreenCanvas of the output size and runs the tasks on it in order.
 */
export class VisionHost {
  readonly canvas: OffscreenCanvas;
  private readonly ctx: OffscreenCanvasRenderingContext2D;
  private tasks: FrameTask[] = [];
  private readonly slot = new LatestSlot<Pending>((p) => {
    p.frame.close();
    this.dropped.busy++;
  });
  private readonly gate: FrameRateGate;
  private sourceId = 0;
  private reader: ReadableStreamDefaultReader<VideoFrame> | null = null;
  private pumping = false;
  private index = 0;
  private content: Box;
  private lastSrcSize = '';
  private disposed = false;

  source: SourceState = 'none';
  framesIn = 0;
  framesProcessed = 0;
  readonly dropped = { rate: 0, busy: 0 };
  readonly rateIn = new RateMeter();
  readonly frameMs = new RollingStats();
  errors = 0;
  lastError: string | null = null;

  constructor(private readonly opts: HostOptions) {
    this.canvas = new OffscreenCanvas(opts.width, opts.height);
    const ctx = this.canvas.getContext('2d', { alpha: false, desynchronized: true });
    if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
    this.ctx = ctx;
    this.gate = new FrameRateGate(opts.fps);
    this.content = { x: 0, y: 0, w: opts.width, h: opts.height };
  }

  setTasks(tasks: FrameTask[]): void {
    this.tasks = tasks;
  }

  /** Replaces the source with a transferred track-processor stream and starts reading it. */
  attachStream(readable: ReadableStream<VideoFrame>): number {
    const id = this.newSource();
    const reader = readable.getReader();
    this.reader = reader;
    void this.readLoop(reader, id);
    return id;
  }

  /** Opens a source fed frame by frame through `offer`. */
  beginFrames(): number {
    return this.newSource();
  }

  /** A frame for source `id`; a frame for an old source is just released. */
  offer(id: number, frame: VideoFrame, stampMs?: number): boolean {
    if (id !== this.sourceId || this.disposed) {
      frame.close();
      return false;
    }
    this.framesIn++;
    const tMs = stampMs ?? monoNow();
    this.rateIn.tick(tMs);
    const replaced = this.slot.put({ frame, tMs });
    void this.pump();
    return !replaced;
  }

  detach(): void {
    this.sourceId++;
    void this.reader?.cancel().catch(() => undefined);
    this.reader = null;
    this.slot.clear();
    this.source = 'none';
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.detach();
    for (const t of this.tasks) await t.dispose();
    this.tasks = [];
  }

  private newSource(): number {
    this.detach();
    this.source = 'live';
    this.index = 0;
    this.gate.reset();
    for (const t of this.tasks) t.onSourceChange?.();
    return this.sourceId;
  }

  private async readLoop(reader: ReadableStreamDefaultReader<VideoFrame>, id: number): Promise<void> {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (id !== this.sourceId) {
          value.close();
          break;
        }
        this.offer(id, value);
      }
    } catch {
      // The track ended or the page cancelled the stream: the same as a camera going away.
    }
    if (id === this.sourceId) this.source = 'ended';
  }

  /** Processes the newest waiting frame until none waits; only one pump runs at a time. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let p = this.slot.take(); p; p = this.slot.take()) await this.process(p);
    } finally {
      this.pumping = false;
    }
  }

  private async process({ frame, tMs }: Pending): Promise<void> {
    if (!this.gate.accept(tMs)) {
      frame.close();
      this.dropped.rate++;
      return;
    }
    const t0 = performance.now();
    try {
      this.draw(frame);
    } finally {
      frame.close();
    }
    const fc: FrameContext = {
      canvas: this.canvas,
      ctx: this.ctx,
      tMs,
      index: this.index++,
      content: this.content,
    };
    for (const task of this.tasks) {
      try {
        await task.process(fc);
      } catch (err) {
        this.errors++;
        this.lastError = `${task.name}: ${err instanceof Error ? err.message : String(err)}`;
        // A task that cannot finish must not let a frame through half-processed (an unblurred
        // face): stop here, the frame is not stored.
        break;
      }
    }
    this.framesProcessed++;
    this.frameMs.add(performance.now() - t0);
  }

  private draw(frame: VideoFrame): void {
    const w = frame.displayWidth;
    const h = frame.displayHeight;
    const size = `${w}x${h}`;
    if (size !== this.lastSrcSize) {
      // A camera with another aspect ratio is letterboxed, never stretched.
      this.lastSrcSize = size;
      this.content = fitContain(w, h, this.opts.width, this.opts.height);
    }
    const c = this.content;
    if (c.w !== this.opts.width || c.h !== this.opts.height) {
      this.ctx.fillStyle = '#000';
      this.ctx.fillRect(0, 0, this.opts.width, this.opts.height);
    }
    this.ctx.drawImage(frame, c.x, c.y, c.w, c.h);
  }
}
