import { useEffect, useRef } from 'preact/hooks';
import type { CameraStatus } from '../adapters/camera.ts';
import type { Lang } from '../config/kioskConfig.ts';
import { t, type StringKey } from './i18n.ts';

const STATUS_TEXT: Record<Exclude<CameraStatus['kind'], 'live'>, StringKey> = {
  starting: 'cameraStarting',
  denied: 'cameraDenied',
  absent: 'cameraAbsent',
  lost: 'cameraLost',
  error: 'cameraError',
};

/** The shopper's live view of their own scanning (guide 7.1.4): live, never a replay. */
export function Mirror({
  stream,
  status,
  lang,
}: {
  stream: MediaStream | null;
  status: CameraStatus;
  lang: Lang;
}) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = video.current;
    if (!el) return;
    el.srcObject = stream;
    if (!stream) return;
    void el.play().catch(() => {
      // Muted inline video may always autoplay; a refusal here only delays the first frame.
    });
    // Marks the first decoded frame so start-up time can be measured (npm run bench).
    if (!el.dataset.firstFrameMs && 'requestVideoFrameCallback' in el) {
      el.requestVideoFrameCallback(() => {
        el.dataset.firstFrameMs = String(Math.round(performance.now()));
      });
    }
  }, [stream]);
  return (
    <section class="mirror" aria-label={t(lang, 'mirrorLabel')} data-camera-state={status.kind}>
      <video ref={video} class="mirror-video" muted playsInline autoPlay data-testid="mirror-video" />
      <p class="mirror-caption">
        <span class="live-dot" aria-hidden="true" /> {t(lang, 'mirrorLabel')}
      </p>
      {status.kind !== 'live' && (
        <div class={`mirror-status mirror-${status.kind}`} role="status" data-testid="camera-status">
          {t(lang, STATUS_TEXT[status.kind])}
        </div>
      )}
    </section>
  );
}
