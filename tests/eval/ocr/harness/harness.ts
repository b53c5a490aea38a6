/**
 * Test and evaluation page for the label reader (never part of the app build): drives the app's
 * real inference worker (src/worker/visionWorker.ts) through its Comlink API, with every file
 * (worker, onnxruntime-web, models) served from the page's own origin.
 */
import * as Comlink from 'comlink';
import { colourHistogram, type HistogramOptions } from '../../../../src/core/perception/colourHistogram.ts';
import type { InferenceStatus } from '../../../../src/worker/ort/backend.ts';
import type { InferenceConfigPatch } from '../../../../src/worker/ort/inferenceConfig.ts';
import type { VisionWorkerApi } from '../../../../src/worker/protocol.ts';
import type { LabelRead } from '../../../../src/worker/tasks/labelReader.ts';

const worker = new Worker(new URL('../../../../src/worker/visionWorker.ts', import.meta.url), {
  type: 'module',
});
const api = Comlink.wrap<VisionWorkerApi>(worker);

async function bitmapOf(url: string): Promise<ImageBitmap> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  return createImageBitmap(await res.blob());
}

export interface OcrHarness {
  configure(patch: InferenceConfigPatch): Promise<void>;
  status(): Promise<InferenceStatus>;
  /** OCR of an image URL through the worker. */
  read(url: string): Promise<LabelRead & { width: number; height: number }>;
  /** OCR of black text drawn on white at the given size (tiny inputs for the slow WebGPU emulation). */
  readDrawn(text: string, width: number, height: number): Promise<LabelRead>;
  histogram(url: string, options?: Partial<HistogramOptions>): Promise<number[]>;
}

const harness: OcrHarness = {
  configure: (patch) => api.configureInference(patch),
  status: () => api.inferenceBackend(),
  async read(url) {
    const image = await bitmapOf(url);
    const { width, height } = image;
    const r = await api.readLabel(Comlink.transfer(image, [image]));
    return { ...r, width, height };
  },
  async readDrawn(text, width, height) {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#000';
    ctx.font = `bold ${Math.round(height * 0.45)}px sans-serif`;
    ctx.textBaseline = 'middle';
    ctx.fillText(text, Math.round(height * 0.25), height / 2);
    const image = canvas.transferToImageBitmap();
    return api.readLabel(Comlink.transfer(image, [image]));
  },
  async histogram(url, options) {
    const image = await bitmapOf(url);
    const canvas = new OffscreenCanvas(image.width, image.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    ctx.drawImage(image, 0, 0);
    image.close();
    return colourHistogram(
      ctx.getImageData(0, 0, canvas.width, canvas.height).data,
      canvas.width,
      canvas.height,
      options,
    );
  },
};

(window as unknown as { ocrHarness: OcrHarness }).ocrHarness = harness;
document.body.dataset.ready = 'true';
