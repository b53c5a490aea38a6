import { Observable } from '../app/observable.ts';
import { toOrderVideoRecord } from '../core/evidence/record.ts';
import { DEMO_ENROL_CODE } from '../core/evidence/syncApi.ts';
import type { Order } from '../core/order/types.ts';
import { openKioskDb, type KioskDb } from '../storage/db.ts';
import { EvidenceVault } from '../storage/evidenceVault.ts';
import { ensureEnrolled, enrolmentState, serverKeySource } from '../sync/enrolment.ts';
import { INITIAL_SYNC_STATUS, SyncAgent, type SyncStatus } from '../sync/syncAgent.ts';
import { tusJsUpload } from '../sync/tusJs.ts';
import { ClipRecorder, type RecorderStatus } from '../recording/clipRecorder.ts';
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
}

const REPLAY_SEAL_MAX_AGE_MS = 60 * 60 * 1000;

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
  const recorder = config.recording ? new ClipRecorder({ faceBlur: config.faceBlur }) : null;
  recorder?.onStatus((s) => {
    patch({ recorder: s });
    if (s.kind === 'unavailable') notice(`recording unavailable: ${s.message}`);
  });

  let db: KioskDb | null = null;
  let vault: EvidenceVault | null = null;
  let agent: SyncAgent | null = null;
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
    vault = new EvidenceVault(kdb, {
      getServerKey: serverKeySource(kdb),
      now: () => Date.now(),
      estimate: async () => {
        const e = await navigator.storage.estimate();
        return { usage: e.usage ?? 0, quota: e.quota ?? 0 };
      },
      persist: navigator.storage?.persist ? () => navigator.storage.persist() : undefined,
      onAlert: (m) => {
        patch({ problem: m });
        notice(m);
      },
    });
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
    const code = config.enrolCode ?? (config.demo ? DEMO_ENROL_CODE : undefined);
    try {
      await ensureEnrolled(kdb, {
        baseUrl: origin,
        fetch: fetchFn,
        lane: config.lane,
        ...(code ? { code } : {}),
      });
    } catch (err) {
      patch({ problem: (err as Error).message });
    }
    agent.start();
    await refresh();
  })();

  async function refresh(): Promise<void> {
    if (!db || !vault) return;
    const enrolment = (await enrolmentState(db)) as MaintenanceEnrolment | undefined;
    patch({ enrolment, storage: await vault.storageEstimate() });
  }

  window.addEventListener('online', () => void agent?.syncNow({ includeFailed: false }));

  const seal = async (order: Order) => {
    await ready;
    if (!vault) return;
    await vault.saveEvidence(toOrderVideoRecord(order, new Date().toISOString()));
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
      void recorder?.markTransactionStart(txn, atMs).catch(() => undefined);
    },
    onTransactionClosed: (order, atMs, replayed) => {
      if (replayed) {
        void sealReplayed(order).catch((err: Error) => notice(`order record not stored: ${err.message}`));
        return;
      }
      // The order is sealed at once; the clip follows after the post-roll, so a crash loses at most the clip.
      const saved = seal(order).catch((err: Error) => notice(`order record not stored: ${err.message}`));
      if (!recorder) return;
      void recorder
        .markTransactionEnd(order.txn, atMs)
        .then(async (clip) => {
          await saved;
          if (!clip || !vault) return;
          await vault.attachClip(order.txn, clip);
          agent?.kick();
        })
        .catch((err: Error) => notice(`clip for ${order.txn} not stored: ${err.message}`));
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
  };
}
