import fs from 'node:fs';
import path from 'node:path';
import type { LaneStatus } from '../../../src/core/lane/laneStatus.ts';

export type { LaneStatus };

/** The latest status of every lane, persisted so the guide wall is right after a server restart. */
export class LaneBoard {
  private readonly lanes = new Map<string, LaneStatus>();
  private readonly listeners = new Set<(s: LaneStatus) => void>();
  private readonly file: string;

  constructor(dataDir: string) {
    fs.mkdirSync(dataDir, { recursive: true });
    this.file = path.join(dataDir, 'lane-board.json');
    try {
      for (const s of JSON.parse(fs.readFileSync(this.file, 'utf8')) as LaneStatus[])
        this.lanes.set(s.lane, s);
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
