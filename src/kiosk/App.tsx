import { useState } from 'preact/hooks';
import type { Kiosk } from './wiring.ts';
import type { Lang } from '../config/kioskConfig.ts';
import { useObservable } from '../ui/useObservable.ts';
import { Mirror } from '../ui/Mirror.tsx';
import { OrderPanel } from '../ui/OrderPanel.tsx';
import { LightStrip } from '../ui/LightStrip.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { DiagnosticsBar } from '../ui/DiagnosticsBar.tsx';
import { DemoPosPanel } from '../ui/DemoPosPanel.tsx';
import { SettingsPanel } from '../ui/SettingsPanel.tsx';
import { t } from '../ui/i18n.ts';
import { saveLocalSettings } from './settingsStore.ts';
import { MaintenancePanel } from '../ui/MaintenancePanel.tsx';
import { CalibrationPanel } from '../ui/CalibrationPanel.tsx';
import { laneZonesFor } from './laneZonesStoreBrowser.ts';
import { NudgeOverlay } from '../ui/NudgeOverlay.tsx';

export function App({ kiosk, updateWaiting }: { kiosk: Kiosk; updateWaiting: boolean }) {
  // Stable across renders, so the overlay's replay does not restart on every update.
  const [loadClip] = useState(() => {
    const ring = kiosk.replay;
    return ring ? (startMs: number, endMs: number) => ring.clip(startMs, endMs) : undefined;
  });
  const { controller, config } = kiosk;
  const view = useObservable(controller.view);
  const audio = useObservable(kiosk.audio);
  const cameraStatus = useObservable(kiosk.cameraStatus);
  const stream = useObservable(kiosk.cameraStream);
  const evidence = useObservable(kiosk.evidence.state);
  const nudge = useObservable(kiosk.laneWatch.nudge);
  const [lang, setLang] = useState<Lang>(config.lang);
  const [textSize, setTextSize] = useState(config.textSize);
  const [panel, setPanel] = useState<'none' | 'demo' | 'settings' | 'calibration'>('none');
  const blocked = view.prompt !== null;
  const switchLang = () => {
    const next: Lang = lang === 'zh-CN' ? 'en' : 'zh-CN';
    config.lang = next;
    setLang(next);
    saveLocalSettings({ lang: next });
  };
  const assistance = view.laneState === 'assistanceRequested' && !blocked;
  return (
    <div
      class={`kiosk text-size-${textSize}`}
      lang={lang}
      data-lane={config.lane}
      data-online={String(view.online)}
    >
      <div class="kiosk-main" inert={blocked} aria-hidden={blocked}>
        <header class="kiosk-header">
          <LightStrip state={view.laneState} light={view.light} lang={lang} lane={config.lane} />
          <nav class="kiosk-tools">
            <button class="btn btn-small" onClick={switchLang} lang={lang === 'zh-CN' ? 'en' : 'zh-CN'}>
              {t(lang, 'language')}
            </button>
            <button
              class="btn btn-small"
              onClick={() => {
                if (panel !== 'settings') void kiosk.evidence.refresh();
                setPanel(panel === 'settings' ? 'none' : 'settings');
              }}
            >
              {t(lang, 'settings')}
            </button>
            {config.demo && (
              <button
                class="btn btn-small"
                data-testid="demo-toggle"
                aria-pressed={panel === 'demo'}
                onClick={() => setPanel(panel === 'demo' ? 'none' : 'demo')}
              >
                {t(lang, 'demoPos')}
              </button>
            )}
            <button
              class="btn btn-small btn-help"
              onClick={() => controller.requestAssistance('shopper pressed help')}
            >
              {t(lang, 'needHelp')}
            </button>
          </nav>
        </header>
        {view.online === false && (
          <p class="banner banner-offline" role="status" data-testid="offline-banner">
            {t(lang, 'offline')}
          </p>
        )}
        {updateWaiting && (
          <p class="banner" role="status" data-testid="update-waiting">
            {t(lang, 'updateWaiting')}
          </p>
        )}
        {assistance && (
          <div class="banner banner-assist" role="status" data-testid="assistance-banner">
            <span>{t(lang, 'guideCalled')}</span>
            <button class="btn btn-small" onClick={() => controller.guideCleared()}>
              {t(lang, 'staffResolved')}
            </button>
          </div>
        )}
        <DiagnosticsBar
          items={view.diagnostics}
          lang={lang}
          onDismiss={(id) => controller.dismissDiagnostic(id)}
        />
        <div class="kiosk-body">
          <Mirror stream={stream} status={cameraStatus} lang={lang} />
          <OrderPanel order={view.order} lang={lang} />
          {panel === 'calibration' && (
            <CalibrationPanel
              stream={stream}
              store={laneZonesFor(config.lane)}
              onClose={() => setPanel('settings')}
            />
          )}
          {panel === 'demo' && (
            <DemoPosPanel pos={kiosk.demoPos} lang={lang} onClose={() => setPanel('none')} />
          )}
          {panel === 'settings' && (
            <SettingsPanel
              lang={lang}
              textSize={textSize}
              listCameras={() => kiosk.camera.listDevices()}
              currentCamera={cameraStatus.kind === 'live' ? cameraStatus.deviceId : config.cameraDeviceId}
              onCamera={(id) => {
                saveLocalSettings({ cameraDeviceId: id });
                void kiosk.camera.choose(id);
              }}
              onTextSize={(s) => {
                setTextSize(s);
                saveLocalSettings({ textSize: s });
              }}
              onClose={() => setPanel('none')}
              extra={
                <>
                  <button
                    class="btn btn-small"
                    data-testid="connect-light"
                    onClick={() => void kiosk.towers.requestNew()}
                  >
                    {lang === 'en' ? 'Connect light tower' : '连接信号灯'}
                  </button>
                  <button
                    class="btn btn-small"
                    data-testid="open-calibration"
                    onClick={() => setPanel('calibration')}
                  >
                    Lane calibration
                  </button>
                  <MaintenancePanel
                    lane={config.lane}
                    enrolment={evidence.enrolment}
                    status={evidence.status}
                    storage={evidence.storage}
                    problem={
                      evidence.problem ??
                      (evidence.recorder.kind === 'unavailable' ? evidence.recorder.message : undefined)
                    }
                    onSyncNow={() => kiosk.evidence.syncNow()}
                    onEnrol={(code) => kiosk.evidence.enrol(code)}
                    watchHands={kiosk.evidence.watchInference}
                    loadInference={kiosk.evidence.inferenceBackend}
                  />
                </>
              }
            />
          )}
        </div>
      </div>
      {nudge && !blocked && (
        <NudgeOverlay
          nudge={nudge}
          lang={lang}
          loadClip={loadClip}
          audioState={audio.state}
          onAnswer={(a) => kiosk.laneWatch.answerNudge(a)}
        />
      )}
      {view.prompt && (
        <ConfirmDialog
          prompt={view.prompt}
          lang={lang}
          audio={audio}
          now={() => Date.now()}
          onAnswer={kiosk.answer}
          onMoreTime={() => controller.extendTime()}
        />
      )}
    </div>
  );
}
