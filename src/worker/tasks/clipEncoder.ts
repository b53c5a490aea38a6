import { ChunkRing } from '../../recording/chunkRing.ts';
import type { RecorderConfig } from '../../recording/config.ts';
import { RateMeter, RollingStats } from '../../recording/rollingStats.ts';
import { TransactionBook, takeCheckpoint, type ClipWindow } from '../../recording/transactions.ts';
import { muxClip } from '../../recording/webmClip.ts';
import { monoNow } from '../host.ts';
import type { InitResult, WorkerCheckpoint, WorkerClip } from '../protocol.ts';
import type { FrameContext, FrameTask } from './types.ts';

/** Frames waiting in the encoder beyond this are dropped: drop, never queue. */
const MAX_ENCODE_QUEUE = 2;
/** A chunk comes out of the encoder a little after its frame went in; wait that long past a window. */
const OUTPUT_SLACK_MS = 400;

export function encoderConfig(config: RecorderConfig): VideoEncoderConfig {
  return {
    codec: config.codec,
    width: config.width,
    height: config.height,
    bitrate: config.bitrate,
    framerate: config.fps,
    // Realtime: libvpx's fast settings, the right trade for a 2-core kiosk.
    latencyMode: 'realtime',
  };
}

/** Why this browser cannot record, or null when it can. */
export async function checkEncoder(
  config: RecorderConfig,
): Promise<Extract<InitResult, { ok: false }> | null> {
  if (typeof VideoEncoder === 'undefined' || typeof VideoFrame === 'undefined')
    return {
      ok: false,
      code: 'webcodecs-unavailable',
      message: 'WebCodecs (VideoEncoder) is not available in this browser',
    };
  const support = await VideoEncoder.isConfigSupported(encoderConfig(config)).catch(() => null);
  if (!support?.supported)
    return {
      ok: false,
      code: 'codec-unsupported',
      message: `the browser cannot encode ${config.codec} at ${config.width}x${config.height}`,
    };
  return null;
}

/**
 * Encodes the (already blurred) canvas, keeps the chunks in the pre-roll ring and cuts clips.
 * The encoder's output is copied out of the EncodedVideoChunk at once, so only the ring holds
 * memory.
 */
export class ClipEncoderTask implements FrameTask {
  readonly name = 'clipEncoder';
  private encoder: VideoEncoder | null = null;
  private readonly ring = new ChunkRing();
  private readonly book = new TransactionBook();
  private readonly inFlight = new Map<number, { tMs: number; t0: number }>();
  private readonly waiting = new Set<{ resolve: () => void; timer: ReturnType<typeof setTimeout> }>();
  private readonly checkpointTimer: ReturnType<typeof setInterval> | null;
  private lastKeyMs: number | undefined;
  private originMs: number | undefined;
  private sink: ((cp: WorkerCheckpoint) => void) | null = null;
  private readonly limits;
  framesEncoded = 0;
  droppedBacklog = 0;
  checkpointsSent = 0;
  errors = 0;
  lastError: string | null = null;
  readonly encodeMs = new RollingStats();
  readonly rateOut = new RateMeter();

  constructor(private readonly config: RecorderConfig) {
    this.limits = {
      // Room for a whole capped transaction with its pre/post-roll and the keyframe before it.
      maxSpanMs: config.preMs + config.maxTransactionMs + config.postMs + config.keyframeIntervalMs,
      maxBytes: config.maxRingBytes,
    };
    this.checkpointTimer =
      config.checkpointMs > 0 ? setInterval(() => this.checkpoint(), config.checkpointMs) : null;
  }

  process(f: FrameContext): void {
    const encoder = this.ensureEncoder();
    if (encoder.encodeQueueSize > MAX_ENCODE_QUEUE) {
      this.droppedBacklog++;
      return;
    }
    this.originMs ??= f.tMs;
    const periodMs = 1000 / this.config.fps;
    const timestamp = Math.round((f.tMs - this.originMs) * 1000);
    const keyFrame =
      this.lastKeyMs === undefined || f.tMs - this.lastKeyMs >= this.config.keyframeIntervalMs - periodMs / 2;
    if (keyFrame) this.lastKeyMs = f.tMs;
    const frame = new VideoFrame(f.canvas, {
      timestamp,
      duration: Math.round(periodMs * 1000),
      alpha: 'discard',
    });
    this.inFlight.set(timestamp, { tMs: f.tMs, t0: performance.now() });
    try {
      encoder.encode(frame, { keyFrame });
    } finally {
      frame.close();
    }
  }

