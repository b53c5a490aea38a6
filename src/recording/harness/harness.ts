/**
 * Test and benchmark page for the recorder (never part of the app build): served at the app's
 * origin by the e2e suite (tests/e2e/support/faceCamera.ts) and by the benchmark. It drives the
 * real ClipRecorder and worker on the (fake) camera and measures the stored result.
 */
import { ClipRecorder, type ClipCheckpoint, type RecordedClip } from '../clipRecorder.ts';
import type { RecorderConfig } from '../config.ts';
import { expandBox, type Box } from '../faceBoxes.ts';
import { readWebm } from '../webmReader.ts';
import { decodeClip } from './decodeClip.ts';
import { gradientEnergy, laplacianVariance, toGray } from './imageEnergy.ts';
import { toBase64 } from '../../core/evidence/clipCipher.ts';

const BASE = import.meta.env.BASE_URL;
const ASSETS: Partial<RecorderConfig> = {
  wasmBaseUrl: `${BASE}mediapipe`,
  faceModelUrl: `${BASE}models/face_detector_short_range.tflite`,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let stream: MediaStream | null = null;
let recorder: ClipRecorder | null = null;
const checkpoints: ClipCheckpoint[] = [];

async function openCamera(): Promise<{ width: number; height: number }> {
  stream ??= await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 }, audio: false });
  const video = document.getElementById('live') as HTMLVideoElement;
  video.srcObject = stream;
  await video.play();
  while (video.videoWidth === 0) await sleep(20);
  return { width: video.videoWidth, height: video.videoHeight };
}

async function startRecorder(config: Partial<RecorderConfig> = {}): Promise<void> {
  if (!stream) await openCamera();
  recorder = new ClipRecorder({ ...ASSETS, ...config });
  recorder.onCheckpoint((cp) => checkpoints.push(cp));
  await recorder.start(stream!);
  // Wait for the first stored frames: the detector and encoder are then warm.
  for (;;) {
    const m = await recorder.metrics();
    if (m && m.framesEncoded >= 3) return;
    await sleep(100);
  }
}

function need(): ClipRecorder {
  if (!recorder) throw new Error('startRecorder() first');
  return recorder;
}

/** The live (unblurred) camera image as the mirror shows it, with its capture time (epoch ms). */
async function grabLive(): Promise<{ atMs: number; image: ImageData }> {
  const video = document.getElementById('live') as HTMLVideoElement;
  await new Promise<void>((r) => video.requestVideoFrameCallback(() => r()));
  const atMs = Date.now();
  const canvas = new OffscreenCanvas(640, 360);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(video, 0, 0, 640, 360);
  return { atMs, image: ctx.getImageData(0, 0, 640, 360) };
}

async function detectFaces(image: ImageData): Promise<Box[]> {
  const res = await need().blurStill(await createImageBitmap(image));
  res.image.close();
  return res.faces;
}

/** Edge energy in `box` (minus `exclude`), and the Laplacian variance for the report. */
function energy(image: ImageData, box: Box, exclude: Box[] = []): number {
  return gradientEnergy(
    toGray(image.data, image.width, image.height),
    image.width,
    image.height,
    box,
    exclude,
  );
}

function laplacian(image: ImageData, box: Box): number {
  return laplacianVariance(toGray(image.data, image.width, image.height), image.width, image.height, box);
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : NaN);

