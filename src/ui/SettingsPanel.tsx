import { useEffect, useState } from 'preact/hooks';
import type { CameraDevice } from '../adapters/camera.ts';
import type { Lang } from '../config/kioskConfig.ts';
import { t } from './i18n.ts';

interface Props {
  lang: Lang;
  textSize: 1 | 2 | 3;
  listCameras: () => Promise<CameraDevice[]>;
  currentCamera: string | undefined;
  onCamera: (deviceId: string) => void;
  onTextSize: (size: 1 | 2 | 3) => void;
  onClose: () => void;
  extra?: preact.ComponentChildren;
}

/** Installer and shopper settings: camera choice and text size. */
export function SettingsPanel({
  lang,
  textSize,
  listCameras,
  currentCamera,
  onCamera,
  onTextSize,
  onClose,
  extra,
}: Props) {
  const [cameras, setCameras] = useState<CameraDevice[]>([]);
  useEffect(() => {
    void listCameras().then(setCameras, () => setCameras([]));
  }, [listCameras]);
  return (
    <div
      class="settings"
      role="dialog"
      aria-modal="false"
      aria-labelledby="settings-title"
      data-testid="settings"
    >
      <header class="demo-head">
        <h2 id="settings-title">{t(lang, 'settings')}</h2>
        <button class="btn btn-quiet btn-small" onClick={onClose}>
          {t(lang, 'close')}
        </button>
      </header>
      <label>
        {t(lang, 'camera')}
        <select
          data-testid="camera-select"
          value={currentCamera ?? ''}
          onChange={(e) => onCamera((e.target as HTMLSelectElement).value)}
        >
          {cameras.length === 0 && <option value="">—</option>}
          {cameras.map((c) => (
            <option key={c.deviceId} value={c.deviceId}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t(lang, 'textSize')}</legend>
        {([1, 2, 3] as const).map((s) => (
          <button
            key={s}
            class={s === textSize ? 'btn btn-primary btn-small' : 'btn btn-small'}
            aria-pressed={s === textSize}
            onClick={() => onTextSize(s)}
          >
            {'A'.repeat(s)}
          </button>
        ))}
      </fieldset>
      {extra}
    </div>
  );
}
