/**
 * The real-browser evaluations other parts of the project provide (pixel pipeline and analysis
 * speed in tests/eval/pixel, packaging-text OCR in tests/eval/ocr), loaded on demand so that the
 * simulator runs (and type-checks) without them. A part that is missing or fails is reported as
 * `{ skipped: reason }`, never silently left out.
 */
type Result = Record<string, unknown>;
type PixelModule = { runPixelEval?: (opts: { log: (line: string) => void }) => Promise<Result> };
type OcrModule = { runOcrEval?: (opts?: { log?: (line: string) => void }) => Promise<Result> };

export interface BrowserParts {
  analysisSpeed: unknown;
  pixel: unknown;
  ocr: unknown;
}

export async function runBrowserParts(log: (line: string) => void): Promise<BrowserParts> {
  const pixel = await runPart<PixelModule>('./pixel/index.ts', 'runPixelEval', (m) =>
    m.runPixelEval ? m.runPixelEval({ log }) : undefined,
  );
  const ocr = await runPart<OcrModule>('./ocr/index.ts', 'runOcrEval', (m) =>
    m.runOcrEval ? m.runOcrEval({ log }) : undefined,
  );
  const { analysisSpeed, ...pixelRest } = pixel;
  return {
    analysisSpeed: analysisSpeed ?? { skipped: 'skipped' in pixel ? pixel.skipped : 'not reported' },
    pixel: pixelRest,
    ocr,
  };
}

async function runPart<M>(
  specifier: string,
  name: string,
  call: (m: M) => Promise<Result> | undefined,
): Promise<Result> {
  let mod: M;
  try {
    // A variable specifier: the module is optional and typed only by what this file needs.
    const path: string = specifier;
    mod = (await import(path)) as M;
  } catch (err) {
    return { skipped: `${specifier} could not be loaded: ${message(err)}` };
  }
  const pending = call(mod);
  if (!pending) return { skipped: `${specifier} does not export ${name}` };
  try {
    return await pending;
  } catch (err) {
    return { skipped: `${name} failed: ${message(err)}` };
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
