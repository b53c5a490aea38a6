/**
 * CLI: `node --import tsx tests/eval/pixel/run.ts [--json FILE] [--no-gpu]` prints the pixel
 * evaluation as tables (needs a kiosk built into KIOSK_OUT_DIR or dist).
 */
import fs from 'node:fs';
import { runPixelEval } from './index.ts';

const args = process.argv.slice(2);
const jsonAt = args.indexOf('--json');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? (args[onlyAt + 1]?.split(',') as ('landmarks' | 'speed' | 'bottle')[]) : undefined;
const result = await runPixelEval({
  log: (l) => console.log(l),
  skipGpu: args.includes('--no-gpu'),
  withRecording: args.includes('--with-recording'),
  only,
});
if (jsonAt >= 0 && args[jsonAt + 1]) fs.writeFileSync(args[jsonAt + 1]!, JSON.stringify(result, null, 2));
if ('skipped' in result) {
  console.log(`SKIP ${String(result.skipped)}`);
} else {
  console.log(
    '\nanalysis speed (video s per processing s; each row names its profile and whether decoding is in):',
  );
  console.table(result.analysisSpeed);
  console.log('analysis speed, every clip frame through the hand model (worst case):');
  console.table(result.analysisSpeedEveryFrame);
  const lm = (result.landmarks ?? {}) as Record<
    string,
    { still: Record<string, number>; video: Record<string, number> }
  >;
  const rows: Record<string, Record<string, number | string>> = {};
  const r1 = (x: number) => Math.round(x * 10) / 10;
  for (const [model, { still, video }] of Object.entries(lm))
    for (const [name, s] of [
      ['still', still],
      ['video', video],
    ] as const)
      rows[`${model} ${name}`] = {
        'mean px': r1(s.meanPx!),
        'p95 px': r1(s.p95Px!),
        'max px': r1(s.maxPx!),
        'tol px': s.tolerancePx!,
        'within tol %': r1(s.withinTolerance! * 100),
        missed: s.missed!,
      };
  console.log('hand landmarks against golden data:');
  console.table(rows);
  const bottle = (result.bottleVideo ?? { scenarios: [] }) as { scenarios: Record<string, unknown>[] };
  console.log('bottle clip, fusion per POS scenario:');
  console.table(
    bottle.scenarios.map((s) => ({
      scenario: s.scenario,
      planted: s.planted,
      detected: (s.detected as string[]).join(','),
      recall: s.recall,
      'false alarms': (s.falseAlarms as unknown[]).length,
      unattributed: (s.unattributed as unknown[]).length,
    })),
  );
}
