import fs from 'node:fs';
import path from 'node:path';
import type { Connect, Plugin } from 'vite';

/**
 * Serves the on-device models and the MediaPipe tasks-vision runtime from our own origin: the
 * kiosk is offline-first and must never fetch them from a CDN. At build time the files are
 * emitted into the bundle (so the PWA precache sees them); in dev they are served straight from
 * models/dist and node_modules.
 *
 *   models/dist/*                                   -> /models/*
 *   node_modules/@mediapipe/tasks-vision/wasm/...   -> /mediapipe/*
 *
 * Only the module-worker runtime is shipped: the app runs every MediaPipe task in its module
 * worker (FilesetResolver.forVisionTasks(url, true)), and there is no module + no-SIMD build.
 */
export interface MediapipeAssetsOptions {
  root?: string;
  modelsDir?: string;
  wasmDir?: string;
  wasmFiles?: readonly string[];
  modelsBase?: string;
  wasmBase?: string;
}

export const MEDIAPIPE_WASM_FILES = [
  'vision_wasm_module_internal.js',
  'vision_wasm_module_internal.wasm',
] as const;

/** Added to the service worker's precache globs. */
export const MEDIAPIPE_PRECACHE_GLOBS = [
  'models/*.{tflite,task,onnx}',
  // The OCR recogniser's character list (the label reader needs it offline like the models).
  'models/ppocr_keys_v1.txt',
  'mediapipe/*.{js,wasm}',
];

/** The wasm is 13 MB and the full hand model 7.8 MB; Workbox skips files over its 2 MiB default. */
export const MEDIAPIPE_MAX_PRECACHE_BYTES = 16 * 1024 * 1024;

const TYPES: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  url: string;
  file: string;
}

function listAssets(o: Required<MediapipeAssetsOptions>): { assets: Asset[]; missing: string[] } {
  const missing: string[] = [];
  const assets: Asset[] = [];
  const modelsDir = path.resolve(o.root, o.modelsDir);
  if (fs.existsSync(modelsDir)) {
    for (const name of fs.readdirSync(modelsDir).sort()) {
      const file = path.join(modelsDir, name);
      if (fs.statSync(file).isFile()) assets.push({ url: `${o.modelsBase}/${name}`, file });
    }
  } else missing.push(`${o.modelsDir}/ (run: node --import tsx models/build.ts)`);
  for (const name of o.wasmFiles) {
    const file = path.resolve(o.root, o.wasmDir, name);
    if (fs.existsSync(file)) assets.push({ url: `${o.wasmBase}/${name}`, file });
    else missing.push(path.join(o.wasmDir, name));
  }
  return { assets, missing };
}

export function mediapipeAssets(options: MediapipeAssetsOptions = {}): Plugin {
  const o: Required<MediapipeAssetsOptions> = {
    root: process.cwd(),
    modelsDir: 'models/dist',
    wasmDir: 'node_modules/@mediapipe/tasks-vision/wasm',
    wasmFiles: MEDIAPIPE_WASM_FILES,
    modelsBase: 'models',
    wasmBase: 'mediapipe',
    ...options,
  };
  return {
    name: 'lane:mediapipe-assets',
    configResolved(config) {
      if (!options.root) o.root = config.root;
    },
    configureServer(server) {
      // Registered before Vite's own middlewares, so /mediapipe/*.js is not taken for a source module.
      const serve: Connect.NextHandleFunction = (req, res, next) => {
        const pathname = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
        const asset = listAssets(o).assets.find((a) => `/${a.url}` === pathname);
        if (!asset) return next();
        res.setHeader('content-type', TYPES[path.extname(asset.file)] ?? 'application/octet-stream');
        res.setHeader('content-length', String(fs.statSync(asset.file).size));
        fs.createReadStream(asset.file).pipe(res);
      };
      server.middlewares.use(serve);
    },
    generateBundle() {
      const { assets, missing } = listAssets(o);
      if (missing.length > 0) this.error(`mediapipe assets missing: ${missing.join(', ')}`);
      for (const a of assets)
        this.emitFile({ type: 'asset', fileName: a.url, source: fs.readFileSync(a.file) });
    },
  };
}
