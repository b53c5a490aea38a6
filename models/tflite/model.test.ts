import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { addMetadataEntry, getMetadataBuffer, readTfliteModel, TfliteModelError } from './model.ts';
import { FlatBufferReader } from './reader.ts';
import { f, serialize, table, type FbValue } from './writer.ts';

/** A small model with the shape of a real one: one subgraph, buffers with 16-byte aligned data, metadata. */
function tinyModel(extra: (FbValue | undefined)[] = []): Uint8Array {
  const tensor = (name: string, type: number, shape: number[]) =>
    table([f.i32s(shape), f.i8(type), f.u32(0), f.str(name)]);
  const fields: (FbValue | undefined)[] = [
    f.u32(3), // version
    f.tables([table([f.i8(3)])]), // operator_codes
    f.tables([
      table([
        f.tables([tensor('image', 0, [1, 4, 4, 3]), tensor('scores', 0, [1, 2]), tensor('q', 3, [1])]),
        f.i32s([0]),
        f.i32s([1, 2]),
        f.tables([]),
        f.str('main'),
      ]),
    ]),
    f.str('tiny'), // description
    f.tables([
      table([]),
      table([f.bytes(new Uint8Array([9, 8, 7, 6, 5]), 16)]),
      table([f.bytes(new TextEncoder().encode('1.5.0'), 16)]),
    ]),
    f.i32s([2]), // metadata_buffer
    f.tables([table([f.str('min_runtime_version'), f.u32(2)])]),
  ];
  extra.forEach((v, i) => (fields[7 + i] = v));
  return serialize(table(fields), { identifier: 'TFL3' });
}

describe('readTfliteModel', () => {
  it('reads the outline of a model', () => {
    expect(readTfliteModel(tinyModel())).toEqual({
      version: 3,
      description: 'tiny',
      subgraphs: [
        {
          name: 'main',
          inputs: [{ name: 'image', type: 'FLOAT32', shape: [1, 4, 4, 3] }],
          outputs: [
            { name: 'scores', type: 'FLOAT32', shape: [1, 2] },
            { name: 'q', type: 'UINT8', shape: [1] },
          ],
        },
      ],
      bufferCount: 3,
      metadata: [{ name: 'min_runtime_version', buffer: 2 }],
    });
  });

  it('refuses what is not a TFLite flatbuffer', () => {
    const bytes = tinyModel();
    bytes.set([0x58, 0x58, 0x58, 0x58], 4);
    expect(() => readTfliteModel(bytes)).toThrow(/expected "TFL3"/);
  });
});

describe('addMetadataEntry', () => {
  it('appends a buffer and a metadata entry and keeps everything else', () => {
    const src = tinyModel();
    const data = new TextEncoder().encode('new metadata');
    const out = addMetadataEntry(src, 'TFLITE_METADATA', data);
    const before = readTfliteModel(src);
    const after = readTfliteModel(out);
    expect(after.subgraphs).toEqual(before.subgraphs);
    expect(after.version).toBe(3);
    expect(after.description).toBe('tiny');
    expect(after.bufferCount).toBe(4);
    expect(after.metadata).toEqual([
      { name: 'min_runtime_version', buffer: 2 },
      { name: 'TFLITE_METADATA', buffer: 3 },
    ]);
    expect(new TextDecoder().decode(getMetadataBuffer(out, 'min_runtime_version'))).toBe('1.5.0');
    expect([...getMetadataBuffer(out, 'TFLITE_METADATA')!]).toEqual([...data]);
    expect(getMetadataBuffer(out, 'absent')).toBeUndefined();
    // The old bytes follow the new front region unchanged, shifted by a multiple of 64.
    const shift = out.length - src.length;
    expect(shift % 64).toBe(0);
    expect(Buffer.from(out.subarray(shift)).equals(src)).toBe(true);
    // Old and new buffer data stay 16-byte aligned; fields the tool does not interpret are kept.
    const root = new FlatBufferReader(out).root();
    for (const b of root.tables(4).slice(1)) expect(b.target(0)! % 16 === 12).toBe(true); // data at +4 is 16-aligned
    expect(root.i32s(5)).toEqual([2]);
    expect(root.tables(1)[0]!.i8(0)).toBe(3);
  });

  it('can add several entries in turn', () => {
    const once = addMetadataEntry(tinyModel(), 'A', new Uint8Array([1]));
    const twice = addMetadataEntry(once, 'B', new Uint8Array([2, 2]));
    expect(readTfliteModel(twice).metadata.map((m) => m.name)).toEqual(['min_runtime_version', 'A', 'B']);
    expect([...getMetadataBuffer(twice, 'A')!]).toEqual([1]);
    expect([...getMetadataBuffer(twice, 'B')!]).toEqual([2, 2]);
  });

  it('keeps signature_defs (field 7) and refuses unknown root fields', () => {
    const withSig = tinyModel([f.tables([table([f.str('serving_default')])])]);
    const out = addMetadataEntry(withSig, 'X', new Uint8Array(1));
    expect(new FlatBufferReader(out).root().tables(7)[0]!.string(0)).toBe('serving_default');
    expect(() => addMetadataEntry(tinyModel([undefined, f.u32(1)]), 'X', new Uint8Array(1))).toThrow(
      /field 8 is unknown/,
    );
  });

  it('refuses a duplicate entry and buffers stored outside the flatbuffer', () => {
    expect(() => addMetadataEntry(tinyModel(), 'min_runtime_version', new Uint8Array(1))).toThrow(
      TfliteModelError,
    );
    const external = serialize(
      table([
        f.u32(3),
        undefined,
        undefined,
        undefined,
        f.tables([table([]), table([undefined, f.u64(1024n), f.u64(16n)])]),
      ]),
      { identifier: 'TFL3' },
    );
    expect(() => addMetadataEntry(external, 'X', new Uint8Array(1))).toThrow(/outside the flatbuffer/);
  });
});

const REAL = fileURLToPath(
  new URL('../../node_modules/@mediapipe/hands/hand_landmark_lite.tflite', import.meta.url),
);

describe.skipIf(!existsSync(REAL))('addMetadataEntry on a real model', () => {
  it('keeps the graph of hand_landmark_lite.tflite and adds the entry', () => {
    const src = new Uint8Array(readFileSync(REAL));
    const out = addMetadataEntry(src, 'TFLITE_METADATA', new Uint8Array([1, 2, 3]));
    const before = readTfliteModel(src);
    const after = readTfliteModel(out);
    expect(after.subgraphs).toEqual(before.subgraphs);
    expect(after.metadata.slice(0, -1)).toEqual(before.metadata);
    expect(after.metadata.at(-1)).toEqual({ name: 'TFLITE_METADATA', buffer: before.bufferCount });
    expect(Buffer.from(out.subarray(out.length - src.length)).equals(src)).toBe(true);
  });
});
