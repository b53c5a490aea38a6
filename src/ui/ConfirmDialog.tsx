import { useEffect, useRef, useState } from 'preact/hooks';
import type { PromptAnswer } from '../core/pos/events.ts';
import type { ActivePrompt } from '../app/laneController.ts';
import type { AudioState } from '../adapters/promptAudio.ts';
import type { Lang } from '../config/kioskConfig.ts';
import { t, type StringKey } from './i18n.ts';

interface Props {
  prompt: ActivePrompt;
  lang: Lang;
  audio: { state: AudioState; detail?: string };
  now: () => number;
  onAnswer: (answer: PromptAnswer) => void;
  onMoreTime: () => void;
}

const TITLE: Record<string, StringKey> = {
  itemVoided: 'promptItemVoided',
  quantityReduced: 'promptQuantityReduced',
  transactionCancelled: 'promptTransactionCancelled',
  paymentFailed: 'promptPaymentFailed',
};

function choices(kind: string): { confirm: StringKey; undo?: StringKey } {
  switch (kind) {
    case 'itemVoided':
      return { confirm: 'confirmRemove', undo: 'keepItem' };
    case 'quantityReduced':
      return { confirm: 'confirmReduce', undo: 'keepQty' };
    case 'transactionCancelled':
      return { confirm: 'confirmCancel', undo: 'keepOrder' };
    default:
      return { confirm: 'retryPayment' };
  }
}

/** The blocking confirm of guide 4.1.4: nothing else on screen works until it is answered. */
export function ConfirmDialog({ prompt, lang, audio, now, onAnswer, onMoreTime }: Props) {
  const first = useRef<HTMLButtonElement>(null);
  const [, setTick] = useState(0);
  useEffect(() => {
    first.current?.focus();
  }, [prompt.shownAtMs]);
  useEffect(() => {
    const id = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(id);
  }, []);
  const kind = prompt.request.kind;
  const { confirm, undo } = choices(kind);
  const item =
    lang === 'en' ? (prompt.request.itemNameEn ?? prompt.request.itemName) : prompt.request.itemName;
  const secondsLeft = Math.max(0, Math.ceil((prompt.deadlineMs - now()) / 1000));
  const onKey = (e: KeyboardEvent) => {
    // Keep keyboard focus inside the dialog so it stays the only thing that can be operated.
    if (e.key !== 'Tab') return;
    const buttons = [...(e.currentTarget as HTMLElement).querySelectorAll('button')];
    const idx = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = e.shiftKey ? idx - 1 : idx + 1;
    e.preventDefault();
    buttons[(next + buttons.length) % buttons.length]?.focus();
  };
  return (
    <div class="dialog-backdrop">
      <div
        class="dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="prompt-title"
        aria-describedby="prompt-body"
        data-prompt-kind={kind}
        data-audio-state={audio.state}
        onKeyDown={onKey}
      >
        <h2 id="prompt-title">
          <span aria-hidden="true" class="dialog-icon">
            !
          </span>{' '}
          {t(lang, TITLE[kind] ?? 'promptPaymentFailed')}
        </h2>
        <div id="prompt-body">
          {item && (
            <p class="dialog-item">
              {item}
              {prompt.request.fromQty !== undefined &&
                ` (${prompt.request.fromQty} → ${prompt.request.toQty})`}
            </p>
          )}
          <p>{t(lang, 'promptAsk')}</p>
          {audio.state === 'failed' && (
            <p class="dialog-audio-failed" role="status">
              {t(lang, 'audioFailed')}
            </p>
          )}
          {audio.state === 'playing' && (
            <p class="dialog-audio" aria-hidden="true">
              <svg class="speaker" viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true">
                <path
                  d="M3 9v6h4l5 4V5L7 9H3zm13.5 3a4.5 4.5 0 0 0-2.5-4v8a4.5 4.5 0 0 0 2.5-4z"
                  fill="currentColor"
                />
              </svg>{' '}
              {t(lang, 'audioPlaying')}
            </p>
          )}
          {prompt.guideCalled ? (
            <p class="dialog-guide" role="status">
              {t(lang, 'guideCalled')}
            </p>
          ) : (
            <p class="dialog-countdown">
              {secondsLeft} {t(lang, 'secondsLeft')}
            </p>
          )}
        </div>
        <div class="dialog-actions">
          <button
            ref={first}
            class="btn btn-primary"
            data-answer="confirmed"
            onClick={() => onAnswer('confirmed')}
          >
            {t(lang, confirm)}
          </button>
          {undo && (
            <button class="btn" data-answer="undo" onClick={() => onAnswer('undo')}>
              {t(lang, undo)}
            </button>
          )}
          <button class="btn btn-help" data-answer="callGuide" onClick={() => onAnswer('callGuide')}>
            {t(lang, 'callGuide')}
          </button>
          {!prompt.guideCalled && (
            <button class="btn btn-quiet" data-answer="moreTime" onClick={onMoreTime}>
              {t(lang, 'moreTime')}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}
