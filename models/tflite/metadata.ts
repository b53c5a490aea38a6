/**
 * The TFLite Metadata flatbuffer (`ModelMetadata`, file identifier M001) that MediaPipe Tasks reads from the
 * model's `TFLITE_METADATA` entry. Only what input normalization needs is written; field indices follow
 * TensorFlow Lite Support's metadata_schema.fbs:
 *   ModelMetadata        { 0 name, 1 description, 2 version, 3 subgraph_metadata: [SubGraphMetadata],
 *                          4 author, 5 license, 6 associated_files, 7 min_parser_version }
 *   SubGraphMetadata     { 0 name, 1 description, 2 input_tensor_metadata: [TensorMetadata],
 *                          3 output_tensor_metadata: [TensorMetadata], ... }
 *   TensorMetadata       { 0 name, 1 description, 2 dimension_names, 3 content, 4 process_units: [ProcessUnit] }
 *   ProcessUnit          { 0 options_type: ubyte, 1 options }   (union ProcessUnitOptions, 1 = NormalizationOptions)
 *   NormalizationOptions { 0 mean: [float], 1 std: [float] }
 */
import { FlatBufferReader, type FlatBufferTable } from './reader.ts';
import { f, serialize, table, type FbTableValue, type FbValue } from './writer.ts';

export const METADATA_IDENTIFIER = 'M001';
/** Name of the Model.metadata entry that holds the ModelMetadata buffer. */
export const TFLITE_METADATA = 'TFLITE_METADATA';
/** Oldest metadata parser that understands NormalizationOptions. */
export const MIN_PARSER_VERSION = '1.0.0';

const PROCESS_UNIT_NORMALIZATION = 1;

export interface Normalization {
  mean: number[];
  std: number[];
}

export interface TensorMetadataSpec {
  name: string;
  description?: string;
  normalization?: Normalization;
}

export interface ModelMetadataSpec {
  name: string;
  description?: string;
  version?: string;
  author?: string;
  license?: string;
  /** Input tensors of the (single) subgraph, in the model's input order. */
  inputs: TensorMetadataSpec[];
  minParserVersion?: string;
}

const optStr = (s: string | undefined): FbValue | undefined => (s === undefined ? undefined : f.str(s));

function tensorTable(t: TensorMetadataSpec): FbTableValue {
  const units: FbTableValue[] = [];
  if (t.normalization) {
    const { mean, std } = t.normalization;
    if (mean.length === 0 || mean.length !== std.length) {
      throw new Error(`normalization of "${t.name}" needs equally long, non-empty mean and std`);
    }
    if (std.some((s) => !(s > 0))) throw new Error(`normalization std of "${t.name}" must be positive`);
    units.push(table([f.u8(PROCESS_UNIT_NORMALIZATION), f.table([f.f32s(mean), f.f32s(std)])]));
  }
  return table([
    f.str(t.name),
    optStr(t.description),
    undefined,
    undefined,
    units.length ? f.tables(units) : undefined,
  ]);
}

export function buildModelMetadata(spec: ModelMetadataSpec): Uint8Array {
  const subgraph = table([undefined, undefined, f.tables(spec.inputs.map(tensorTable))]);
  const root = table([
    f.str(spec.name),
    optStr(spec.description),
    optStr(spec.version),
    f.tables([subgraph]),
    optStr(spec.author),
    optStr(spec.license),
    undefined,
    f.str(spec.minParserVersion ?? MIN_PARSER_VERSION),
  ]);
  return serialize(root, { identifier: METADATA_IDENTIFIER });
}

export interface ParsedModelMetadata {
  name: string | undefined;
  description: string | undefined;
  version: string | undefined;
  author: string | undefined;
  license: string | undefined;
  minParserVersion: string | undefined;
  subgraphs: { inputs: TensorMetadataSpec[]; outputs: TensorMetadataSpec[] }[];
}

function readTensor(t: FlatBufferTable): TensorMetadataSpec {
  const out: TensorMetadataSpec = { name: t.string(0) ?? '' };
  const description = t.string(1);
  if (description !== undefined) out.description = description;
  for (const unit of t.tables(4)) {
    if (unit.u8(0) !== PROCESS_UNIT_NORMALIZATION) continue;
    const options = unit.table(1);
    if (options) out.normalization = { mean: options.f32s(0), std: options.f32s(1) };
  }
  return out;
}

export function readModelMetadata(bytes: Uint8Array): ParsedModelMetadata {
  const fb = new FlatBufferReader(bytes);
  const id = fb.fileIdentifier();
  if (id !== METADATA_IDENTIFIER) {
    throw new Error(`not a TFLite ModelMetadata buffer: identifier ${JSON.stringify(id)}, expected "M001"`);
  }
  const root = fb.root();
  return {
    name: root.string(0),
    description: root.string(1),
    version: root.string(2),
    author: root.string(4),
    license: root.string(5),
    minParserVersion: root.string(7),
    subgraphs: root
      .tables(3)
      .map((sg) => ({ inputs: sg.tables(2).map(readTensor), outputs: sg.tables(3).map(readTensor) })),
  };
}
