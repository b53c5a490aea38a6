/**
 * node --import tsx tests/eval/ocr/grocery.ts [--backend wasm|webgpu|auto] [--per-class N]
 *   [--packaged] [--json FILE]
 * Prints the wrong-scan evidence figures of runOcrEval() (see index.ts); exits 0 with SKIP when the
 * shared media is absent.
 */
import fs from 'node:fs';
import { PACKAGED_CLASSES, runOcrEval, type OcrEvalOptions } from './index.ts';
import type { GroupFigures } from './metrics.ts';

const argv = process.argv.slice(2);
const opt = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const options: OcrEvalOptions = { log: (l) => console.log(l) };
const backend = opt('--backend');
if (backend === 'wasm' || backend === 'webgpu' || backend === 'auto') options.backend = backend;
else if (backend !== undefined) throw new Error(`--backend must be wasm, webgpu or auto, got ${backend}`);
if (opt('--per-class')) options.perClass = Number(opt('--per-class'));
if (argv.includes('--packaged')) options.classes = PACKAGED_CLASSES;

const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;
const line = (name: string, g: GroupFigures): string =>
  `${name.padEnd(9)} photos ${g.photos}, with text ${g.withText}, own name most similar ${g.ownBeatsOthers}; ` +
  `wrong scan contradicted: OCR ${pct(g.wrongScanCaught.ocr)}, colour ${pct(g.wrongScanCaught.colour)}, either ${pct(g.wrongScanCaught.either)}; ` +
  `right scan contradicted: OCR ${pct(g.rightScanContradicted.ocr)}, colour ${pct(g.rightScanContradicted.colour)}, either ${pct(g.rightScanContradicted.either)}; ` +
  `colour top-1 ${pct(g.colourTop1)}; OCR median ${g.medianOcrMs.toFixed(0)} ms\n` +
  `          own name beats other brands ${g.ownBeatsOtherBrands}; OCR cue leans "switched" on wrong scans ` +
  `${pct(g.ocrCue.wrongLeans)} (strongly ${pct(g.ocrCue.wrongStrong)}), on right scans ${pct(g.ocrCue.rightLeans)} ` +
  `(strongly ${pct(g.ocrCue.rightStrong)})`;

const r = await runOcrEval(options);
if ('skipped' in r) {
  console.log(`SKIP ${r.skipped}`);
} else {
  console.log(
    `backend ${r.backend} (${r.reason}); sessions ${r.sessionMs} ms; catalogue ${r.catalogueSize} classes; colour threshold ${r.colourThreshold}`,
  );
  for (const p of r.photos)
    console.log(
      `${p.file.padEnd(48)} own ${p.simOwn.toFixed(2)} vs ${p.bestOther.name} ${p.bestOther.sim.toFixed(2)}; colour rank ${p.colourRank}; "${p.text}"`,
    );
  console.log(line('packaged', r.packaged));
  console.log(line('produce', r.produce));
  console.log(line('all', r.all));
  for (const s of r.colourSweep)
    console.log(
      `colour threshold ${s.threshold}: wrong scan contradicted ${pct(s.wrongScanCaught)}, right scan ${pct(s.rightScanContradicted)}`,
    );
  const json = opt('--json');
  if (json) fs.writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
}
