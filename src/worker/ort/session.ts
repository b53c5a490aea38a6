/**
 * ONNX Runtime Web for the inference worker: one runtime per worker, configured once, creating
 * sessions on the backend chosen by chooseBackend(). Its wasm runtime comes from our own origin
 * (`wasmBaseUrl`, served at /ort/ by viteOrtAssets.ts); the app imports onnxruntime-web with the
 * `onnxruntime-web-use-extern-wasm` condition, so the worker loads exactly
 * ort-wasm-simd-threaded.jsep.{mjs,wasm} from there and nothing is inlined into the bundle.
 */
import * as ort from 'onnxruntime-web';
import {
  chooseBackend,
  fallBackToWasm,
  probeGpu,
  type BackendChoice,
  type BackendPreference,
  type InferenceModelStatus,
  type InferenceStatus,
} from './backend.ts';

export interface OrtRuntimeConfig {
  /** Folder (URL) holding ort-wasm-simd-threaded.jsep.{mjs,wasm}. */
  wasmBaseUrl: string;
  backend: BackendPreference;
}

let envConfigured = false;

function configureEnv(wasmBaseUrl: string): void {
  if (envConfigured) return;
  envConfigured = true;
  ort.env.wasm.wasmPaths = new URL(wasmBaseUrl.replace(/\/*$/, '/'), self.location.href).href;
  // Threads need SharedArrayBuffer (cross-origin isolation), which the kiosk does not enable;
  // saying so up front avoids ORT's warning and its failed attempt.
  ort.env.wasm.numThreads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  ort.env.wasm.proxy = false;
  // ORT's native warnings (e.g. "Some nodes were not assigned to the preferred execution
  // providers", normal for WebGPU) reach the console as errors, which the kiosk treats as faults.
  ort.env.logLevel = 'error';
}

/** Native log severity for sessions: 3 = errors only (see configureEnv). */
const SESSION_LOG_SEVERITY = 3;

async function fetchModel(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`model ${url}: HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

export class OrtRuntime {
  private readonly models: InferenceModelStatus[] = [];

  private constructor(private choice: BackendChoice) {}

  static async create(config: OrtRuntimeConfig): Promise<OrtRuntime> {
    configureEnv(config.wasmBaseUrl);
    return new OrtRuntime(await chooseBackend(config.backend, () => probeGpu(self.navigator)));
  }

  get backend(): BackendChoice['backend'] {
    return this.choice.backend;
  }

  /** Fetches the model and creates its session; a failing WebGPU session is retried on WASM once. */
  async load(name: string, url: string): Promise<ort.InferenceSession> {
    const t0 = performance.now();
    const bytes = await fetchModel(url);
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: this.choice.executionProviders,
        graphOptimizationLevel: 'all',
        logSeverityLevel: SESSION_LOG_SEVERITY,
      });
    } catch (err) {
      if (this.choice.backend !== 'webgpu') throw err;
      this.choice = fallBackToWasm(this.choice, err);
      session = await ort.InferenceSession.create(bytes, {
        executionProviders: ['wasm'],
        logSeverityLevel: SESSION_LOG_SEVERITY,
      });
    }
    this.models.push({ name, ms: Math.round(performance.now() - t0) });
    return session;
  }

  status(): InferenceStatus {
    return {
      backend: this.choice.backend,
      reason: this.choice.reason,
      models: [...this.models],
      sessionMs: this.models.reduce((s, m) => s + m.ms, 0),
    };
  }
}

export { ort };
