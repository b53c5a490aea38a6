import { useEffect, useState } from 'preact/hooks';
import type { SyncStatus } from '../sync/syncAgent.ts';
import { formatBytes, formatTime, syncHeadline, usageText } from '../sync/statusView.ts';
import type { InferenceStatus } from '../worker/ort/backend.ts';
import type { InferenceMetrics } from '../worker/protocol.ts';

export interface MaintenanceEnrolment {
  deviceId?: string;
  lane?: string;
  keyId?: string;
}

interface Props {
  /** The lane this kiosk is configured for. */
  lane: string;
  /** From enrolmentState(): undefined when never enrolled. Never carries the device token. */
  enrolment: MaintenanceEnrolment | undefined;
  status: SyncStatus;
  storage?: { usage: number; quota: number; persisted?: boolean };
  /** A problem to show on top, e.g. "evidence database could not open" or the last vault alert. */
  problem?: string;
  onSyncNow: () => Promise<void> | void;
  /** Rejects with a readable message (EnrolmentError) when the code is refused or the server is down. */
  onEnrol: (code: string) => Promise<void>;
  /** Asks the inference worker for its ONNX Runtime backend and why (VisionWorkerApi.inferenceBackend()). */
  loadInference?: () => Promise<InferenceStatus | null>;
  /** Live hand/zone inference figures from the vision worker while the panel is open. */
  watchHands?: (cb: (m: InferenceMetrics | null) => void) => () => void;
}

/**
 * Installer view of the evidence pipeline: who this kiosk is to the server, what still has to be
 * sent, and room left on the device. English only: it is for installers and support, not shoppers.
 */
export function MaintenancePanel({
  lane,
  enrolment,
  status,
  storage,
  problem,
  onSyncNow,
  onEnrol,
  loadInference,
  watchHands,
}: Props) {
  const [hands, setHands] = useState<InferenceMetrics | null>(null);
  useEffect(() => watchHands?.(setHands), [watchHands]);
  const [inference, setInference] = useState<InferenceStatus | null>(null);
  useEffect(() => {
    let live = true;
    void loadInference?.().then(
      (s) => live && setInference(s),
      () => live && setInference(null),
    );
    return () => {
      live = false;
    };
  }, [loadInference]);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState<'sync' | 'enrol' | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const headline = syncHeadline(status);

  const run = async (kind: 'sync' | 'enrol', action: () => Promise<void> | void, done: string) => {
    setBusy(kind);
    setMessage(null);
    try {
      await action();
      setMessage({ tone: 'ok', text: done });
      if (kind === 'enrol') setCode('');
    } catch (err) {
      setMessage({ tone: 'error', text: (err as Error).message });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="maintenance" aria-labelledby="maintenance-title" data-testid="maintenance">
      <h3 id="maintenance-title">Evidence storage and sync</h3>
      {problem && (
        <p class="maintenance-problem" role="alert" data-testid="maintenance-problem">
          {problem}
        </p>
      )}
      <p class={`maintenance-headline maintenance-${headline.tone}`} role="status">
        {headline.text}
      </p>

      <dl class="maintenance-facts">
        <dt>Lane</dt>
        <dd data-testid="maintenance-lane">{enrolment?.lane ?? lane}</dd>
        <dt>Device</dt>
        <dd data-testid="maintenance-device">
          {enrolment?.deviceId ?? 'not enrolled'}
          {enrolment && !status.enrolled && ' (refused by the server: enrol again)'}
        </dd>
        <dt>Server key</dt>
        <dd>{enrolment?.keyId ?? 'none (clips cannot be encrypted)'}</dd>
        <dt>Pending records</dt>
        <dd data-testid="pending-records">{status.pendingRecords}</dd>
        <dt>Pending clips</dt>
        <dd data-testid="pending-clips">{status.pendingClips}</dd>
        <dt>Pending bytes</dt>
        <dd data-testid="pending-bytes" data-bytes={status.pendingBytes}>
          {formatBytes(status.pendingBytes)}
          {status.uploading &&
            ` (uploading ${formatBytes(status.uploading.sent)} of ${formatBytes(status.uploading.total)})`}
        </dd>
        {status.failedItems > 0 && (
          <>
            <dt>Refused items</dt>
            <dd data-testid="failed-items">{status.failedItems}</dd>
          </>
        )}
        <dt>Last success</dt>
        <dd data-testid="last-success">{formatTime(status.lastSuccessAt)}</dd>
        <dt>Last error</dt>
        <dd data-testid="last-error">
          {status.lastError ? `${formatTime(status.lastErrorAt)}: ${status.lastError}` : 'none'}
        </dd>
        <dt>Storage</dt>
        <dd data-testid="storage-usage">{storage ? usageText(storage.usage, storage.quota) : 'unknown'}</dd>
        <dt>Persistent</dt>
        <dd data-testid="storage-persisted">
          {storage?.persisted === undefined
            ? 'not asked yet'
            : storage.persisted
              ? 'yes'
              : 'no (the browser may evict data when the disk is full)'}
        </dd>
        <dt>Inference backend</dt>
        <dd data-testid="inference-backend" data-backend={inference?.backend}>
          {inference ? `${inference.backend} (${inference.reason})` : 'unknown'}
        </dd>
        <dt>Hand inference</dt>
        <dd
          data-testid="hands-inference"
          data-state={hands?.state ?? 'off'}
          data-backend={hands?.backend}
          data-fps={hands?.fps}
          data-analysed={hands?.framesAnalysed}
        >
          {!hands || hands.state === 'off'
            ? 'off'
            : `${hands.state}, ${hands.backend}, ${hands.fps.toFixed(1)} fps, ` +
              `p50 ${hands.latencyMs.p50.toFixed(0)} ms, ${hands.framesAnalysed} analysed, ` +
              `${hands.framesGated} idle, ${hands.framesShed} shed, ${hands.dropped.busy} dropped` +
              (hands.lastError ? ` (${hands.lastError})` : '')}
        </dd>
        <dt>Inference models</dt>
        <dd data-testid="inference-models">
          {!inference
            ? 'unknown'
            : inference.models.length === 0
              ? 'none loaded yet (they load on first use)'
              : inference.models.map((m) => `${m.name} ${(m.ms / 1000).toFixed(1)} s`).join(', ')}
        </dd>
      </dl>

      <div class="maintenance-actions">
        <button
          class="btn btn-primary btn-small"
          data-testid="sync-now"
          disabled={busy !== null}
          onClick={() => void run('sync', onSyncNow, 'Sync run finished.')}
        >
          Sync now
        </button>
      </div>

      <form
        class="maintenance-enrol"
        onSubmit={(e) => {
          e.preventDefault();
          if (code.trim() !== '') void run('enrol', () => onEnrol(code.trim()), 'Enrolled.');
        }}
      >
        <label>
          Enrolment code (installer)
          <input
            data-testid="enrol-code"
            value={code}
            autocomplete="off"
            spellcheck={false}
            onInput={(e) => setCode((e.target as HTMLInputElement).value)}
          />
        </label>
        <button
          class="btn btn-small"
          type="submit"
          data-testid="enrol"
          disabled={busy !== null || code.trim() === ''}
        >
          Enrol with code
        </button>
      </form>
      {message && (
        <p
          class={`maintenance-message maintenance-${message.tone}`}
          role={message.tone === 'error' ? 'alert' : 'status'}
          data-testid="maintenance-message"
        >
          {message.text}
        </p>
      )}
    </section>
  );
}
