import { visionFileset } from './mediapipe.ts';

/**
 * Creating a second MediaPipe task in the same module worker fails with "ModuleFactory not set":
 * tasks-vision 1.1.0 imports the wasm loader, reads `self.ModuleFactory`, then clears it; the
 * second `import()` of the same URL returns the cached module without running it again, so the
 * global stays empty. This puts the factory back from the loader module's default export before a
 * task is created, and serialises creations so two cannot race over the global.
 */
let chain: Promise<unknown> = Promise.resolve();

interface FactoryScope {
  ModuleFactory?: unknown;
}

export function createVisionTask<T>(wasmBaseUrl: string, create: () => Promise<T>): Promise<T> {
  const run = chain.then(async () => {
    const fileset = await visionFileset(wasmBaseUrl);
    const scope = self as unknown as FactoryScope;
    if (!scope.ModuleFactory) {
      const loader = (await import(/* @vite-ignore */ fileset.wasmLoaderPath)) as { default?: unknown };
      if (typeof loader.default !== 'function')
        throw new Error(`the MediaPipe loader ${fileset.wasmLoaderPath} exports no factory`);
      scope.ModuleFactory = loader.default;
    }
    return create();
  });
  chain = run.catch(() => undefined);
  return run;
}
