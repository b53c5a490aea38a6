import { describe, expect, it } from 'vitest';
import { chooseBackend, fallBackToWasm, probeGpu, type GpuProbe } from './backend.ts';

const adapter = async (): Promise<GpuProbe> => ({ ok: true, adapter: 'google/swiftshader' });
const none = async (): Promise<GpuProbe> => ({ ok: false, why: 'no adapter' });

describe('chooseBackend', () => {
  it('takes WebGPU when there is an adapter, with WASM behind it', async () => {
    expect(await chooseBackend('auto', adapter)).toEqual({
      backend: 'webgpu',
      reason: 'webgpu: adapter google/swiftshader',
      executionProviders: ['webgpu', 'wasm'],
    });
  });
  it('falls back to WASM and says why', async () => {
    expect(await chooseBackend('auto', none)).toMatchObject({
      backend: 'wasm',
      reason: 'wasm: webgpu: no adapter',
    });
  });
  it('honours a forced WASM without probing', async () => {
    let probed = false;
    const r = await chooseBackend('wasm', async () => {
      probed = true;
      return { ok: true, adapter: 'x' };
    });
    expect(r).toEqual({ backend: 'wasm', reason: 'wasm: forced by config', executionProviders: ['wasm'] });
    expect(probed).toBe(false);
  });
  it('cannot force WebGPU without an adapter', async () => {
    expect((await chooseBackend('webgpu', none)).reason).toBe(
      'wasm: webgpu asked for by config, but no adapter',
    );
    expect((await chooseBackend('webgpu', adapter)).reason).toMatch(/forced by config/);
  });
  it('refuses an unknown preference', async () => {
    await expect(chooseBackend('cuda' as never, adapter)).rejects.toThrow(/auto, webgpu, wasm/);
  });
  it('records a failed WebGPU session as the reason for WASM', async () => {
    const r = fallBackToWasm(await chooseBackend('auto', adapter), new Error('op not supported'));
    expect(r.backend).toBe('wasm');
    expect(r.reason).toMatch(/^wasm: webgpu session failed \(op not supported\)/);
  });
});

describe('probeGpu', () => {
  it('reports a missing API, a null adapter, a throwing one and a named one', async () => {
    expect(await probeGpu({})).toEqual({ ok: false, why: 'navigator.gpu is missing' });
    expect(await probeGpu({ gpu: { requestAdapter: async () => null } })).toEqual({
      ok: false,
      why: 'no adapter',
    });
    const failing = { gpu: { requestAdapter: () => Promise.reject(new Error('blocked')) } };
    expect(await probeGpu(failing)).toEqual({ ok: false, why: 'requestAdapter failed: blocked' });
    const named = {
      gpu: { requestAdapter: async () => ({ info: { vendor: 'google', architecture: 'swiftshader' } }) },
    };
    expect(await probeGpu(named)).toEqual({ ok: true, adapter: 'google/swiftshader' });
  });
});
