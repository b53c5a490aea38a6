/**
 * Building blocks of one simulated transaction: ringing up lines, item trips (honest and each
 * abnormal kind), removals and labels. scenarios.ts strings them together.
 */
import type { SuspicionType } from '../../src/core/fusion/types.ts';
import type { Catalogue, Product } from './catalogue.ts';
import type { Emitter } from './emit.ts';
import type { BehaviourModel } from './noise.ts';
import { emitTrip, type Presentation, type TripResult } from './trips.ts';

export interface Label {
  txn: string;
  type: SuspicionType;
  variant: string;
  startMs: number;
  endMs: number;
  trackIds: number[];
}

export interface Bagged {
  product: Product;
  line: number;
  trip: TripResult;
  /** Still in the bag (not voided and put back, not moved to the cart). */
  inBag: boolean;
  /** When it landed in the bag. */
  landMs: number;
  honest: boolean;
}

export class TxnBuilder {
  /** Cursor: lane time (ms) at which the shopper does the next thing. */
  t: number;
  readonly labels: Label[] = [];
  readonly bagged: Bagged[] = [];
  readonly behaviours: string[] = [];
  private lineNo = 0;

  constructor(
    readonly em: Emitter,
    readonly cat: Catalogue,
    readonly beh: BehaviourModel,
    readonly txn: string,
    startMs: number,
  ) {
    this.t = startMs;
  }

  get rng(): Emitter['rng'] {
    return this.em.rng;
  }

  /** A registration at the POS, `beepMs` being when the scanner read the code. */
  ring(product: Product, beepMs: number, latency = true): number {
    const line = ++this.lineNo;
    const at = beepMs + (latency ? this.em.posLatency() : 0);
    const weight = product.weighed ? Math.round(this.rng.uniform(200, 1500)) : undefined;
    this.em.pos(
      {
        type: 'item.added',
        txn: this.txn,
        line,
        gtin: product.gtin,
        name: product.name,
        unitPrice: product.price,
        qty: 1,
        ...(weight !== undefined ? { weight } : {}),
      },
      at,
    );
    return line;
  }

  /**
   * One item from the basket to the bag. `scanned` is what the POS rings up (undefined: nothing),
   * `product` what the item really is. Returns the trip and the line.
   */
  item(opts: {
    product: Product;
    scanned?: Product;
    bypass?: boolean;
    count?: number;
    allowHonestNoise?: boolean;
  }): { trip: TripResult; line: number; startMs: number; endMs: number; doubleScan: boolean } {
    const { rng } = this;
    const pick = this.t;
    const presentations: Presentation[] = [];
    let beep: number | undefined;
    let beep2: number | undefined;
    const honestNoise = opts.allowHonestNoise ?? false;
    if (!opts.bypass && opts.product.weighed) {
      // Rests on the scale while the shopper picks the PLU on screen; lifted after it registers.
      const ps = pick + rng.uniform(500, 1000);
      beep = ps + rng.uniform(2000, 7000);
      presentations.push({ startMs: ps, endMs: beep + rng.uniform(300, 1500), motion: false });
    } else if (!opts.bypass) {
      let ps = pick + rng.uniform(300, 800);
      let d = rng.uniform(250, 900);
      if (honestNoise && rng.chance(this.beh.rescanShare)) {
        // First try does not read; the shopper presents it again.
        presentations.push({ startMs: ps, endMs: ps + d, motion: true });
        ps = ps + d + rng.uniform(300, 1200);
        d = rng.uniform(250, 900);
        presentations.push({ startMs: ps, endMs: ps + d, motion: true, newTrack: rng.chance(0.1) });
      } else {
        presentations.push({ startMs: ps, endMs: ps + d, motion: true });
      }
      beep = ps + rng.uniform(0.2, 0.9) * d;
      if (honestNoise && rng.chance(this.beh.doubleScanShare)) {
        beep2 = beep + rng.uniform(300, 1000);
        const last = presentations[presentations.length - 1];
        if (last) last.endMs = Math.max(last.endMs, beep2 + 100);
      }
    }
    const lastEnd = presentations[presentations.length - 1]?.endMs ?? pick + rng.uniform(600, 1500);
    const landMs = lastEnd + rng.uniform(400, 1200);
    const trip = emitTrip(this.em, this.cat, {
      product: opts.product,
      pickMs: pick,
      presentations,
      landMs,
      count: opts.count ?? 1,
    });
    let line = 0;
    if (beep !== undefined && opts.scanned) line = this.ring(opts.scanned, beep);
    this.t = landMs + 300;
    const entry: Bagged = {
      product: opts.product,
      line,
      trip,
      inBag: true,
      landMs,
      honest: honestNoise && !!opts.scanned,
    };
    this.bagged.push(entry);
    if (beep2 !== undefined && opts.scanned) this.doubleScan(opts.scanned, line, beep2);
    return {
      trip,
      line,
      startMs: presentations[0]?.startMs ?? pick,
      endMs: landMs + 250,
      doubleScan: beep2 !== undefined,
    };
  }

  /** Honest double registration, usually fixed by the shopper a few seconds later. */
  private doubleScan(product: Product, line: number, beep2: number): void {
    const { rng } = this;
    this.behaviours.push('doubleScan');
    const asNewLine = rng.chance(0.5);
    const line2 = asNewLine
      ? this.ring(product, beep2)
      : (this.em.pos(
          { type: 'item.quantityChanged', txn: this.txn, line, qty: 2 },
          beep2 + this.em.posLatency(),
        ),
        line);
    if (!rng.chance(this.beh.doubleScanFixShare)) return;
    this.t += rng.uniform(2000, 6000);
    if (asNewLine)
      this.em.pos({ type: 'item.voided', txn: this.txn, line: line2, reason: 'double scan' }, this.t);
    else this.em.pos({ type: 'item.quantityChanged', txn: this.txn, line, qty: 1 }, this.t);
    this.t += 500;
  }

  /** An object leaves the bagging area (missed by the camera at the noise rate). */
  removal(trackId: number, toZone: 'pickup' | 'exit' | 'unknown', atMs: number): void {
    if (this.rng.chance(this.em.noise.removalMissRate)) return;
    this.em.perceive({ type: 'itemRemovedFromBagging', trackId, startMs: atMs, endMs: atMs + 400, toZone });
  }

  shopperLeft(atMs: number): void {
    if (this.rng.chance(this.em.noise.shopperLeftMissRate)) return;
    this.em.perceive({ type: 'shopperLeft', startMs: atMs, endMs: atMs + 500 });
  }

  nonItem(trackId: number, kind: 'bag' | 'phone' | 'wallet' | 'child', atMs: number): void {
    if (this.rng.chance(this.em.noise.nonItemMissRate)) return;
    this.em.perceive({ type: 'nonItemObject', trackId, kind, startMs: atMs, endMs: atMs + 600 });
  }

  label(type: SuspicionType, variant: string, startMs: number, endMs: number, trackIds: number[]): void {
    this.labels.push({ txn: this.txn, type, variant, startMs, endMs, trackIds });
  }

  /** A bagged, honestly scanned, non-weighed item still in the bag, if any. */
  pickBagged(): Bagged | undefined {
    const candidates = this.bagged.filter((b) => b.inBag && b.honest && b.line > 0 && !b.product.weighed);
    return candidates.length > 0 ? this.rng.pick(candidates) : undefined;
  }
}
