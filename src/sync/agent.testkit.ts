import { EvidenceVault } from '../storage/evidenceVault.ts';
import type { KioskDb } from '../storage/db.ts';
import {
  freshDb,
  plainClip,
  sampleRecord,
  serverPair,
  T0,
  type ServerPair,
} from '../storage/evidence.testkit.ts';
import { fakeTus, manualTime } from './fakes.testkit.ts';
import { SyncAgent, type SyncAgentDeps, type SyncStatus } from './syncAgent.ts';

/** A kiosk database, vault and agent wired to fakes, for the SyncAgent tests (load fake-indexeddb first). */

export const BASE = 'https://store.example';

let serverKey: Promise<ServerPair> | undefined;
/** One RSA pair for all agent tests: generating one takes a while and the tests never decrypt. */
const server = () => (serverKey ??= serverPair());

export const clip = (n = 3000) => ({
  bytes: plainClip(n),
  mime: 'video/webm',
  startMs: 1,
  endMs: 2,
  faceBlur: false,
});

/** Things to close or stop after each test; the test file drains it in afterEach. */
export const cleanup: (() => unknown)[] = [];

export async function setup(opts: { token?: string | null } = {}) {
  const db = freshDb('sync');
  cleanup.push(() => db.close());
  if (opts.token !== null) {
    await db.setMeta('device', {
      deviceId: 'dev-1',
      lane: 'L1',
      token: opts.token ?? 'tok-1',
      enrolledAt: '',
    });
  }
  const time = manualTime(T0);
  const { handle } = await server();
  const vault = new EvidenceVault(db, {
    getServerKey: async () => handle,
    now: time.now,
    estimate: async () => ({ usage: 0, quota: 1e12 }),
    onAlert: () => {},
  });
  return { db, time, vault };
}

export function agentFor(
  db: KioskDb,
  time: ReturnType<typeof manualTime>,
  fetch: SyncAgentDeps['fetch'],
  tus = fakeTus((u) => u.opts.onSuccess()),
) {
  const statuses: SyncStatus[] = [];
  const agent = new SyncAgent(db, {
    baseUrl: BASE,
    fetch,
    tusUpload: tus.factory,
    now: time.now,
    setTimer: time.setTimer,
    clearTimer: time.clearTimer,
    onStatus: (s) => statuses.push(s),
    random: () => 0.5,
  });
  cleanup.push(() => agent.stop());
  return { agent, statuses, tus };
}

export async function saveMany(vault: EvidenceVault, n: number, withClip = false) {
  for (let i = 0; i < n; i++) {
    await vault.saveEvidence(sampleRecord(`T${String(i).padStart(3, '0')}`), withClip ? clip() : undefined);
  }
}
