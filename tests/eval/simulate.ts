/**
 * Command-line entry point of the evaluation (`npm run eval`): the fusion simulation's score
 * table, then the real-browser parts (pixel pipeline, analysis speed, OCR).
 *
 *   node --import tsx tests/eval/simulate.ts [--transactions 5000] [--seed 2] [--json] [--sim-only]
 *                                            [--noise moveMissRate=0.05,placeMissRate=0.05]
 *
 * --sim-only skips the browser parts (fast; what unit tests and CI use). With --json the last
 * line printed is one JSON object: recall per type, falseAlarmsPer100, decisionLatencyMsP95,
 * transactions, seed, analysisSpeed, pixel, ocr and the simulation's detail.
 * `runSimulation` (re-exported here) returns the simulation part for other scripts.
 */
import { pathToFileURL } from 'node:url';
import { runBrowserParts, type BrowserParts } from './browserParts.ts';
import type { NoiseModel } from './noise.ts';
import { formatTable, runSimulation, type SimulationResult } from './runSimulation.ts';

export { formatTable, runLane, runSimulation } from './runSimulation.ts';
export type { PerType, SimulationOptions, SimulationResult } from './runSimulation.ts';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** `--noise moveMissRate=0.05,placeMissRate=0.05` → a partial NoiseModel (numbers only). */
function noiseArg(): Partial<NoiseModel> | undefined {
  const text = arg('noise');
  if (!text) return undefined;
  const out: Record<string, number> = {};
  for (const pair of text.split(',')) {
    const [key, value] = pair.split('=');
    if (!key || value === undefined || !Number.isFinite(Number(value))) {
      throw new Error(`--noise: "${pair}" is not key=number`);
    }
    out[key] = Number(value);
  }
  return out as Partial<NoiseModel>;
}

function positiveInt(name: string, fallback: number): number {
  const text = arg(name);
  const n = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return n;
}

/** The summary object printed as the last line of `--json`. */
export function evalSummary(
  sim: SimulationResult,
  browser: BrowserParts | { skipped: string },
  withoutMatcher?: SimulationResult,
): Record<string, unknown> {
  const parts =
    'skipped' in browser
      ? { analysisSpeed: browser, pixel: browser, ocr: browser }
      : { analysisSpeed: browser.analysisSpeed, pixel: browser.pixel, ocr: browser.ocr };
  return {
    recall: sim.recall,
    falseAlarmsPer100: sim.falseAlarmsPer100,
    decisionLatencyMsP95: sim.decisionLatencyMsP95,
    transactions: sim.transactions,
    seed: sim.seed,
    ...(withoutMatcher
      ? {
          withoutProductMatcher: {
            recall: withoutMatcher.recall,
            falseAlarmsPer100: withoutMatcher.falseAlarmsPer100,
          },
        }
      : {}),
    ...parts,
    simulation: sim,
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const json = process.argv.includes('--json');
  const noise = noiseArg();
  const sim = runSimulation({
    transactions: positiveInt('transactions', 5000),
    seed: positiveInt('seed', 2),
    ...(noise ? { noise } : {}),
  });
  console.log(formatTable(sim));
  // The same lanes without a product matcher: what a kiosk runs until the chain supplies an item
  // detector with GTIN labels (the live worker then reads packaging text only).
  const withoutMatcher = runSimulation({
    transactions: positiveInt('transactions', 5000),
    seed: positiveInt('seed', 2),
    noise: { ...noise, galleryRate: 0 },
  });
  console.log(`\nWithout a product matcher (galleryRate 0: packaging text, size and price only):`);
  console.log(
    Object.entries(withoutMatcher.recall)
      .map(([type, r]) => `${type} ${(r * 100).toFixed(1)}%`)
      .join(', ') + `; false alarms per 100 honest: ${withoutMatcher.falseAlarmsPer100.toFixed(2)}`,
  );
  const browser = process.argv.includes('--sim-only')
    ? { skipped: '--sim-only' }
    : await runBrowserParts((line) => console.log(`  ${line}`));
  if (json) console.log(JSON.stringify(evalSummary(sim, browser, withoutMatcher)));
}
