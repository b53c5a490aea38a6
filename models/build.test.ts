import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildModels,
  checkFormat,
  parsePackedAssetsLoader,
  type Manifest,
  type SourcesFile,
} from './build.ts';
import { readModelMetadata } from './tflite/metadata.ts';
import { getMetadataBuffer, readTfliteModel } from './tflite/model.ts';
import { readStoredZip } from './zip.ts';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const HANDS = join(REPO, 'node_modules/@mediapipe/hands');
const haveWeights = existsSync(join(HANDS, 'hands_solution_packed_assets.data'));
const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

/** Reads the TFLITE_METADATA of a model and returns its inputs' normalization. */
function normalizationOf(model: Uint8Array) {
  const buffer = getMetadataBuffer(model, 'TFLITE_METADATA');
  expect(buffer, 'TFLITE_METADATA entry').toBeDefined();
  const md = readModelMetadata(buffer!);
  expect(md.minParserVersion).toBe('1.0.0');
  return md.subgraphs[0]!.inputs.map((i) => i.normalization);
}

describe('checkFormat', () => {
  it('accepts what each output needs and names the file otherwise', () => {
    const onnx = new Uint8Array(32);
    onnx.set([0x08, 0x08, 0x3a]);
    expect(() => checkFormat(onnx, 'onnx', 'det.onnx')).not.toThrow();
    expect(() => checkFormat(new Uint8Array(32), 'onnx', 'det.onnx')).toThrow(
      /det\.onnx is not an ONNX model/,
    );
    expect(() => checkFormat(new TextEncoder().encode('a\nb\n'), 'text', 'keys.txt')).not.toThrow();
    expect(() => checkFormat(new Uint8Array([0xff, 0xfe]), 'text', 'keys.txt')).toThrow(
      /keys\.txt is not UTF-8/,
    );
    expect(() => checkFormat(new TextEncoder().encode(' \n'), 'text', 'keys.txt')).toThrow(/empty/);
    expect(() => checkFormat(onnx, 'tflite', 'x.tflite')).toThrow(/not a TFLite flatbuffer/);
  });
});

describe('parsePackedAssetsLoader', () => {
  it('reads the member table of a file-packager loader', () => {
    const js = `var x = 1;\n    loadPackage({"files": [{"filename": "/a/{b}.txt", "start": 0, "end": 11}, {"filename": "/m.tflite", "start": 11, "end": 40}], "remote_package_size": 40});\n  })();`;
    expect(parsePackedAssetsLoader(js)).toEqual({
      files: [
        { filename: '/a/{b}.txt', start: 0, end: 11 },
        { filename: '/m.tflite', start: 11, end: 40 },
      ],
      packageSize: 40,
    });
  });

  it('fails clearly on a loader it does not understand', () => {
    expect(() => parsePackedAssetsLoader('nothing here')).toThrow(/no loadPackage/);
    expect(() =>
      parsePackedAssetsLoader('loadPackage({"files": [{"filename": 1}], "remote_package_size": 1})'),
    ).toThrow(/bad file entry/);
    expect(() => parsePackedAssetsLoader('loadPackage({"files": [')).toThrow(/unterminated/);
  });
});

