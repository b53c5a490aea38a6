/**
 * Prints the voice prompt texts as TSV lines `kind<TAB>lang<TAB>text` for scripts/generate-prompts.sh.
 * Run: node --import tsx scripts/print-prompt-texts.ts
 */
import { PROMPT_AUDIO_KINDS, PROMPT_LANGS, PROMPT_TEXTS } from '../src/prompts/promptTexts.ts';

const lines: string[] = [];
for (const kind of PROMPT_AUDIO_KINDS) {
  for (const lang of PROMPT_LANGS) {
    const text = PROMPT_TEXTS[kind][lang].trim();
    if (!text || /[\t\r\n]/.test(text)) {
      console.error(`print-prompt-texts: ${kind}/${lang} is empty or contains a tab or line break`);
      process.exit(1);
    }
    lines.push(`${kind}\t${lang}\t${text}`);
  }
}
process.stdout.write(lines.join('\n') + '\n');
