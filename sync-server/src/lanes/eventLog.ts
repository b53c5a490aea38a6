import fs from 'node:fs';
import path from 'node:path';
import type { PosEvent } from '../../../src/core/pos/events.ts';

export type AppendOutcome = 'accepted' | 'duplicate' | 'conflict';

/**
 * The relay's per-lane log of POS events, ordered by seq. It is what lets a kiosk that was
 * disconnected catch up: it reconnects with the last seq it applied and gets everything after.
 * Appends go to a JSONL file first so a server restart does not lose events a kiosk has not seen.
 */
export class LaneEventLog {
  private readonly bySeq = new Map<number, { event: PosEvent; json: string }>();
  private sorted: number[] = [];
  private readonly file: string;

  constructor(
    dir: string,
    readonly lane: string,
    private readonly window: number,
  ) {
    fs.mkdirSync(dir, { recursive: true });
    this.file = path.join(dir, 'pos-events.jsonl');
    this.load();
  }

  private load(): void {
    if (!fs.existsSync(this.file)) return;
    const lines = fs.readFileSync(this.file, 'utf8').split('\n');
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        const event = JSON.parse(line) as PosEvent;
        this.remember(event, line);
      } catch {
        // A torn last line from a crash mid-write is expected; skip it rather than refuse to start.
      }
    }
    this.trim(true);
  }

  private remember(event: PosEvent, json: string): void {
    if (!this.bySeq.has(event.seq)) this.sorted.push(event.seq);
    this.bySeq.set(event.seq, { event, json });
  }

  append(event: PosEvent): AppendOutcome {
    const json = JSON.stringify(event);
    const existing = this.bySeq.get(event.seq);
    if (existing) return existing.json === json ? 'duplicate' : 'conflict';
    fs.appendFileSync(this.file, json + '\n');
    this.remember(event, json);
    const last = this.sorted.length - 1;
    if (last > 0 && (this.sorted[last - 1] ?? 0) > event.seq) this.sorted.sort((a, b) => a - b);
    this.trim(false);
    return 'accepted';
  }

  since(seq: number): PosEvent[] {
    const out: PosEvent[] = [];
    for (const s of this.sorted) if (s > seq) out.push(this.bySeq.get(s)!.event);
    return out;
  }

  get lastSeq(): number {
    return this.sorted.length ? this.sorted[this.sorted.length - 1]! : 0;
  }

  /** Keep memory and the file bounded; compacting only past 120% of the window keeps appends cheap. */
  private trim(force: boolean): void {
    const limit = force ? this.window : Math.ceil(this.window * 1.2);
    if (this.sorted.length <= limit) return;
    const drop = this.sorted.splice(0, this.sorted.length - this.window);
    for (const s of drop) this.bySeq.delete(s);
    const body = this.sorted.map((s) => this.bySeq.get(s)!.json).join('\n') + '\n';
    const tmp = this.file + '.tmp';
    fs.writeFileSync(tmp, body);
    fs.renameSync(tmp, this.file);
  }
}
