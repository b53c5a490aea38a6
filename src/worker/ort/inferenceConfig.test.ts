import { describe, expect, it } from 'vitest';
import { defaultInferenceConfig, mergeInferenceConfig } from './inferenceConfig.ts';

describe('inference config', () => {
  it('serves everything from our origin under the base path, with no item detector', () => {
    const c = defaultInferenceConfig('/__ocr/');
    expect(c.backend).toBe('auto');
    expect(c.ortWasmBaseUrl).toBe('/__ocr/ort/');
    expect(c.labelReader.detModelUrl).toBe('/__ocr/models/ch_PP-OCRv4_det_infer.onnx');
    expect(c.labelReader.keysUrl).toBe('/__ocr/models/ppocr_keys_v1.txt');
    expect(c.itemDetector).toBeNull();
    expect(defaultInferenceConfig('/app').ortWasmBaseUrl).toBe('/app/ort/');
  });
  it('merges a patch and checks it', () => {
    const base = defaultInferenceConfig('/');
    const c = mergeInferenceConfig(base, {
      backend: 'wasm',
      labelReader: { maxLines: 4 },
      itemDetector: { modelUrl: '/models/items.onnx', labelsUrl: '/models/items.txt', inputSize: 320 },
    });
    expect(c.backend).toBe('wasm');
    expect(c.labelReader.maxLines).toBe(4);
    expect(c.labelReader.detLimit).toBe(base.labelReader.detLimit);
    expect(c.itemDetector?.inputSize).toBe(320);
    expect(mergeInferenceConfig(c, { itemDetector: null }).itemDetector).toBeNull();
  });
  it('names the bad field', () => {
    const base = defaultInferenceConfig('/');
    expect(() => mergeInferenceConfig(base, { backend: 'gpu' as never })).toThrow(
      /backend must be auto, webgpu or wasm/,
    );
    expect(() => mergeInferenceConfig(base, { labelReader: { detLimit: 0 } })).toThrow(
      /labelReader.detLimit/,
    );
    expect(() => mergeInferenceConfig(base, { labelReader: { minLineConfidence: 2 } })).toThrow(
      /minLineConfidence/,
    );
    expect(() =>
      mergeInferenceConfig(base, { itemDetector: { modelUrl: 'x', inputSize: 320 } as never }),
    ).toThrow(/labelsUrl/);
  });
});
