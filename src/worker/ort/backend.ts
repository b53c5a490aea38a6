/**
 * Which ONNX Runtime execution provider the worker uses, and why. WebGPU when the browser gives a
 * WebGPU adapter, else WASM (the WASM runtime is loaded either way and also runs the operators the
 * WebGPU provider lacks). The reason is kept for the maintenance screen: a lane that silently fell
 * back to WASM is slower, and staff need to see that without opening dev tools.
 */

export type OrtBackend = 'webgpu' | 'wasm';
/** 'auto': WebGPU when an adapter is found; otherwise the named one (WebGPU still needs an adapter). */
export type BackendPreference = 'auto' | OrtBackend;

export const BACKEND_PREFERENCES: readonly BackendPreference[] = ['auto', 'webgpu', 'wasm'];

export interface BackendChoice {
  backend: OrtBackend;
  /** e.g. "webgpu: adapter google/swiftshader", "wasm: webgpu: no adapter", "wasm: forced by config". */
  reason: string;
  /** In order of preference, as onnxruntime-web's `executionProviders` takes them. */
  executionProviders: OrtBackend[];
}

/** What probing `navigator.gpu` gave. */
export type GpuProbe = { ok: true; adapter: string } | { ok: false; why: string };

export interface InferenceModelStatus {
  name: string;
  /** Fetch + session creation, ms. */
  ms: number;
}

/** What the worker reports through `inferenceBackend()`. */
export interface InferenceStatus extends Omit<BackendChoice, 'executionProviders'> {
  /** Sessions created so far (they load lazily on first use). */
  models: InferenceModelStatus[];
  /** Sum of the sessions' load times, ms. */
  sessionMs: number;
}

export function isBackendPreference(v: unknown): v is BackendPreference {
  return typeof v === 'string' && (BACKEND_PREFERENCES as readonly string[]).includes(v);
}

export async function chooseBackend(
  preference: BackendPreference,
  probe: () => Promise<GpuProbe>,
): Promise<BackendChoice> {
  if (!isBackendPreference(preference))
    throw new Error(
      `inference backend must be one of ${BACKEND_PREFERENCES.join(', ')}, got ${String(preference)}`,
    );
  if (preference === 'wasm') return wasm('wasm: forced by config');
  const gpu = await probe();
  if (!gpu.ok)
    return wasm(
      preference === 'webgpu'
        ? `wasm: webgpu asked for by config, but ${gpu.why}`
        : `wasm: webgpu: ${gpu.why}`,
    );
  const forced = preference === 'webgpu' ? ' (forced by config)' : '';
  return {
    backend: 'webgpu',
    reason: `webgpu: adapter ${gpu.adapter}${forced}`,
    executionProviders: ['webgpu', 'wasm'],
  };
}

/** When the WebGPU session itself fails (an operator or the device), the WASM retry says why. */
export function fallBackToWasm(choice: BackendChoice, error: unknown): BackendChoice {
  const message = error instanceof Error ? error.message : String(error);
  return wasm(`wasm: webgpu session failed (${message.slice(0, 200)}); was ${choice.reason}`);
}

function wasm(reason: string): BackendChoice {
  return { backend: 'wasm', reason, executionProviders: ['wasm'] };
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
}
interface GpuLike {
  requestAdapter(): Promise<{ info?: AdapterInfoLike } | null>;
}

/** Probes a `navigator`-like object; never throws. */
export async function probeGpu(nav: { gpu?: unknown } | undefined): Promise<GpuProbe> {
  const gpu = nav?.gpu as GpuLike | undefined;
  if (!gpu || typeof gpu.requestAdapter !== 'function') return { ok: false, why: 'navigator.gpu is missing' };
  try {
    const adapter = await gpu.requestAdapter();
    if (!adapter) return { ok: false, why: 'no adapter' };
    const info = adapter.info ?? {};
    const name = [info.vendor, info.architecture].filter((s) => s && s.length > 0).join('/');
    return { ok: true, adapter: name || info.description || 'unnamed' };
  } catch (e) {
    return { ok: false, why: `requestAdapter failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
