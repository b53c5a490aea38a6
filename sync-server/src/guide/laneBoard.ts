import fs from 'node:fs';
import path from 'node:path';

/** What a kiosk publishes about its lane: the state, the light, and the latest prompt. */
export interface LaneStatus {
  lane: string;
  state: string;
  light: { color: string; pattern: string };
  txn?: string;
  prompt?: { kind: string; shownAt: string; answer?: string; answeredAt?: string };
  /** Kiosk clock when the status was produced. */
  at: string;
  /** Server clock when it was received. */
  receivedAt: string;
}

const STATES = new Set([
  'idle',
  'scanning',
  'awaitingConfirmation',
  'assistanceRequested',
  'suspectedAnomaly',
  'paymentFailed',
  'locked',
  'offline',
]);
const COLORS = new Set(['off', 'green', 'amber', 'red', 'blue', 'white']);
const PATTERNS = new Set(['steady', 'flash', 'fastFlash']);

export function parseLaneStatus(lane: string, body: unknown): { ok: true; status: LaneStatus } | { ok: false; error: string } {
  if (typeof body !== 'object' || body === null) return { ok: false, error: 'body must be a JSON object' };
  const b = body as Record<string, unknown>;
  const light = b.light as Record<string, unknown> | undefined;
  if (typeof b.state !== 'string' || !STATES.has(b.state)) return { ok: false, error: `unknown state "${String(b.state)}"` };
  if (!light || !COLORS.has(String(light.color)) || !PATTERNS.has(String(light.pattern))) {
    return { ok: false, error: 'light must be {color, pattern} with a known colour and pattern' };
  }
  if (typeof b.at !== 'string' || Number.isNaN(Date.parse(b.at))) return { ok: false, error: 'at must be an ISO date' };
  const status: LaneStatus = {
    lane,
    state: b.state,
    light: { color: String(light.color), pattern: String(light.pattern) },
    at: b.at,
    receivedAt: new Date().toISOString(),
  };
  if (typeof b.txn === 'string') status.txn = b.txn.slice(0, 64);
  const p = b.prompt as Record<string, unknown> | undefined;
  if (p && typeof p.kind === 'string' && typeof p.shownAt === 'string') {
    status.prompt = { kind: p.kind.slice(0, 40), shownAt: p.shownAt };
    if (typeof p.answer === 'string') status.prompt.answer = p.answer.slice(0, 40);
    if (typeof p.answeredAt === 'string') status.prompt.answeredAt = p.answeredAt;
  }
  return { ok: true, status };
}

/** The latest status of every lane, persisted so the guide wall is right after a server restart. */
export class LaneBoard {
  private readonly lanes = new Map<string, LaneStatus>();
  private readonly listeners = new Set<(s: LaneStatus) => void>();
  private readonly file: string;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'lane-board.json');
    try {
      for (const s of JSON.parse(fs.readFileSync(this.file, 'utf8')) as LaneStatus[]) this.lanes.set(s.lane, s);
    } catch {
      // First start, or an unreadable board: the kiosks republish within seconds.
    }
  }

  update(status: LaneStatus): void {
    this.lanes.set(status.lane, status);
    const tmp = this.file + '.tmp';
    fs.writeFileSync(tmp, JSON.stringify([...this.lanes.values()]));
    fs.renameSync(tmp, this.file);
    for (const l of this.listeners) l(status);
  }

  all(): LaneStatus[] {
    return [...this.lanes.values()].sort((a, b) => a.lane.localeCompare(b.lane));
  }

  subscribe(listener: (s: LaneStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