  markStart(txn: string, atMs: number): void {
    this.book.start(txn, atMs);
  }

  async markEnd(txn: string, atMs: number): Promise<WorkerClip | null> {
    const window = this.book.end(txn, atMs, this.config);
    if (!window) return null;
    await this.waitUntil(window.toMs + OUTPUT_SLACK_MS);
    return this.cut(txn, window);
  }

  setSink(sink: ((cp: WorkerCheckpoint) => void) | null): void {
    this.sink = sink;
  }

  ringStats() {
    const first = this.ring.firstMs;
    const last = this.ring.lastMs;
    return {
      ringBytes: this.ring.bytes,
      ringChunks: this.ring.size,
      ringMs: first !== undefined && last !== undefined ? last - first : 0,
      openTransactions: this.book.open().length,
    };
  }

  /** Flushes the encoder, then cuts every clip still waiting for its post-roll with what exists. */
  async dispose(): Promise<void> {
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    const encoder = this.encoder;
    this.encoder = null;
    if (encoder && encoder.state === 'configured') await encoder.flush().catch(() => undefined);
    if (encoder && encoder.state !== 'closed') encoder.close();
    for (const w of this.waiting) {
      clearTimeout(w.timer);
      w.resolve();
    }
    this.waiting.clear();
  }

  private ensureEncoder(): VideoEncoder {
    if (this.encoder && this.encoder.state === 'configured') return this.encoder;
    const encoder = new VideoEncoder({
      output: (chunk) => this.onChunk(chunk),
      error: (err) => {
        // The encoder is dead after an error; the next frame builds a new one, from a keyframe.
        this.errors++;
        this.lastError = `encoder: ${err.message}`;
        if (this.encoder === encoder) this.encoder = null;
        this.inFlight.clear();
        this.lastKeyMs = undefined;
      },
    });
    encoder.configure(encoderConfig(this.config));
    this.encoder = encoder;
    this.lastKeyMs = undefined;
    return encoder;
  }

  private onChunk(chunk: EncodedVideoChunk): void {
    const data = new Uint8Array(chunk.byteLength);
    chunk.copyTo(data);
    const sent = this.inFlight.get(chunk.timestamp);
    this.inFlight.delete(chunk.timestamp);
    const now = performance.now();
    if (sent) this.encodeMs.add(now - sent.t0);
    // Frames the realtime encoder skipped never come out; forget them after a while.
    for (const [ts, v] of this.inFlight) if (now - v.t0 > 5000) this.inFlight.delete(ts);
    const tMs = sent?.tMs ?? (this.originMs ?? 0) + chunk.timestamp / 1000;
    const pushed = this.ring.push(
      { tMs, durationMs: 1000 / this.config.fps, key: chunk.type === 'key', data },
      this.limits,
    );
    if (pushed) {
      this.framesEncoded++;
      this.rateOut.tick(monoNow());
    }
  }

  private cut(txn: string, window: ClipWindow): WorkerClip | null {
    this.book.remove(txn);
    const sel = this.ring.select(window.fromMs, window.toMs);
    const muxed = muxClip(sel.chunks, this.config);
    if (!muxed) return null;
    return { txn, ...this.clipFields(), ...muxed, truncatedStart: sel.truncatedStart };
  }

  private checkpoint(): void {
    const sink = this.sink;
    if (!sink) return;
    for (const state of this.book.open()) {
      const cp = takeCheckpoint(this.ring, state, this.config.preMs);
      const muxed = cp && muxClip(cp.chunks, this.config);
      if (!cp || !muxed) continue;
      this.checkpointsSent++;
      sink({
        txn: state.txn,
        seq: cp.seq,
        ...this.clipFields(),
        ...muxed,
        truncatedStart: cp.truncatedStart,
      });
    }
  }

  private clipFields() {
    return { mime: 'video/webm' as const, codec: this.config.codec, faceBlur: this.config.faceBlur };
  }

  private waitUntil(ms: number): Promise<void> {
    const delay = ms - monoNow();
    if (delay <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const entry = {
        resolve,
        timer: setTimeout(() => {
          this.waiting.delete(entry);
          resolve();
        }, delay),
      };
      this.waiting.add(entry);
    });
  }
}
