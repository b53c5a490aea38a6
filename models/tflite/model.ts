/**
 * Reading a TFLite model's outline and adding a `Metadata` entry to it, using the field indices of
 * TensorFlow Lite's schema.fbs (only the fields needed here):
 *   Model     { 0 version: uint, 1 operator_codes, 2 subgraphs, 3 description: string, 4 buffers: [Buffer],
 *               5 metadata_buffer: [int], 6 metadata: [Metadata], 7 signature_defs }
 *   SubGraph  { 0 tensors: [Tensor], 1 inputs: [int], 2 outputs: [int], 3 operators, 4 name: string }
 *   Tensor    { 0 shape: [int], 1 type: byte, 2 buffer: uint, 3 name: string, ... }
 *   Buffer    { 0 data: [ubyte], 1 offset: ulong, 2 size: ulong }
 *   Metadata  { 0 name: string, 1 buffer: uint }
 */
import { FlatBufferReader, type FlatBufferTable } from './reader.ts';
import { f, serialize, table, type FbTableValue, type FbValue } from './writer.ts';

export const TFLITE_IDENTIFIER = 'TFL3';

const MODEL = { version: 0, subgraphs: 2, description: 3, buffers: 4, metadata: 6, lastKnown: 7 } as const;
const SUBGRAPH = { tensors: 0, inputs: 1, outputs: 2, name: 4 } as const;
const TENSOR = { shape: 0, type: 1, name: 3 } as const;
const BUFFER = { data: 0, offset: 1, size: 2 } as const;
const METADATA = { name: 0, buffer: 1 } as const;

/** TensorType names by value (schema.fbs). */
const TENSOR_TYPES = [
  'FLOAT32',
  'FLOAT16',
  'INT32',
  'UINT8',
  'INT64',
  'STRING',
  'BOOL',
  'INT16',
  'COMPLEX64',
  'INT8',
  'FLOAT64',
  'COMPLEX128',
  'UINT64',
  'RESOURCE',
  'VARIANT',
  'UINT32',
  'UINT16',
  'INT4',
];

/** Byte alignment the new root region is padded to, so every old object keeps its alignment. */
const SHIFT_ALIGN = 64;

export interface TfliteTensorInfo {
  name: string;
  type: string;
  shape: number[];
}

export interface TfliteModelInfo {
  version: number;
  description: string | undefined;
  subgraphs: { name: string | undefined; inputs: TfliteTensorInfo[]; outputs: TfliteTensorInfo[] }[];
  bufferCount: number;
  metadata: { name: string; buffer: number }[];
}

export class TfliteModelError extends Error {
  override name = 'TfliteModelError';
}

function openModel(bytes: Uint8Array): FlatBufferTable {
  const fb = new FlatBufferReader(bytes);
  const id = fb.fileIdentifier();
  if (id !== TFLITE_IDENTIFIER) {
    throw new TfliteModelError(
      `not a TFLite model: file identifier is ${JSON.stringify(id)}, expected "TFL3"`,
    );
  }
  return fb.root();
}

function tensorInfo(tensors: FlatBufferTable[], index: number): TfliteTensorInfo {
  const t = tensors[index];
  if (!t) throw new TfliteModelError(`tensor index ${index} out of range (${tensors.length} tensors)`);
  const type = t.i8(TENSOR.type);
  return {
    name: t.string(TENSOR.name) ?? '',
    type: TENSOR_TYPES[type] ?? `type ${type}`,
    shape: t.i32s(TENSOR.shape),
  };
}

export function readTfliteModel(bytes: Uint8Array): TfliteModelInfo {
  const model = openModel(bytes);
  const subgraphs = model.tables(MODEL.subgraphs).map((sg) => {
    const tensors = sg.tables(SUBGRAPH.tensors);
    return {
      name: sg.string(SUBGRAPH.name),
      inputs: sg.i32s(SUBGRAPH.inputs).map((i) => tensorInfo(tensors, i)),
      outputs: sg.i32s(SUBGRAPH.outputs).map((i) => tensorInfo(tensors, i)),
    };
  });
  return {
    version: model.u32(MODEL.version),
    description: model.string(MODEL.description),
    subgraphs,
    bufferCount: model.offsetVector(MODEL.buffers).length,
    metadata: model.tables(MODEL.metadata).map((m) => ({
      name: m.string(METADATA.name) ?? '',
      buffer: m.u32(METADATA.buffer),
    })),
  };
}

/** The data of the buffer that the `Metadata` entry called `name` points to, or undefined. */
export function getMetadataBuffer(bytes: Uint8Array, name: string): Uint8Array | undefined {
  const model = openModel(bytes);
  const entry = model.tables(MODEL.metadata).find((m) => m.string(METADATA.name) === name);
  if (!entry) return undefined;
  const index = entry.u32(METADATA.buffer);
  const buffer = model.tables(MODEL.buffers)[index];
  if (!buffer) throw new TfliteModelError(`metadata "${name}" points at missing buffer ${index}`);
  return buffer.bytes(BUFFER.data) ?? new Uint8Array(0);
}

/**
 * Returns a new model with one more `Metadata` entry `name` whose buffer holds `data`.
 *
 * FlatBuffer offsets only point forward, so the old bytes are kept untouched after a new front region
 * holding a new root table (copying every old field, its offsets re-aimed at the shifted old objects), new
 * `buffers` and `metadata` vectors (old entries plus the new one), and the new buffer's data (16-byte
 * aligned). The front region is padded to a multiple of 64 bytes so the old objects keep their alignment.
 */
export function addMetadataEntry(bytes: Uint8Array, name: string, data: Uint8Array): Uint8Array {
  const model = openModel(bytes);
  for (let i = MODEL.lastKnown + 1; i < model.fieldCount; i++) {
    if (model.has(i))
      throw new TfliteModelError(`Model field ${i} is unknown to this tool; refusing to rewrite`);
  }
  const metadata = model.tables(MODEL.metadata);
  if (metadata.some((m) => m.string(METADATA.name) === name)) {
    throw new TfliteModelError(`model already has a metadata entry named "${name}"`);
  }
  const buffers = model.tables(MODEL.buffers);
  buffers.forEach((b, i) => {
    if (b.u64(BUFFER.offset) !== 0n || b.u64(BUFFER.size) !== 0n) {
      // Such buffers address data by absolute file offset, which moving the old bytes would break.
      throw new TfliteModelError(`buffer ${i} stores its data outside the flatbuffer; not supported`);
    }
  });

  const fields: (FbValue | undefined)[] = [];
  for (let i = 0; i <= MODEL.lastKnown; i++) {
    if (!model.has(i)) continue;
    if (i === MODEL.version) fields[i] = f.u32(model.u32(i));
    else fields[i] = f.external(model.target(i)!);
  }
  const newBuffer: FbTableValue = table([f.bytes(data, 16)]);
  const newEntry: FbTableValue = table([f.str(name), f.u32(buffers.length)]);
  fields[MODEL.buffers] = f.tables([...buffers.map((b) => ({ external: b.pos })), newBuffer]);
  fields[MODEL.metadata] = f.tables([...metadata.map((m) => ({ external: m.pos })), newEntry]);

  const alignUp = (n: number): number => Math.ceil(n / SHIFT_ALIGN) * SHIFT_ALIGN;
  const front = serialize(table(fields), { identifier: TFLITE_IDENTIFIER, externalBase: alignUp });
  const shift = alignUp(front.length);
  const out = new Uint8Array(shift + bytes.length);
  out.set(front, 0);
  out.set(bytes, shift);
  return out;
}
