/**
 * A chain's YOLO-style item detector on ONNX Runtime (contract: docs/item-detector.md). The image is
 * letterboxed into S x S (grey bars, as YOLO trains), fed as RGB 0..1, and the output decoded by
 * src/core/perception/yoloDecode.ts whichever of the two common layouts it has.
 */
import { decodeYolo, letterbox, nonItemKindForLabel, parseLabels } from '../../core/perception/yoloDecode.ts';
import { ort, type OrtRuntime } from '../ort/session.ts';
import type { ItemDetection, ItemDetectorConfig, ItemDetectorLike } from './itemDetectorConfig.ts';

export class ItemDetector implements ItemDetectorLike {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly labels: string[],
    private readonly config: ItemDetectorConfig,
  ) {}

  static async load(runtime: OrtRuntime, config: ItemDetectorConfig): Promise<ItemDetector> {
    const res = await fetch(config.labelsUrl);
    if (!res.ok) throw new Error(`item detector labels ${config.labelsUrl}: HTTP ${res.status}`);
    const labels = parseLabels(await res.text());
    const session = await runtime.load('item-detector', config.modelUrl);
    return new ItemDetector(session, labels, config);
  }

  async detect(image: ImageBitmap): Promise<ItemDetection[]> {
    try {
      const s = this.config.inputSize;
      const box = letterbox(image.width, image.height, s);
      const canvas = new OffscreenCanvas(s, s);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error('no 2D context on OffscreenCanvas');
      ctx.fillStyle = 'rgb(114, 114, 114)';
      ctx.fillRect(0, 0, s, s);
      ctx.drawImage(image, box.padX, box.padY, image.width * box.scale, image.height * box.scale);
      const rgba = ctx.getImageData(0, 0, s, s).data;
      const plane = s * s;
      const input = new Float32Array(3 * plane);
      for (let i = 0; i < plane; i++)
        for (let c = 0; c < 3; c++) input[c * plane + i] = (rgba[i * 4 + c] ?? 0) / 255;
      const name = this.session.inputNames[0] ?? 'images';
      const out = await this.session.run({ [name]: new ort.Tensor('float32', input, [1, 3, s, s]) });
      const t = out[this.session.outputNames[0] ?? ''];
      if (!t) throw new Error('item detector gave no output');
      const opts = { numClasses: this.labels.length, ...pick(this.config) };
      return decodeYolo(t.data as Float32Array, t.dims, box, opts).map((d) => {
        const label = this.labels[d.classId] ?? `class ${d.classId}`;
        return { ...d, label, nonItemKind: nonItemKindForLabel(label) };
      });
    } finally {
      image.close();
    }
  }
}

function pick(c: ItemDetectorConfig): { scoreThreshold?: number; iouThreshold?: number } {
  const out: { scoreThreshold?: number; iouThreshold?: number } = {};
  if (c.scoreThreshold !== undefined) out.scoreThreshold = c.scoreThreshold;
  if (c.iouThreshold !== undefined) out.iouThreshold = c.iouThreshold;
  return out;
}
