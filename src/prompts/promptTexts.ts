import type { PromptKind } from '../core/pos/events.ts';

/**
 * Every situation that has a recorded voice prompt: the four blocking prompts of guide clause 4.1.4
 * plus two informational ones (a staff member has been called; a gentle "did that scan?" nudge).
 */
export type PromptAudioKind = PromptKind | 'guideCalled' | 'nudgeCheckScan';

/**
 * The spoken text of each prompt, the single source of truth for scripts/generate-prompts.sh
 * (which renders them to public/prompts/<lang>/<kind>.ogg) and for docs/prompts.md.
 * Tone: polite, factual, never accusing the shopper. Keep each to one short sentence or two, with
 * no tabs or line breaks. After editing, run `npm run prompts` and commit the regenerated audio;
 * promptTexts.test.ts fails while public/prompts/manifest.json holds an older text.
 */
export const PROMPT_TEXTS: Record<PromptAudioKind, { 'zh-CN': string; en: string }> = {
  itemVoided: {
    'zh-CN': '您删除了一件商品，请在屏幕上确认。',
    en: 'You removed an item. Please confirm on the screen.',
  },
  quantityReduced: {
    'zh-CN': '您减少了商品数量，请在屏幕上确认。',
    en: 'You reduced the quantity of an item. Please confirm on the screen.',
  },
  transactionCancelled: {
    'zh-CN': '您取消了整笔订单，请在屏幕上确认。',
    en: 'You cancelled the whole order. Please confirm on the screen.',
  },
  paymentFailed: {
    'zh-CN': '支付未成功，请再次尝试，或呼叫工作人员。',
    en: 'The payment did not go through. Please try again, or call a staff member.',
  },
  guideCalled: {
    'zh-CN': '已呼叫工作人员，请稍候。',
    en: 'A staff member is on the way. Thank you for waiting.',
  },
  nudgeCheckScan: {
    'zh-CN': '请查看屏幕，确认刚才的商品已扫描。',
    en: 'Please check the screen to see that your last item scanned.',
  },
};

/** All prompt kinds, in a stable order. */
export const PROMPT_AUDIO_KINDS = Object.keys(PROMPT_TEXTS) as PromptAudioKind[];

/** The languages prompts are recorded in; the same as the kiosk's `Lang`. */
export const PROMPT_LANGS = ['zh-CN', 'en'] as const;
