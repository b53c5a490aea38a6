import * as Comlink from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import type { LaneZones } from '../core/lane/zones.ts';
import type {
  InitResult,
  PerceptionBatch,
  RecorderMetrics,
  VisionFeatures,
  VisionWorkerApi,
  WorkerCheckpoint,
  WorkerClip,
} from '../worker/protocol.ts';
import { ClipRecorder, RecorderUnavailableError, type ClipCheckpoint } from './clipRecorder.ts';

/**
 * The facade against a fake worker over a real MessageChannel (Comlink end to end, no browser):
 * error reporting, clock conversion, checkpoint forwarding. The worker itself is covered by the
 * e2e test in tests/e2e/recording.spec.ts.
 */
const mono = () => performance.timeOrigin + performance.now();

function fakeWorker(init: InitResult) {
  const calls: string[] = [];
  const marks: { txn: string; atMs: number }[] = [];
  let sink: ((cp: WorkerCheckpoint) => void) | null = null;
  let perceptionSink: ((b: PerceptionBatch) => void) | null = null;
  const zones: (LaneZones | null)[] = [];
  const features: (VisionFeatures | undefined)[] = [];
  const clipFor = (txn: string, startMs: number, endMs: number): WorkerClip => ({
    txn,
    bytes: new Uint8Array([1, 2, 3]),
    mime: 'video/webm',
    codec: 'vp8',
    startMs,
    endMs,
    frames: 3,
    faceBlur: true,
    truncatedStart: false,
  });
  const api: Partial<VisionWorkerApi> = {
    async init(_config, f) {
      calls.push('init');
      features.push(f);
      return init;
    },
    async setCheckpointSink(s) {
      sink = s;
    },
    async setPerceptionSink(s) {
      perceptionSink = s;
    },
    async setZones(z) {
      zones.push(z);
    },
    async markTransactionStart(txn, atMs) {
      marks.push({ txn, atMs });
    },
    async markTransactionEnd(txn, atMs) {
      const start = marks.find((m) => m.txn === txn)?.atMs ?? atMs;
      return clipFor(txn, start - 3000, atMs + 3000);
    },
    async metrics() {
      return { framesEncoded: 42 } as RecorderMetrics;
    },
    async shutdown() {
      calls.push('shutdown');
      return { framesEncoded: 42, blockedRequests: 1 } as RecorderMetrics;
    },
  };
  const channels: MessageChannel[] = [];
  const createWorker = () => {
    const ch = new MessageChannel();
    channels.push(ch);
    Comlink.expose(api, ch.port2);
    return Object.assign(ch.port1, { terminate: () => ch.port1.close() }) as unknown as Worker;
  };
  const emit = (cp: WorkerCheckpoint) => sink?.(cp);
  const perceive = (b: PerceptionBatch) => perceptionSink?.(b);
  const close = () => channels.forEach((c) => (c.port1.close(), c.port2.close()));
  return { calls, marks, zones, features, createWorker, emit, perceive, close, clipFor };
}

const fakeStream = { getVideoTracks: () => [] } as unknown as MediaStream;
let cleanup: (() => void)[] = [];
afterEach(() => {
  cleanup.forEach((f) => f());
  cleanup = [];
});

