import { useEffect, useRef, useState } from 'preact/hooks';
import type { NudgeState } from '../app/laneWatch.ts';
import type { ReplayClip } from '../adapters/replayRing.ts';
import type { Lang } from '../config/kioskConfig.ts';
import type { AudioState } from '../adapters/promptAudio.ts';
import { t } from './i18n.ts';

interface Props {
  nudge: NudgeState;
  lang: Lang;
  /** Copies of the camera frames in a time range; absent when the lane has no replay ring. */
  loadClip?: (startMs: number, endMs: number) => Promise<ReplayClip>;
  onAnswer: (answer: 'continue' | 'scanAgain') => void;
  /** State of the voice prompt, shown to tests and assistive tech as an attribute. */
  audioState?: AudioState;
}

/** Frames a little before and after the evidence, so the replay shows the whole movement. */
const MARGIN_MS = 1000;
const FRAME_MS = 125;

/**
 * The gentle "did this item scan?" check: a looping replay of the shopper's own last seconds and
 * two large buttons. A question, never an accusation; not modal, so the scanner and the rest of
 * the screen keep working (a matching scan closes it by itself).
 */
export function NudgeOverlay({ nudge, lang, loadClip, onAnswer, audioState }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const first = useRef<HTMLButtonElement>(null);
  const [frames, setFrames] = useState<number | null>(null);

  useEffect(() => {
    first.current?.focus();
  }, [nudge.suspicionId, nudge.stage]);

  useEffect(() => {
    setFrames(null);
    if (!loadClip) {
      setFrames(0);
      return;
    }
    let clip: ReplayClip | null = null;
    let timer: ReturnType<typeof setInterval> | null = null;
    let gone = false;
    void loadClip(nudge.replay.startMs - MARGIN_MS, nudge.replay.endMs + MARGIN_MS)
      .then((c) => {
        if (gone) return c.close();
        clip = c;
        setFrames(c.frames.length);
        const ctx = canvas.current?.getContext('2d');
        if (!ctx || c.frames.length === 0) return;
        let i = 0;
        const draw = () => {
          const f = c.frames[i % c.frames.length];
          if (f) ctx.drawImage(f.frame, 0, 0, c.width, c.height);
          i++;
        };
        draw();
        timer = setInterval(draw, FRAME_MS);
      })
      .catch(() => setFrames(0));
    return () => {
      gone = true;
      if (timer !== null) clearInterval(timer);
      clip?.close();
    };
  }, [nudge.suspicionId, nudge.replay.startMs, nudge.replay.endMs, loadClip]);

  const guide = nudge.stage === 'guide';
  const body = guide ? 'nudgeGuideBody' : nudge.type === 'reduction' ? 'nudgeBodyReduction' : 'nudgeBody';
  return (
    <div
      class={`nudge nudge-${nudge.stage}`}
      role="dialog"
      aria-modal="false"
      aria-labelledby="nudge-title"
      aria-describedby="nudge-body"
      data-testid="nudge"
      data-stage={nudge.stage}
      data-suspicion-type={nudge.type}
      data-replay-frames={frames ?? undefined}
      data-audio-state={audioState}
    >
      <h2 id="nudge-title">{t(lang, guide ? 'nudgeGuideTitle' : 'nudgeTitle')}</h2>
      <p id="nudge-body">{t(lang, body)}</p>
      <figure class="nudge-replay">
        <canvas
          ref={canvas}
          width={320}
          height={180}
          role="img"
          aria-label={t(lang, 'nudgeReplay')}
          data-testid="nudge-replay"
          hidden={frames === 0}
        />
        {frames === 0 && <figcaption class="nudge-no-replay">{t(lang, 'nudgeNoReplay')}</figcaption>}
      </figure>
      <div class="nudge-actions">
        {!guide && (
          <button
            class="btn btn-primary"
            data-answer="scanAgain"
            ref={first}
            onClick={() => onAnswer('scanAgain')}
          >
            {t(lang, 'nudgeScanAgain')}
          </button>
        )}
        <button
          class="btn"
          data-answer="continue"
          ref={guide ? first : undefined}
          onClick={() => onAnswer('continue')}
        >
          {t(lang, 'nudgeContinue')}
        </button>
      </div>
    </div>
  );
}
