/**
 * The label reader's own worker, started by the vision worker on the first crop to read. ONNX
 * Runtime's WASM backend runs single-threaded here (no cross-origin isolation) and blocks its
 * thread for the length of a read; in this nested worker that stalls nothing but the next read,
 * while the vision worker keeps recording and analysing hands at its rate.
 */
import * as Comlink from 'comlink';
import { boxGtin, pickItemBox, readSize, type PixelRect } from '../../core/perception/appearanceCrop.ts';
import { installFetchGuard, type GuardScope } from '../fetchGuard.ts';
import { installNativeLogFilter } from '../nativeLog.ts';
import { WorkerInference } from '../ort/inference.ts';
import type { InferenceConfigPatch } from '../ort/inferenceConfig.ts';
import type { AppearanceRead, AppearanceWorkerApi } from './appearanceApi.ts';

installNativeLogFilter(console);
installFetchGuard(self as unknown as GuardScope, () => undefined);

let inference = new WorkerInference();
let detector = false;

async function read(frame: ImageBitmap, hand: PixelRect): Promise<AppearanceRead> {
  try {
    let box = hand;
    let source: AppearanceRead['source'] = 'hand';
    let match: AppearanceRead['match'];
    if (detector) {
      const found = await inference.detectItems(await createImageBitmap(frame));
      const item = pickItemBox(found, hand);
      if (item) {
        box = clip(item, frame.width, frame.height);
        source = 'detector';
        match = boxGtin(item) ?? undefined;
      }
    }
    // Small crops go in enlarged: the detector never upscales, and label print here is tiny.
    const size = readSize(box);
    const crop = await createImageBitmap(
      frame,
      box.x,
      box.y,
      box.w,
      box.h,
      size.scale > 1 ? { resizeWidth: size.width, resizeHeight: size.height, resizeQuality: 'high' } : {},
    );
    const label = await inference.readLabel(crop);
    const confidence =
      label.boxes.length > 0 ? label.boxes.reduce((s, l) => s + l.confidence, 0) / label.boxes.length : 0;
    return {
      text: label.text,
      confidence,
      ms: label.ms,
      loadMs: label.loadMs,
      backend: label.backend,
      box,
      source,
      ...(match ? { match } : {}),
    };
  } finally {
    frame.close();
  }
}

function clip(r: PixelRect, width: number, height: number): PixelRect {
  const x = Math.max(0, Math.floor(r.x));
  const y = Math.max(0, Math.floor(r.y));
  return {
    x,
    y,
    w: Math.max(1, Math.min(width - x, Math.ceil(r.w))),
    h: Math.max(1, Math.min(height - y, Math.ceil(r.h))),
  };
}

const api: AppearanceWorkerApi = {
  async configure(patch: InferenceConfigPatch) {
    const next = new WorkerInference();
    next.configure(patch);
    inference = next;
    detector = patch.itemDetector !== undefined && patch.itemDetector !== null;
  },
  read,
};

Comlink.expose(api);
