import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { PROMPT_AUDIO_KINDS, PROMPT_LANGS, PROMPT_TEXTS } from './promptTexts.ts';

const PROMPTS_DIR = new URL('../../public/prompts/', import.meta.url);
const MAX_BYTES = 64 * 1024;

interface ManifestEntry {
  kind: string;
  lang: string;
  file: string;
  text: string;
  durationMs: number;
  bytes: number;
}

function readManifest(): { codec: string; prompts: ManifestEntry[] } {
  return JSON.parse(readFileSync(new URL('manifest.json', PROMPTS_DIR), 'utf8'));
}

describe('PROMPT_TEXTS', () => {
  it('covers the four blocking prompts of guide 4.1.4 and the two informational ones', () => {
    expect([...PROMPT_AUDIO_KINDS].sort()).toEqual(
      [
        'guideCalled',
        'itemVoided',
        'nudgeCheckScan',
        'paymentFailed',
        'quantityReduced',
        'transactionCancelled',
      ].sort(),
    );
  });

  it.each(PROMPT_AUDIO_KINDS)('%s has a non-empty text in every language', (kind) => {
    for (const lang of PROMPT_LANGS) {
      const text = PROMPT_TEXTS[kind][lang];
      expect(text.trim(), `${kind}/${lang}`).not.toBe('');
      // The generator passes texts as TSV lines.
      expect(text, `${kind}/${lang}`).not.toMatch(/[\t\r\n]/);
    }
    expect(PROMPT_TEXTS[kind]['zh-CN']).toMatch(/\p{Script=Han}/u);
    expect(PROMPT_TEXTS[kind].en).toMatch(/^[\x20-\x7e]+$/);
  });
});

describe('public/prompts/manifest.json', () => {
  const manifest = readManifest();

  it('lists exactly one file for every kind and language', () => {
    const listed = manifest.prompts.map((p) => `${p.lang}/${p.kind}`).sort();
    const expected = PROMPT_AUDIO_KINDS.flatMap((kind) =>
      PROMPT_LANGS.map((lang) => `${lang}/${kind}`),
    ).sort();
    expect(listed).toEqual(expected);
  });

  it.each(manifest.prompts.map((p) => [`${p.lang}/${p.kind}`, p] as const))(
    '%s exists, is small and matches the current text',
    (_name, entry) => {
      expect(entry.file).toBe(`${entry.lang}/${entry.kind}.ogg`);
      const url = new URL(entry.file, PROMPTS_DIR);
      expect(existsSync(url), `${entry.file} is missing; run npm run prompts`).toBe(true);
      const size = statSync(url).size;
      expect(size).toBeGreaterThan(1000);
      expect(size).toBeLessThan(MAX_BYTES);
      expect(entry.bytes).toBe(size);
      expect(entry.durationMs).toBeGreaterThan(500);
      expect(entry.durationMs).toBeLessThan(10_000);
      // Editing a text without regenerating the audio would leave the kiosk saying the old words.
      const current = PROMPT_TEXTS[entry.kind as keyof typeof PROMPT_TEXTS]?.[entry.lang as 'zh-CN' | 'en'];
      expect(entry.text, `text of ${entry.file} is stale; run npm run prompts`).toBe(current);
      // Ogg pages start with "OggS".
      expect(readFileSync(url).subarray(0, 4).toString('latin1')).toBe('OggS');
    },
  );
});
