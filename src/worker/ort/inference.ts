/**
 * The worker's ONNX Runtime tasks behind the LabelReaderApi: one runtime (backend chosen once),
 * the label reader and the optional item detector. Nothing here runs at worker start: the
 * runtime is created by the first call that needs it, and each model loads on its first use.
 */
import { LabelReader, type LabelRead } from '../tasks/labelReader.ts';
import { ItemDetector } from '../tasks/itemDetector.ts';
import { ItemDetectorSlot, type ItemDetection } from '../tasks/itemDetectorConfig.ts';
import type { InferenceStatus } from './backend.ts';
import {
  defaultInferenceConfig,
  mergeInferenceConfig,
  type InferenceConfig,
  type InferenceConfigPatch,
} from './inferenceConfig.ts';
import { OrtRuntime } from './session.ts';

export type { InferenceConfig, InferenceConfigPatch };

export class WorkerInference {
  private config: InferenceConfig;
  private runtime: Promise<OrtRuntime> | null = null;
  private reader: LabelReader;
  private items: ItemDetectorSlot;

  constructor(config: InferenceConfig = defaultInferenceConfig()) {
    this.config = config;
    this.reader = this.makeReader();
    this.items = this.makeItems();
  }

  /** Applies before the first model loads; later, sessions already created keep their backend. */
  configure(patch: InferenceConfigPatch): void {
    const next = mergeInferenceConfig(this.config, patch);
    if (this.runtime && next.backend !== this.config.backend)
      throw new Error(
        'the inference backend is fixed once a model has loaded; restart the worker to change it',
      );
    this.config = next;
    this.reader = this.makeReader();
    this.items = this.makeItems();
  }

  async status(): Promise<InferenceStatus> {
    return (await this.ortRuntime()).status();
  }

  readLabel(image: ImageBitmap): Promise<LabelRead> {
    return this.reader.read(image);
  }

  detectItems(image: ImageBitmap): Promise<ItemDetection[]> {
    return this.items.detect(image);
  }

  private ortRuntime(): Promise<OrtRuntime> {
    this.runtime ??= OrtRuntime.create({
      wasmBaseUrl: this.config.ortWasmBaseUrl,
      backend: this.config.backend,
    });
    return this.runtime;
  }

  private makeReader(): LabelReader {
    return new LabelReader(() => this.ortRuntime(), this.config.labelReader);
  }

  private makeItems(): ItemDetectorSlot {
    return new ItemDetectorSlot(this.config.itemDetector, async (c) =>
      ItemDetector.load(await this.ortRuntime(), c),
    );
  }
}