function summary(clip: RecordedClip) {
  const { bytes, ...rest } = clip;
  return { ...rest, byteLength: bytes.byteLength };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/**
 * Records a short transaction on the face camera and compares the stored (decoded) frames with
 * the live frames at the same moments: inside the face box found on the live frame, and in the
 * most detailed region away from the face.
 */
async function faceBlurScenario(opts: { txnMs: number; grabs: number; preMs: number; postMs: number }) {
  await startRecorder({ preMs: opts.preMs, postMs: opts.postMs, checkpointMs: 1000 });
  const rec = need();
  // Let the ring fill past the pre-roll (plus a keyframe interval) so the clip is not truncated.
  while (((await rec.metrics())?.ringMs ?? 0) < opts.preMs + rec.config.keyframeIntervalMs) await sleep(100);
  const startAt = Date.now();
  await rec.markTransactionStart('txn-face', startAt);
  const grabs: { atMs: number; image: ImageData; faces: Box[] }[] = [];
  const gap = opts.txnMs / (opts.grabs + 1);
  for (let i = 0; i < opts.grabs; i++) {
    await sleep(gap);
    const live = await grabLive();
    grabs.push({ ...live, faces: await detectFaces(live.image) });
  }
  await sleep(Math.max(0, startAt + opts.txnMs - Date.now()));
  const endAt = Date.now();
  const clip = await rec.markTransactionEnd('txn-face', endAt);
  if (!clip) throw new Error('no clip');
  const decoded = await decodeClip(clip.bytes);

  const comparisons = grabs.map((g) => {
    const face = [...g.faces].sort((a, b) => b.w * b.h - a.w * a.h)[0];
    // The stored frame closest in time to the live grab.
    let best = decoded[0]!;
    for (const d of decoded)
      if (
        Math.abs(clip.startMs + d.timestampMs - g.atMs) < Math.abs(clip.startMs + best.timestampMs - g.atMs)
      )
        best = d;
    if (!face) return { liveFaces: 0, dtMs: NaN, face: null, faceRatio: NaN, detailRatio: NaN };
    // "Elsewhere": the whole frame minus the face and what the blur may have touched around it.
    const frame = { x: 0, y: 0, w: 640, h: 360 };
    const around = [expandBox(face, 0.5)];
    return {
      liveFaces: g.faces.length,
      dtMs: clip.startMs + best.timestampMs - g.atMs,
      face,
      faceRatio: ratio(energy(best.image, face), energy(g.image, face)),
      faceLaplacianRatio: ratio(laplacian(best.image, face), laplacian(g.image, face)),
      detailRatio: ratio(energy(best.image, frame, around), energy(g.image, frame, around)),
      faceLive: energy(g.image, face),
      detailLive: energy(g.image, frame, around),
    };
  });

  // Is any face still findable in what was stored? Run the same detector on every decoded frame.
  let framesWithFaces = 0;
  for (const d of decoded) if ((await detectFaces(d.image)).length > 0) framesWithFaces++;

  const cps = checkpoints.filter((c) => c.txn === 'txn-face');
  const metrics = await rec.metrics();
  const final = await rec.stop();
  recorder = null;
  return {
    blockedRequests: final?.blockedRequests ?? -1,
    clipBase64: toBase64(clip.bytes),
    startAt,
    endAt,
    clip: summary(clip),
    decodedFrames: decoded.length,
    framesWithFaces,
    comparisons,
    medianFaceRatio: median(comparisons.map((c) => c.faceRatio)),
    medianDetailRatio: median(comparisons.map((c) => c.detailRatio)),
    checkpoints: cps.map((c) => ({
      ...summary(c),
      seq: c.seq,
      firstIsKey: readWebm(c.bytes).frames[0]?.key ?? false,
    })),
    metrics,
  };
}

/** A still through the recorder's detector and blur: faces found, detail left in each. */
async function stillBlurScenario(url: string) {
  if (!recorder) await startRecorder();
  const blob = await (await fetch(url)).blob();
  const bitmap = await createImageBitmap(blob);
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  const original = ctx.getImageData(0, 0, width, height);
  const res = await need().blurStill(bitmap);
  ctx.drawImage(res.image, 0, 0);
  res.image.close();
  const blurred = ctx.getImageData(0, 0, width, height);
  const faces = res.faces.map((f) => ({
    box: f,
    ratio: ratio(energy(blurred, f), energy(original, f)),
    laplacianRatio: ratio(laplacian(blurred, f), laplacian(original, f)),
  }));
  // Outside the blurred regions nothing may change.
  const all = { x: 0, y: 0, w: width, h: height };
  const detailRatio = ratio(energy(blurred, all, res.blurred), energy(original, all, res.blurred));
  return { width, height, faces, blurred: res.blurred, detailRatio };
}

async function markStart(txn: string): Promise<number> {
  const at = Date.now();
  await need().markTransactionStart(txn, at);
  return at;
}

async function markEnd(txn: string) {
  const clip = await need().markTransactionEnd(txn, Date.now());
  return clip ? summary(clip) : null;
}

async function metrics() {
  return need().metrics();
}

async function stop(): Promise<void> {
  await recorder?.stop();
  recorder = null;
}

/** Switches the recorder to a fresh camera stream, as the app does after a reconnect. */
async function reconnect(): Promise<void> {
  const old = stream;
  stream = null;
  await openCamera();
  await need().start(stream!);
  old?.getTracks().forEach((t) => t.stop());
}

const api = {
  openCamera,
  startRecorder,
  faceBlurScenario,
  stillBlurScenario,
  markStart,
  markEnd,
  metrics,
  stop,
  reconnect,
};
export type RecordingHarness = typeof api;
(window as unknown as { recordingHarness: RecordingHarness }).recordingHarness = api;
document.body.dataset.ready = 'true';
