import { FilesetResolver } from '@mediapipe/tasks-vision';

type WasmFileset = Awaited<ReturnType<typeof FilesetResolver.forVisionTasks>>;

/**
 * The tasks-vision runtime, from our own origin. In a module worker the ESM build of the loader
 * (`vision_wasm_module_internal.*`, the `true` below) is required: the classic one fails with
 * "ModuleFactory not set". Shared by every task of the worker, so the 13 MB wasm loads once.
 */
let fileset: Promise<WasmFileset> | null = null;

export function absoluteUrl(path: string): string {
  return new URL(path, self.location.href).href;
}

export function visionFileset(wasmBaseUrl: string): Promise<WasmFileset> {
  fileset ??= FilesetResolver.forVisionTasks(absoluteUrl(wasmBaseUrl).replace(/\/+$/, ''), true);
  return fileset;
}
