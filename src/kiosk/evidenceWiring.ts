import { Observable } from '../app/observable.ts';
import { toOrderVideoRecord, type RecordedSuspicion } from '../core/evidence/record.ts';
import { DEMO_ENROL_CODE } from '../core/evidence/syncApi.ts';
import type { Order } from '../core/order/types.ts';
import { openKioskDb, type KioskDb } from '../storage/db.ts';
import { EvidenceVault } from '../storage/evidenceVault.ts';
import { CheckpointVault } from '../storage/checkpointVault.ts';
import { ensureEnrolled, enrolmentState, serverKeySource } from '../sync/enrolment.ts';
import { INITIAL_SYNC_STATUS, SyncAgent, type SyncStatus } from '../sync/syncAgent.ts';
import { tusJsUpload } from '../sync/tusJs.ts';
import { LaneAlertSender } from '../sync/laneAlertSender.ts';
import { ClipRecorder, type InferenceMetrics, type RecorderStatus } from '../recording/clipRecorder.ts';
import type { InferenceStatus } from '../worker/ort/backend.ts';
import type { LaneZones } from '../core/lane/zones.ts';
import type { MaintenanceEnrolment } from '../ui/MaintenancePanel.tsx';
import type { KioskConfig } from '../config/kioskConfig.ts';

export interface EvidenceState {
  status: SyncStatus;
  enrolment: MaintenanceEnrolment | undefined;
  storage?: { usage: number; quota: number; persisted?: boolean };
  recorder: RecorderStatus;
  problem?: string;
}

export interface Evidence {
  state: Observable<EvidenceState>;
  onTransactionStarted: (txn: string, atMs: number, replayed: boolean) => void;
  onTransactionClosed: (order: Order, atMs: number, replayed: boolean) => void;
  onClosedOrderChanged: (order: Order) => void;
  attachStream: (stream: MediaStream | null) => void;
  syncNow: () => Promise<void>;
  enrol: (code: string) => Promise<void>;
  refresh: () => Promise<void>;
  /** Where sealing finds a transaction's suspicions (late-bound: the lane watch is built later). */
  setSuspicionSource: (source: (txn: string) => RecordedSuspicion[]) => void;
  /** Perception batches from the recorder's vision worker (recorder clock); a no-op without one. */
  onPerception: (cb: (events: unknown[]) => void) => () => void;
  /** The lane's device token for the relay and status (null until enrolled; enrols if it can). */
  deviceToken: () => Promise<string | null>;
  /** The lane's calibrated zones for the perception tracker (null: measure only, no events). */
  setZones: (zones: LaneZones | null) => void;
  /** Polls the vision worker's inference figures every second until the returned stop is called. */
  watchInference: (cb: (m: InferenceMetrics | null) => void) => () => void;
  /** The ONNX Runtime backend and the reason for it; null without a worker. */
  inferenceBackend: () => Promise<InferenceStatus | null>;
  /** Ends the vision worker before the page goes away (an app update between transactions). */
  quiesce: () => Promise<void>;
}

const REPLAY_SEAL_MAX_AGE_MS = 60 * 60 * 1000;
/**
 * Pieces left by an earlier page are joined this long after storage opened: by then the relay has
 * normally replayed whether their transaction is still open (keep them) or closed (attach them).
 */
const RECOVER_PIECES_AFTER_MS = 15_000;

// Bare window.fetch throws "Illegal invocation" when called as a method of another object.
const fetchFn = (url: string, init?: RequestInit) => fetch(url, init);

/**
 * Order video evidence on the kiosk: every closed transaction is sealed into an encrypted record
 * at once, its clip (faces blurred in the worker) is attached after the post-roll, and the outbox
 * syncs both to the store server. Nothing here may block or break the lane: failures are shown on
 * the maintenance screen and as lane notices.
 */
