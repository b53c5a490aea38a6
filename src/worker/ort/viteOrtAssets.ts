import fs from 'node:fs';
import path from 'node:path';
import type { Connect, Plugin } from 'vite';

/**
 * Serves onnxruntime-web's runtime from our own origin at /ort/ (the kiosk is offline-first and the
 * default wasmPaths point at a CDN). Which files: the worker imports onnxruntime-web under the
 * `onnxruntime-web-use-extern-wasm` condition (ORT_RESOLVE_CONDITIONS), i.e. dist/ort.min.mjs, which
 * loads the WebGPU+WASM (JSEP) build from `env.wasm.wasmPaths`: ort-wasm-simd-threaded.jsep.mjs and
 * its .wasm (28 MB). Without the condition Vite would follow the default bundle's
 * `new URL('ort-wasm-simd-threaded.jsep.wasm', import.meta.url)` and emit a second, hashed copy.
 *
 *   node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.jsep.{mjs,wasm} -> /ort/*
 */
export const ORT_RUNTIME_FILES = [
  'ort-wasm-simd-threaded.jsep.mjs',
  'ort-wasm-simd-threaded.jsep.wasm',
] as const;

/** Put before Vite's defaults in `resolve.conditions`. */
export const ORT_RESOLVE_CONDITION = 'onnxruntime-web-use-extern-wasm';

/** Added to the service worker's precache globs (the OCR models are in models/, see viteMediapipeAssets). */
export const ORT_PRECACHE_GLOBS = ['ort/*.{mjs,wasm}'];

/** The JSEP wasm is 28.3 MB; Workbox skips precache entries over its limit. */
export const ORT_MAX_PRECACHE_BYTES = 32 * 1024 * 1024;

export interface OrtAssetsOptions {
  root?: string;
  distDir?: string;
  base?: string;
}

const TYPES: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.mjs': 'text/javascript; charset=utf-8',
};

export function ortAssets(options: OrtAssetsOptions = {}): Plugin {
  let root = options.root ?? process.cwd();
  const distDir = options.distDir ?? 'node_modules/onnxruntime-web/dist';
  const base = options.base ?? 'ort';
  const file = (name: string): string => path.resolve(root, distDir, name);
  return {
    name: 'lane:ort-assets',
    configResolved(config) {
      if (!options.root) root = config.root;
    },
    configureServer(server) {
      const serve: Connect.NextHandleFunction = (req, res, next) => {
        const pathname = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
        const name = ORT_RUNTIME_FILES.find((n) => pathname === `/${base}/${n}`);
        if (!name || !fs.existsSync(file(name))) return next();
        res.setHeader('content-type', TYPES[path.extname(name)] ?? 'application/octet-stream');
        res.setHeader('content-length', String(fs.statSync(file(name)).size));
        fs.createReadStream(file(name)).pipe(res);
      };
      server.middlewares.use(serve);
    },
    generateBundle() {
      const missing = ORT_RUNTIME_FILES.filter((n) => !fs.existsSync(file(n)));
      if (missing.length > 0)
        this.error(`onnxruntime-web files missing in ${distDir}: ${missing.join(', ')}`);
      for (const n of ORT_RUNTIME_FILES)
        this.emitFile({ type: 'asset', fileName: `${base}/${n}`, source: fs.readFileSync(file(n)) });
    },
  };
}
