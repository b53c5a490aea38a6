import fs from 'node:fs';
import path from 'node:path';

/** An alert a lane raised for the floor (e.g. its storage emergency deleted unsynced clips). */
export interface LaneAlert {
  id: string;
  lane: string;
  at: string;
  kind: string;
  message: string;
}

/** What the guide wall shows: lane alerts plus the server's own (low disk, failed retention). */
export interface GuideAlert {
  id: string;
  at: string;
  kind: string;
  message: string;
  lane?: string;
}

const KIND = /^[a-z][a-z0-9-]{0,39}$/;
const MAX_MESSAGE = 500;

export type ParsedLaneAlert = { ok: true; kind: string; message: string } | { ok: false; error: string };

export function parseLaneAlert(body: unknown): ParsedLaneAlert {
  const b = body as { kind?: unknown; message?: unknown } | null;
  if (!b || typeof b !== 'object') return { ok: false, error: 'send { kind, message }' };
  if (typeof b.kind !== 'string' || !KIND.test(b.kind)) {
    return { ok: false, error: 'kind must be 1-40 lowercase letters, digits or -, starting with a letter' };
  }
  if (typeof b.message !== 'string' || b.message.trim() === '' || b.message.length > MAX_MESSAGE) {
    return { ok: false, error: `message must be 1-${MAX_MESSAGE} characters` };
  }
  return { ok: true, kind: b.kind, message: b.message.trim() };
}

/**
 * Alerts lanes raised, kept until a guide acknowledges them (they report things that already
 * happened, like evidence deleted under storage pressure, so nothing clears them by itself).
 * Persisted beside the lane board so a restart does not hide them.
 */
export class LaneAlerts {
  private readonly alerts: LaneAlert[];
  private readonly listeners = new Set<() => void>();
  private readonly file: string;
  private counter = 0;

  constructor(
    dataDir: string,
    private readonly keep = 200,
  ) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'lane-alerts.json');
    let loaded: LaneAlert[] = [];
    try {
      loaded = JSON.parse(fs.readFileSync(this.file, 'utf8')) as LaneAlert[];
    } catch {
      // First start or an unreadable file: start empty (lanes raise new alerts as things happen).
    }
    this.alerts = Array.isArray(loaded) ? loaded : [];
  }

  raise(lane: string, kind: string, message: string, at = new Date()): LaneAlert {
    const alert: LaneAlert = {
      id: `lane-${at.getTime().toString(36)}-${(this.counter++).toString(36)}`,
      lane,
      at: at.toISOString(),
      kind,
      message,
    };
    this.alerts.push(alert);
    if (this.alerts.length > this.keep) this.alerts.shift();
    this.save();
    return alert;
  }

  acknowledge(id: string): boolean {
    const i = this.alerts.findIndex((a) => a.id === id);
    if (i < 0) return false;
    this.alerts.splice(i, 1);
    this.save();
    return true;
  }

  list(): LaneAlert[] {
    return [...this.alerts];
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private save(): void {
    const tmp = this.file + '.tmp';
    fs.writeFileSync(tmp, JSON.stringify(this.alerts));
    fs.renameSync(tmp, this.file);
    for (const l of this.listeners) l();
  }
}