describe.skipIf(!haveWeights)('buildModels', () => {
  let dir: string;
  let manifest: Manifest;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'models-build-'));
    const result = buildModels({ outDir: dir, force: true });
    expect(result.upToDate).toBe(false);
    manifest = result.manifest;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the models and a manifest whose sizes and hashes match the files', () => {
    const onDisk = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
    expect(onDisk).toEqual(manifest);
    expect(manifest.outputs.map((o) => o.file)).toEqual([
      'hand_landmarker_lite.task',
      'hand_landmarker_full.task',
      'face_detector_short_range.tflite',
      'ch_PP-OCRv4_det_infer.onnx',
      'ch_PP-OCRv4_rec_infer.onnx',
      'ppocr_keys_v1.txt',
    ]);
    for (const o of manifest.outputs) {
      const bytes = readFileSync(join(dir, o.file));
      expect(bytes.length, o.file).toBe(o.size);
      expect(sha256(bytes), o.file).toBe(o.sha256);
      expect(
        o.sources.every((s) => /^@(mediapipe|gutenye)\/[a-z_-]+@\d+\.\d+\.\d+\//.test(s)),
        o.file,
      ).toBe(true);
    }
    expect(manifest.notices.map((n) => n.file)).toEqual(['NOTICE.txt', 'LICENSE-Apache-2.0.txt']);
    for (const n of manifest.notices) expect(sha256(readFileSync(join(dir, n.file)))).toBe(n.sha256);
    expect(readFileSync(join(dir, 'NOTICE.txt'), 'utf8')).toMatch(/Apache License, Version 2\.0/);
  });

  it('bundles palm detector + landmark model with the right normalization into each .task', () => {
    for (const [file, palm, landmarks] of [
      ['hand_landmarker_lite.task', 'palm_detection_lite.tflite', 'hand_landmark_lite.tflite'],
      ['hand_landmarker_full.task', 'palm_detection_full.tflite', 'hand_landmark_full.tflite'],
    ] as const) {
      const zip = new Uint8Array(readFileSync(join(dir, file)));
      const entries = readStoredZip(zip);
      expect(entries.map((e) => e.name)).toEqual(['hand_detector.tflite', 'hand_landmarks_detector.tflite']);
      const [detector, landmarker] = entries;
      expect(new TextDecoder().decode(detector!.data.subarray(4, 8))).toBe('TFL3');
      expect(normalizationOf(detector!.data)).toEqual([{ mean: [0], std: [255] }]);
      expect(normalizationOf(landmarker!.data)).toEqual([{ mean: [0], std: [255] }]);
      expect(readTfliteModel(detector!.data).subgraphs[0]!.inputs[0]!.shape).toEqual([1, 192, 192, 3]);
      expect(readTfliteModel(landmarker!.data).subgraphs[0]!.inputs[0]!.shape).toEqual([1, 224, 224, 3]);
      const out = manifest.outputs.find((o) => o.file === file)!;
      expect(out.entries!.map((e) => e.source.member ?? e.source.file)).toEqual([
        `/third_party/mediapipe/modules/palm_detection/${palm}`,
        landmarks,
      ]);
      // The landmark model inside is the npm file plus a front region: its old bytes are the tail.
      const original = readFileSync(join(HANDS, landmarks));
      expect(
        Buffer.from(landmarker!.data.subarray(landmarker!.data.length - original.length)).equals(original),
      ).toBe(true);
      expect(
        out.entries!.every((e) => e.sha256 === sha256(entries.find((x) => x.name === e.name)!.data)),
      ).toBe(true);
    }
  });

  it('adds [-1, 1] normalization to the face detector', () => {
    const face = new Uint8Array(readFileSync(join(dir, 'face_detector_short_range.tflite')));
    expect(normalizationOf(face)).toEqual([{ mean: [127.5], std: [127.5] }]);
    expect(readTfliteModel(face).subgraphs[0]!.inputs[0]).toEqual({
      name: 'input',
      type: 'FLOAT32',
      shape: [1, 128, 128, 3],
    });
  });

  it('extracts the palm detectors at the offsets the loader lists', () => {
    const loader = parsePackedAssetsLoader(
      readFileSync(join(HANDS, 'hands_solution_packed_assets_loader.js'), 'utf8'),
    );
    const data = readFileSync(join(HANDS, 'hands_solution_packed_assets.data'));
    for (const e of manifest.outputs.flatMap((o) => o.entries ?? []).filter((e) => e.source.member)) {
      const member = loader.files.find((f) => f.filename === e.source.member)!;
      expect(e.source.range).toEqual([member.start, member.end]);
      expect(e.source.sha256).toBe(sha256(data.subarray(member.start, member.end)));
    }
  });

  it('is up to date on a second run and writes nothing', () => {
    const before = statSync(join(dir, 'hand_landmarker_full.task')).mtimeMs;
    const again = buildModels({ outDir: dir });
    expect(again.upToDate).toBe(true);
    expect(again.written).toEqual([]);
    expect(statSync(join(dir, 'hand_landmarker_full.task')).mtimeMs).toBe(before);
  });

  it('rebuilds identical bytes when forced, and repairs a damaged output', () => {
    const forced = buildModels({ outDir: dir, force: true });
    expect(forced.written).toEqual([]);
    writeFileSync(join(dir, 'face_detector_short_range.tflite'), 'broken');
    const repaired = buildModels({ outDir: dir });
    expect(repaired.upToDate).toBe(false);
    expect(repaired.written).toEqual(['face_detector_short_range.tflite']);
  });

  it('fails with a message naming the file when a source no longer matches sources.json', () => {
    const sources = JSON.parse(readFileSync(join(REPO, 'models/sources.json'), 'utf8')) as SourcesFile;
    const key = '@mediapipe/hands/hand_landmark_full.tflite';
    sources.files[key]!.sha256 = '0'.repeat(64);
    const path = join(dir, 'sources.tampered.json');
    writeFileSync(path, JSON.stringify(sources));
    expect(() => buildModels({ outDir: dir, sourcesFile: path })).toThrow(
      /hand_landmark_full\.tflite.*changed/,
    );
    // The command line says the same and exits 1.
    let stderr = '';
    let status = 0;
    try {
      execFileSync(
        process.execPath,
        ['--import', 'tsx', 'models/build.ts', '--out', dir, '--sources', path],
        {
          cwd: REPO,
          stdio: 'pipe',
        },
      );
    } catch (e) {
      const err = e as { status: number; stderr: Buffer };
      status = err.status;
      stderr = err.stderr.toString();
    }
    expect(status).toBe(1);
    expect(stderr).toMatch(/node_modules\/@mediapipe\/hands\/hand_landmark_full\.tflite .*changed/);
  });

  it('checks the packed members too', () => {
    const sources = JSON.parse(readFileSync(join(REPO, 'models/sources.json'), 'utf8')) as SourcesFile;
    const key = Object.keys(sources.files).find((k) => k.endsWith('palm_detection_lite.tflite'))!;
    sources.files[key]!.size += 1;
    const path = join(dir, 'sources.tampered2.json');
    writeFileSync(path, JSON.stringify(sources));
    expect(() => buildModels({ outDir: dir, sourcesFile: path })).toThrow(
      /palm_detection_lite\.tflite \(bytes \d+\.\.\d+ of node_modules\/@mediapipe\/hands\/hands_solution_packed_assets\.data\)/,
    );
  });
});