describe('ClipRecorder', () => {
  it('reports a browser without WebCodecs/VP8 as unavailable, with a message, and does not retry', async () => {
    const w = fakeWorker({ ok: false, code: 'codec-unsupported', message: 'the browser cannot encode vp8' });
    cleanup.push(w.close);
    let created = 0;
    const rec = new ClipRecorder({}, { createWorker: () => (created++, w.createWorker()) });
    const seen: string[] = [];
    rec.onStatus((s) => seen.push(s.kind));
    await expect(rec.start(fakeStream)).rejects.toBeInstanceOf(RecorderUnavailableError);
    expect(rec.status).toEqual({
      kind: 'unavailable',
      code: 'codec-unsupported',
      message: 'the browser cannot encode vp8',
    });
    await expect(rec.start(fakeStream)).rejects.toMatchObject({ code: 'codec-unsupported' });
    expect(created).toBe(1);
    expect(seen).toEqual(['starting', 'unavailable']);
  });

  it('retries a start that failed for a reason that may pass (model did not load)', async () => {
    const w = fakeWorker({
      ok: false,
      code: 'face-model-failed',
      message: 'face detector did not load: 404',
    });
    cleanup.push(w.close);
    const rec = new ClipRecorder({}, { createWorker: w.createWorker });
    await expect(rec.prepare()).rejects.toMatchObject({ code: 'face-model-failed' });
    await expect(rec.prepare()).rejects.toMatchObject({ code: 'face-model-failed' });
    expect(w.calls.filter((c) => c === 'init')).toHaveLength(2);
  });

  it('ignores marks before start: there is nothing to cut', async () => {
    const rec = new ClipRecorder();
    await rec.markTransactionStart('t0');
    expect(await rec.markTransactionEnd('t0')).toBeNull();
    expect(await rec.metrics()).toBeNull();
  });

  it('converts epoch marks to the worker clock and clip times back', async () => {
    const w = fakeWorker({ ok: true, codec: 'vp8', faceBlur: true, faceDetector: true });
    cleanup.push(w.close);
    const rec = new ClipRecorder({}, { createWorker: w.createWorker });
    await rec.prepare();
    expect(rec.status.kind).toBe('waiting-for-camera');
    const start = Date.now() - 10_000;
    await rec.markTransactionStart('t1', start);
    const offset = Date.now() - mono();
    expect(Math.abs(w.marks[0]!.atMs - (start - offset))).toBeLessThan(5);
    const end = Date.now();
    const clip = (await rec.markTransactionEnd('t1', end))!;
    expect(Math.abs(clip.startMs - (start - 3000))).toBeLessThan(5);
    expect(Math.abs(clip.endMs - (end + 3000))).toBeLessThan(5);
    expect([...clip.bytes]).toEqual([1, 2, 3]);
    expect(clip.mime).toBe('video/webm');
  });

  it('forwards checkpoints with epoch times, and stop() returns the final metrics', async () => {
    const w = fakeWorker({ ok: true, codec: 'vp8', faceBlur: true, faceDetector: true });
    cleanup.push(w.close);
    const rec = new ClipRecorder({}, { createWorker: w.createWorker });
    await rec.prepare();
    const got: ClipCheckpoint[] = [];
    rec.onCheckpoint((cp) => got.push(cp));
    const t = mono();
    w.emit({ ...w.clipFor('t2', t - 1000, t), seq: 1 });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toHaveLength(1);
    expect(got[0]!.seq).toBe(1);
    expect(Math.abs(got[0]!.endMs - Date.now())).toBeLessThan(100);
    const final = await rec.stop();
    expect(final?.blockedRequests).toBe(1);
    expect(rec.status.kind).toBe('stopped');
    expect(w.calls).toContain('shutdown');
  });

  it('gives a start after stop() a fresh worker; stop() before any start resolves null', async () => {
    const w = fakeWorker({ ok: true, codec: 'vp8', faceBlur: true, faceDetector: true });
    cleanup.push(w.close);
    const rec = new ClipRecorder({}, { createWorker: w.createWorker });
    expect(await rec.stop()).toBeNull();
    await rec.prepare();
    const stopping = rec.stop();
    const again = rec.prepare(); // called before the stop finished
    await stopping;
    await again;
    expect([...w.calls].sort()).toEqual(['init', 'init', 'shutdown']);
    expect(rec.status.kind).toBe('waiting-for-camera');
    expect(await rec.metrics()).toEqual({ framesEncoded: 42 });
  });

  it('applies zones set before the worker exists, and forwards perception batches', async () => {
    const w = fakeWorker({ ok: true, codec: 'vp8', faceBlur: true, faceDetector: true });
    cleanup.push(w.close);
    const rec = new ClipRecorder({}, { createWorker: w.createWorker });
    const zones: LaneZones = {
      v: 1,
      zones: {
        pickup: [
          { x: 0, y: 0 },
          { x: 0.3, y: 0 },
          { x: 0, y: 1 },
        ],
        scanner: [
          { x: 0.3, y: 0 },
          { x: 0.6, y: 0 },
          { x: 0.3, y: 1 },
        ],
        bagging: [
          { x: 0.6, y: 0 },
          { x: 1, y: 0 },
          { x: 0.6, y: 1 },
        ],
      },
      updatedAt: '2026-11-22T08:00:00Z',
    };
    await rec.setZones(zones);
    const got: { types: string[]; hands: number }[] = [];
    rec.onPerception((events, batch) => got.push({ types: events.map((e) => e.type), hands: batch.hands }));
    await rec.prepare();
    expect(w.zones).toEqual([zones]);
    expect(w.features).toEqual([{ record: true, perception: true }]);
    const t = mono();
    w.perceive({
      events: [
        { v: 1, type: 'handsInScanner', count: 1, atMs: t, startMs: t - 100, endMs: t, confidence: 0.9 },
      ],
      tMs: t,
      hands: 1,
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(got).toEqual([{ types: ['handsInScanner'], hands: 1 }]);
    await rec.setZones(null);
    expect(w.zones).toEqual([zones, null]);
  });

  it('asks for an analysis-only worker when recording is off by configuration', async () => {
    const w = fakeWorker({ ok: true, codec: 'vp8', faceBlur: false, faceDetector: false });
    cleanup.push(w.close);
    const rec = new ClipRecorder({}, { createWorker: w.createWorker }, { record: false });
    await rec.prepare();
    expect(w.features).toEqual([{ record: false, perception: true }]);
  });
});
