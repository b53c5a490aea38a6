/**
 * CTC greedy decoding for the PP-OCR recogniser. Its output is [1, T, C] class probabilities per
 * time step (softmax already applied in the exported model); class 0 is the CTC blank, classes
 * 1..N are the lines of the keys file, and the last class is the space PaddleOCR appends.
 */

export interface CtcDictionary {
  /** Index = class id; index 0 is the blank (''). */
  chars: readonly string[];
}

/** Builds the class list from ppocr_keys_v1.txt (one character per line). */
export function parseKeys(text: string): CtcDictionary {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new Error('keys file is empty');
  const bad = lines.findIndex((l) => l.length === 0);
  if (bad >= 0) throw new Error(`keys file line ${bad + 1} is empty`);
  return { chars: ['', ...lines, ' '] };
}

export interface CtcResult {
  text: string;
  /** Mean probability of the characters kept, 0..1 (0 when nothing was read). */
  confidence: number;
}

/** Best class per step, repeats merged, blanks dropped. */
export function ctcGreedyDecode(
  probs: Float32Array,
  steps: number,
  classes: number,
  dict: CtcDictionary,
): CtcResult {
  if (probs.length !== steps * classes)
    throw new Error(`recogniser output has ${probs.length} values, expected ${steps}x${classes}`);
  if (classes !== dict.chars.length)
    throw new Error(
      `recogniser has ${classes} classes but the keys give ${dict.chars.length} (blank + keys + space): wrong keys file?`,
    );
  let text = '';
  let sum = 0;
  let kept = 0;
  let previous = -1;
  for (let t = 0; t < steps; t++) {
    let best = 0;
    let bestP = -Infinity;
    const row = t * classes;
    for (let c = 0; c < classes; c++) {
      const p = probs[row + c] ?? 0;
      if (p > bestP) {
        bestP = p;
        best = c;
      }
    }
    if (best !== 0 && best !== previous) {
      text += dict.chars[best] ?? '';
      sum += bestP;
      kept++;
    }
    previous = best;
  }
  return { text, confidence: kept > 0 ? sum / kept : 0 };
}
