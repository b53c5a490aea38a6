import { describe, expect, it } from 'vitest';
import {
  buildModelMetadata,
  METADATA_IDENTIFIER,
  MIN_PARSER_VERSION,
  readModelMetadata,
} from './metadata.ts';
import { FlatBufferReader } from './reader.ts';

describe('ModelMetadata', () => {
  const spec = {
    name: 'palm_detection_lite',
    description: 'test',
    author: 'Google (MediaPipe)',
    license: 'Apache-2.0',
    inputs: [{ name: 'input_1', normalization: { mean: [0], std: [255] } }],
  };

  it('round-trips names and normalization', () => {
    const md = readModelMetadata(buildModelMetadata(spec));
    expect(md).toEqual({
      name: 'palm_detection_lite',
      description: 'test',
      version: undefined,
      author: 'Google (MediaPipe)',
      license: 'Apache-2.0',
      minParserVersion: MIN_PARSER_VERSION,
      subgraphs: [{ inputs: [{ name: 'input_1', normalization: { mean: [0], std: [255] } }], outputs: [] }],
    });
  });

  it('uses the schema field indices MediaPipe reads', () => {
    const bytes = buildModelMetadata({
      name: 'm',
      inputs: [{ name: 'in', normalization: { mean: [127.5], std: [127.5] } }],
    });
    const fb = new FlatBufferReader(bytes);
    expect(fb.fileIdentifier()).toBe(METADATA_IDENTIFIER);
    const root = fb.root();
    expect(root.string(0)).toBe('m'); // ModelMetadata.name
    expect(root.string(7)).toBe('1.0.0'); // ModelMetadata.min_parser_version
    const [subgraph] = root.tables(3); // ModelMetadata.subgraph_metadata
    const [tensor] = subgraph!.tables(2); // SubGraphMetadata.input_tensor_metadata
    expect(tensor!.string(0)).toBe('in'); // TensorMetadata.name
    const [unit] = tensor!.tables(4); // TensorMetadata.process_units
    expect(unit!.u8(0)).toBe(1); // ProcessUnit.options_type = NormalizationOptions
    const options = unit!.table(1)!; // ProcessUnit.options
    expect(options.f32s(0)).toEqual([127.5]); // NormalizationOptions.mean
    expect(options.f32s(1)).toEqual([127.5]); // NormalizationOptions.std
  });

  it('describes several inputs and inputs without normalization', () => {
    const md = readModelMetadata(
      buildModelMetadata({
        name: 'two',
        inputs: [{ name: 'a', normalization: { mean: [1, 2, 3], std: [4, 5, 6] } }, { name: 'b' }],
      }),
    );
    expect(md.subgraphs[0]!.inputs).toEqual([
      { name: 'a', normalization: { mean: [1, 2, 3], std: [4, 5, 6] } },
      { name: 'b' },
    ]);
  });

  it('rejects bad normalization and foreign buffers', () => {
    expect(() =>
      buildModelMetadata({ name: 'x', inputs: [{ name: 'i', normalization: { mean: [0], std: [0] } }] }),
    ).toThrow(/positive/);
    expect(() =>
      buildModelMetadata({ name: 'x', inputs: [{ name: 'i', normalization: { mean: [0, 1], std: [1] } }] }),
    ).toThrow(/equally long/);
    expect(() => readModelMetadata(new Uint8Array(16))).toThrow(/M001/);
  });
});
