/**
 * Command-line entry point of the fusion simulation: prints the score table.
 *
 *   node --import tsx tests/eval/simulate.ts [--transactions 5000] [--seed 2] [--json]
 *                                            [--noise moveMissRate=0.05,placeMissRate=0.05]
 *
 * `runSimulation` (re-exported here) is what other scripts (npm run eval) call; with --json the
 * full result follows the table as one JSON line.
 */
import { pathToFileURL } from 'node:url';
import type { NoiseModel } from './noise.ts';
import { formatTable, runSimulation } from './runSimulation.ts';

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
    if (key && value !== undefined && Number.isFinite(Number(value))) out[key] = Number(value);
  }
  return out as Partial<NoiseModel>;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const noise = noiseArg();
  const result = runSimulation({
    transactions: Number(arg('transactions') ?? 5000),
    seed: Number(arg('seed') ?? 2),
    ...(noise ? { noise } : {}),
  });
  console.log(formatTable(result));
  if (process.argv.includes('--json')) console.log(JSON.stringify(result));
}
