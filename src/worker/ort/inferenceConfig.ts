/**
 * Configuration of the worker's ONNX Runtime tasks: backend preference, where the ORT runtime and
 * the models are served (our own origin, under the app's base path), label-reader limits and the
 * optional item detector. Pure, so bad input is caught with a clear message before anything loads.
 */
import type { LabelReaderConfig } from '../tasks/labelReader.ts';
import { parseItemDetectorConfig, type ItemDetectorConfig } from '../tasks/itemDetectorConfig.ts';
import { isBackendPreference, type BackendPreference } from './backend.ts';

export interface InferenceConfig {
  backend: BackendPreference;
  /** Folder with onnxruntime-web's runtime files (see viteOrtAssets.ts). */
  ortWasmBaseUrl: string;
  labelReader: LabelReaderConfig;
  itemDetector: ItemDetectorConfig | null;
}

export interface InferenceConfigPatch {
  backend?: BackendPreference;
  ortWasmBaseUrl?: string;
  labelReader?: Partial<LabelReaderConfig>;
  itemDetector?: ItemDetectorConfig | null;
}

/** Everything from our own origin, under the app's base path. */
export function defaultInferenceConfig(base: string = import.meta.env.BASE_URL): InferenceConfig {
  const b = base.endsWith('/') ? base : `${base}/`;
  return {
    backend: 'auto',
    ortWasmBaseUrl: `${b}ort/`,
    labelReader: {
      detModelUrl: `${b}models/ch_PP-OCRv4_det_infer.onnx`,
      recModelUrl: `${b}models/ch_PP-OCRv4_rec_infer.onnx`,
      keysUrl: `${b}models/ppocr_keys_v1.txt`,
      detLimit: 640,
      maxLines: 8,
      recMaxWidth: 320,
      minLineConfidence: 0.5,
    },
    itemDetector: null,
  };
}

/** Merges and checks a patch; throws naming the bad field. */
export function mergeInferenceConfig(base: InferenceConfig, patch: InferenceConfigPatch): InferenceConfig {
  if (patch.backend !== undefined && !isBackendPreference(patch.backend))
    throw new Error(`backend must be auto, webgpu or wasm, got ${String(patch.backend)}`);
  const out: InferenceConfig = {
    backend: patch.backend ?? base.backend,
    ortWasmBaseUrl: patch.ortWasmBaseUrl ?? base.ortWasmBaseUrl,
    labelReader: { ...base.labelReader, ...patch.labelReader },
    itemDetector:
      patch.itemDetector === undefined ? base.itemDetector : parseItemDetectorConfig(patch.itemDetector),
  };
  const lr = out.labelReader;
  for (const k of ['detLimit', 'maxLines', 'recMaxWidth'] as const)
    if (!Number.isInteger(lr[k]) || lr[k] <= 0)
      throw new Error(`labelReader.${k} must be a positive integer`);
  if (!(lr.minLineConfidence >= 0 && lr.minLineConfidence <= 1))
    throw new Error('labelReader.minLineConfidence must be in 0..1');
  return out;
}