export function wireEvidence(config: KioskConfig, notice: (message: string) => void): Evidence {
  const state = new Observable<EvidenceState>({
    status: { ...INITIAL_SYNC_STATUS },
    enrolment: undefined,
    recorder: { kind: 'idle' },
  });
  const patch = (p: Partial<EvidenceState>) => state.set({ ...state.get(), ...p });
  const origin = location.origin;
  // With recording off by config the worker still runs, analysing the camera (hands, zones) with
  // no face blur, no encoder and nothing stored.
  const recorder: ClipRecorder | null = new ClipRecorder(
    { faceBlur: config.faceBlur },
    {},
    { record: config.recording, appearance: config.vision.itemAppearance },
  );
  recorder?.onStatus((s) => {
    patch({ recorder: s });
    if (s.kind === 'unavailable') notice(`recording unavailable: ${s.message}`);
  });

  let db: KioskDb | null = null;
  let vault: EvidenceVault | null = null;
  let agent: SyncAgent | null = null;
  let pieces: CheckpointVault | null = null;
  // Transactions this page is recording (their checkpoints are kept; recovery leaves them alone).
  const recording = new Set<string>();
  recorder?.onCheckpoint((cp) => {
    if (!recording.has(cp.txn)) return;
    void ready
      .then(() => pieces?.store(config.lane, cp))
      .catch((err: Error) => notice(`checkpoint of ${cp.txn} not stored: ${err.message}`));
  });
  const ready = (async () => {
    try {
      db = await openKioskDb();
    } catch (err) {
      const message = `evidence storage could not open: ${(err as Error).message}`;
      patch({ problem: message });
      notice(message);
      return;
    }
    const kdb = db;
    const onAlert = (m: string) => {
      patch({ problem: m });
      notice(m);
      laneAlerts.raise('kiosk-storage', m);
    };
    vault = new EvidenceVault(kdb, {
      getServerKey: serverKeySource(kdb),
      now: () => Date.now(),
      estimate: async () => {
        const e = await navigator.storage.estimate();
        return { usage: e.usage ?? 0, quota: e.quota ?? 0 };
      },
      persist: navigator.storage?.persist ? () => navigator.storage.persist() : undefined,
      onAlert,
    });
    pieces = new CheckpointVault(kdb, vault, {
      now: () => Date.now(),
      fps: recorder?.config.fps ?? 12,
      onAlert,
    });
    setTimeout(() => void recoverPieces(), RECOVER_PIECES_AFTER_MS);
    agent = new SyncAgent(kdb, {
      baseUrl: origin,
      fetch: fetchFn,
      tusUpload: tusJsUpload,
      now: () => Date.now(),
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      onStatus: (s) => patch({ status: s }),
    });
    void vault.requestPersistence();
    void vault.runRetention();
    setInterval(() => void vault?.runRetention(), 3_600_000);
    await tryEnrol(kdb);
    agent.start();
    await refresh();
  })();

  const code = config.enrolCode ?? (config.demo ? DEMO_ENROL_CODE : undefined);
  let lastEnrolAt = 0;
  let enrolling: Promise<void> | null = null;
  let enrolProblem: string | null = null;
  async function tryEnrol(kdb: KioskDb): Promise<void> {
    lastEnrolAt = Date.now();
    try {
      await ensureEnrolled(kdb, {
        baseUrl: origin,
        fetch: fetchFn,
        lane: config.lane,
        ...(code ? { code } : {}),
      });
      // Clear only the problem enrolment itself reported; a storage problem stays on screen.
      if (enrolProblem !== null && state.get().problem === enrolProblem) patch({ problem: undefined });
      enrolProblem = null;
    } catch (err) {
      enrolProblem = (err as Error).message;
      patch({ problem: enrolProblem });
    }
  }

  // The relay and the status publisher wait for this, so the lane never connects with no credential;
  // a kiosk that booted with the server down enrols again (at most every 5 s) once it asks.
  async function deviceToken(): Promise<string | null> {
    await ready;
    if (!db) return null;
    const kdb = db;
    const current = async () => {
      const device = await kdb.getMeta('device');
      return device && device.lane === config.lane ? device.token : null;
    };
    const token = await current();
    if (token !== null || !code) return token;
    if (!enrolling && Date.now() - lastEnrolAt >= 5_000) {
      enrolling = tryEnrol(kdb).finally(() => {
        enrolling = null;
        agent?.kick();
      });
    }
    if (enrolling) await enrolling;
    return current();
  }

  const laneAlerts = new LaneAlertSender({
    baseUrl: origin,
    lane: config.lane,
    fetch: fetchFn,
    token: deviceToken,
    setTimer: (fn, ms) => setTimeout(fn, ms),
  });

  async function refresh(): Promise<void> {
    if (!db || !vault) return;
    const enrolment = (await enrolmentState(db)) as MaintenanceEnrolment | undefined;
    patch({ enrolment, storage: await vault.storageEstimate() });
  }

  let suspicionSource: (txn: string) => RecordedSuspicion[] = () => [];

  /** Joins what a killed or reloaded page left of transactions no longer recorded here. */
  async function recoverPieces(txn?: string): Promise<void> {
    await ready;
    if (!pieces) return;
    try {
      if (txn !== undefined) await pieces.recover(txn);
      else await pieces.recoverAll((t) => recording.has(t));
      agent?.kick();
    } catch (err) {
      notice(`interrupted transaction video not recovered: ${(err as Error).message}`);
    }
  }

  window.addEventListener('online', () => void agent?.syncNow({ includeFailed: false }));

  const seal = async (order: Order) => {
    await ready;
    if (!vault) return;
    const suspicions = suspicionSource(order.txn);
    await vault.saveEvidence(toOrderVideoRecord(order, new Date().toISOString(), undefined, suspicions));
    agent?.kick();
  };

  /**
   * A transaction that closed while this page was not there to see it (reload, disconnect): seal it
   * if it is recent and not stored yet. Older history was sealed when it happened, and resealing it
   * without its clip would replace the record that has one.
   */
  const sealReplayed = async (order: Order) => {
    await ready;
    const closedAt = Date.parse(order.endedAt ?? order.startedAt);
    if (!db || Date.now() - closedAt > REPLAY_SEAL_MAX_AGE_MS || (await db.records.get(order.txn))) return;
    await seal(order);
  };

  return {
    state,
    onTransactionStarted: (txn, atMs) => {
      // Also for a start replayed after a reload: the recorder marks it again, and the pieces the
      // earlier page stored are joined in front of the final clip (withEarlierPieces).
      recording.add(txn);
      void recorder?.markTransactionStart(txn, atMs).catch(() => undefined);
    },
    onTransactionClosed: (order, atMs, replayed) => {
      if (replayed) {
        // Closed while no page was there: the record is sealed, then what was recorded of it joined.
        void sealReplayed(order)
          .catch((err: Error) => notice(`order record not stored: ${err.message}`))
          .then(() => recoverPieces(order.txn));
        return;
      }
      // The order is sealed at once; the clip follows after the post-roll, so a crash loses at most the clip.
      const saved = seal(order).catch((err: Error) => notice(`order record not stored: ${err.message}`));
      if (!recorder) return;
      void recorder
        .markTransactionEnd(order.txn, atMs)
        .then(async (clip) => {
          await saved;
          if (!vault) return;
          // The clip's write deletes the transaction's pieces; without a clip they are joined instead.
          if (!clip) return recoverPieces(order.txn);
          const full = pieces ? await pieces.withEarlierPieces(order.txn, clip) : clip;
          await vault.attachClip(order.txn, full);
          agent?.kick();
        })
        .catch((err: Error) => notice(`clip for ${order.txn} not stored: ${err.message}`))
        .finally(() => recording.delete(order.txn));
    },
    onClosedOrderChanged: (order) => {
      void seal(order).catch((err: Error) => notice(`order record not updated: ${err.message}`));
    },
    attachStream: (stream) => {
      if (stream && recorder) void recorder.start(stream).catch(() => undefined);
    },
    syncNow: async () => {
      await agent?.syncNow();
    },
    enrol: async (code) => {
      await ready;
      if (!db) throw new Error('evidence storage is not available');
      await ensureEnrolled(db, { baseUrl: origin, fetch: fetchFn, lane: config.lane, code, reenrol: true });
      patch({ problem: undefined });
      agent?.kick();
      await refresh();
    },
    refresh,
    setSuspicionSource: (source) => {
      suspicionSource = source;
    },
    onPerception: (cb) => recorder?.onPerception((events) => cb(events)) ?? (() => undefined),
    deviceToken,
    setZones: (zones) => {
      void recorder?.setZones(zones).catch((err: Error) => notice(`lane zones not applied: ${err.message}`));
    },
    watchInference: (cb) => {
      const poll = () => void recorder?.inferenceMetrics().then(cb, () => cb(null));
      poll();
      const timer = setInterval(poll, 1000);
      return () => clearInterval(timer);
    },
    inferenceBackend: async () => (recorder ? recorder.inferenceBackend() : null),
    quiesce: async () => {
      await recorder?.stop();
    },
  };
}
