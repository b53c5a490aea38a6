/**
 * Wrong-scan label reader: PP-OCRv4 (detector + recogniser) on ONNX Runtime, in the inference
 * worker. The sessions load on the first read, never at worker start, so they cannot delay
 * recording. Pixels go through OffscreenCanvas (resize, crop, rotate); everything else is the pure
 * code in src/core/perception/ocr*.ts.
 */
import { dbBoxes, type TextBox } from '../../core/perception/ocrBoxes.ts';
import { ctcGreedyDecode, parseKeys, type CtcDictionary } from '../../core/perception/ocrCtc.ts';
import {
  DET_NORMALISATION,
  REC_HEIGHT,
  REC_NORMALISATION,
  detInputSize,
  recInputWidth,
  rgbaToBgrTensor,
} from '../../core/perception/ocrTensor.ts';
import type { OrtBackend } from '../ort/backend.ts';
import { ort, type OrtRuntime } from '../ort/session.ts';

export interface LabelReaderConfig {
  detModelUrl: string;
  recModelUrl: string;
  keysUrl: string;
  /** Longest side of the detector input (px); PaddleOCR's default for mobile is 960. */
  detLimit: number;
  /** Text lines recognised per image (the most confident / largest first). */
  maxLines: number;
  recMaxWidth: number;
  /** Lines read with a lower mean character probability are dropped. */
  minLineConfidence: number;
}

export interface LabelLine extends TextBox {
  text: string;
  confidence: number;
}

export interface LabelRead {
  /** The kept lines in reading order, joined with spaces. */
  text: string;
  boxes: LabelLine[];
  /** Detection + recognition of this image, ms (model loading excluded, see loadMs). */
  ms: number;
  /** Time spent loading the models during this call (first use only), ms. */
  loadMs: number;
  backend: OrtBackend;
}

interface Models {
  det: ort.InferenceSession;
  rec: ort.InferenceSession;
  dict: CtcDictionary;
}

export class LabelReader {
  private models: Promise<Models> | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly runtime: () => Promise<OrtRuntime>,
    private readonly config: LabelReaderConfig,
  ) {}

  get loaded(): boolean {
    return this.models !== null;
  }

  /** Reads the text on one image; the bitmap is closed afterwards. Calls run one at a time. */
  read(image: ImageBitmap): Promise<LabelRead> {
    const run = this.queue.then(() => this.readNow(image)).finally(() => image.close());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private load(): Promise<Models> {
    this.models ??= (async () => {
      const rt = await this.runtime();
      const keys = await fetch(this.config.keysUrl);
      if (!keys.ok) throw new Error(`OCR keys ${this.config.keysUrl}: HTTP ${keys.status}`);
      const dict = parseKeys(await keys.text());
      const det = await rt.load('ocr-det', this.config.detModelUrl);
      const rec = await rt.load('ocr-rec', this.config.recModelUrl);
      return { det, rec, dict };
    })().catch((err: unknown) => {
      this.models = null; // a later read may retry (e.g. the server was briefly away)
      throw err;
    });
    return this.models;
  }

  private async readNow(image: ImageBitmap): Promise<LabelRead> {
    if (!(image.width > 0 && image.height > 0)) throw new Error('readLabel: the image is empty');
    const t0 = performance.now();
    const models = await this.load();
    const rt = await this.runtime();
    const t1 = performance.now();
    const boxes = await this.detect(models.det, image);
    const lines: LabelLine[] = [];
    for (const box of boxes) {
      const read = await this.recognise(models, image, box);
      if (read.text.trim().length > 0 && read.confidence >= this.config.minLineConfidence)
        lines.push({ ...box, ...read });
    }
    return {
      text: lines.map((l) => l.text.trim()).join(' '),
      boxes: lines,
      ms: performance.now() - t1,
      loadMs: t1 - t0,
      backend: rt.backend,
    };
  }

  private async detect(det: ort.InferenceSession, image: ImageBitmap): Promise<TextBox[]> {
    const size = detInputSize({ width: image.width, height: image.height }, this.config.detLimit);
    const rgba = draw(size.width, size.height, (ctx) => ctx.drawImage(image, 0, 0, size.width, size.height));
    const input = new ort.Tensor('float32', rgbaToBgrTensor(rgba, size, DET_NORMALISATION), [
      1,
      3,
      size.height,
      size.width,
    ]);
    const out = await det.run({ [det.inputNames[0] ?? 'x']: input });
    const prob = out[det.outputNames[0] ?? ''];
    if (!prob) throw new Error('OCR detector gave no output');
    const [, , h, w] = prob.dims;
    const map = { data: prob.data as Float32Array, width: w ?? 0, height: h ?? 0 };
    return dbBoxes(map, image.width, image.height, { maxBoxes: this.config.maxLines });
  }

  private async recognise(
    { rec, dict }: Models,
    image: ImageBitmap,
    box: TextBox,
  ): Promise<{ text: string; confidence: number }> {
    // PaddleOCR turns tall crops a quarter counter-clockwise: vertical text on a carton side.
    const vertical = box.h >= 1.5 * box.w;
    const width = recInputWidth(
      vertical ? { width: box.h, height: box.w } : { width: box.w, height: box.h },
      this.config.recMaxWidth,
    );
    const rgba = draw(width, REC_HEIGHT, (ctx) => {
      if (vertical) {
        ctx.translate(0, REC_HEIGHT);
        ctx.rotate(-Math.PI / 2);
        ctx.drawImage(image, box.x, box.y, box.w, box.h, 0, 0, REC_HEIGHT, width);
      } else ctx.drawImage(image, box.x, box.y, box.w, box.h, 0, 0, width, REC_HEIGHT);
    });
    const input = new ort.Tensor(
      'float32',
      rgbaToBgrTensor(rgba, { width, height: REC_HEIGHT }, REC_NORMALISATION),
      [1, 3, REC_HEIGHT, width],
    );
    const out = await rec.run({ [rec.inputNames[0] ?? 'x']: input });
    const probs = out[rec.outputNames[0] ?? ''];
    if (!probs) throw new Error('OCR recogniser gave no output');
    const [, steps, classes] = probs.dims;
    return ctcGreedyDecode(probs.data as Float32Array, steps ?? 0, classes ?? 0, dict);
  }
}

function draw(
  width: number,
  height: number,
  paint: (ctx: OffscreenCanvasRenderingContext2D) => void,
): Uint8ClampedArray {
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
  ctx.imageSmoothingQuality = 'high';
  paint(ctx);
  return ctx.getImageData(0, 0, width, height).data;
}
