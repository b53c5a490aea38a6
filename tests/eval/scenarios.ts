/**
 * Seeded scenario generator: one lane's day of transactions, each honest or carrying exactly one
 * labelled abnormal event (the five types of the guide, with their common variants), plus the
 * honest behaviours that must not alarm (double scans, re-tries, voids with the item put back,
 * own bags, phones, children, weighed produce, stepping away, abandoning the order).
 */
import { SUSPICION_TYPES, type SuspicionType } from '../../src/core/fusion/types.ts';
import type { Catalogue } from './catalogue.ts';
import { Emitter, type StreamEvent } from './emit.ts';
import { DEFAULT_BEHAVIOUR, DEFAULT_NOISE, type BehaviourModel, type NoiseModel } from './noise.ts';
import { Rng } from './rng.ts';
import { TxnBuilder, type Label } from './txnBuilder.ts';
import {
  abandon,
  abnormalItem,
  changeOfMind,
  childVisit,
  midwayHabits,
  reduction,
  spurious,
  unpaid,
} from './behaviours.ts';

export type { Label } from './txnBuilder.ts';

export interface TxnSummary {
  txn: string;
  honest: boolean;
  type?: SuspicionType;
  variant?: string;
  behaviours: string[];
}

export interface LaneScenario {
  lane: string;
  events: StreamEvent[];
  labels: Label[];
  txns: TxnSummary[];
  endMs: number;
}

export interface LaneOptions {
  lane: string;
  transactions: number;
  seed: number;
  catalogue: Catalogue;
  noise?: Partial<NoiseModel>;
  behaviour?: Partial<BehaviourModel>;
  startMs?: number;
}

export function generateLane(opts: LaneOptions): LaneScenario {
  const rng = new Rng(opts.seed);
  const noise: NoiseModel = { ...DEFAULT_NOISE, ...opts.noise };
  const beh: BehaviourModel = { ...DEFAULT_BEHAVIOUR, ...opts.behaviour };
  const em = new Emitter(rng, noise, opts.lane);
  const labels: Label[] = [];
  const txns: TxnSummary[] = [];
  let t = opts.startMs ?? Date.UTC(2025, 2, 1, 1, 0, 0);
  for (let i = 0; i < opts.transactions; i++) {
    const type = rng.chance(beh.dishonestShare) ? rng.pick(SUSPICION_TYPES) : undefined;
    const b = new TxnBuilder(em, opts.catalogue, beh, `${opts.lane}-T${String(i + 1).padStart(5, '0')}`, t);
    const variant = runTxn(b, type);
    spurious(b, t);
    labels.push(...b.labels);
    const summary: TxnSummary = { txn: b.txn, honest: b.labels.length === 0, behaviours: b.behaviours };
    if (type && b.labels.length > 0) {
      summary.type = type;
      summary.variant = variant;
    }
    txns.push(summary);
    t = b.t + rng.uniform(5000, 30_000);
  }
  return { lane: opts.lane, events: em.finish(), labels, txns, endMs: t };
}

/** Plays one transaction; returns the abnormal variant (if any). */
function runTxn(b: TxnBuilder, type: SuspicionType | undefined): string {
  const { rng, beh, cat } = b;
  const ownBag = rng.chance(beh.ownBagShare) ? b.em.newTrackId() : undefined;
  if (ownBag !== undefined) {
    b.behaviours.push('ownBag');
    b.nonItem(ownBag, 'bag', b.t);
    const fromZone = rng.chance(b.em.noise.outsideZoneMissRate) ? 'unknown' : 'outside';
    b.em.perceive({ type: 'itemPlacedInBagging', trackId: ownBag, startMs: b.t, endMs: b.t + 400, fromZone });
    b.t += 1500;
  }
  let phone = rng.chance(beh.phoneShare) ? b.em.newTrackId() : undefined;
  if (phone !== undefined) {
    b.behaviours.push('phone');
    b.nonItem(phone, 'phone', b.t);
    if (rng.chance(0.3)) {
      b.em.perceive({
        type: 'itemPlacedInBagging',
        trackId: phone,
        startMs: b.t,
        endMs: b.t + 300,
        fromZone: 'outside',
      });
    }
    b.t += 800;
  }
  b.em.pos({ type: 'transaction.started', txn: b.txn }, b.t + rng.uniform(0, 800));
  b.t += 1000;

  const n = Math.min(beh.itemsMax, 1 + rng.poisson(beh.itemsMean));
  const abnormalAt = rng.int(0, n - 1);
  const child = rng.chance(beh.childShare) ? rng.int(0, n - 1) : -1;
  const midway = Math.floor(n / 2);
  let variant = '';
  for (let i = 0; i < n; i++) {
    b.t += rng.uniform(1500, 4500);
    if (i === child) childVisit(b);
    if (type !== undefined && i === abnormalAt && ['missedScan', 'wrongScan', 'noScan'].includes(type)) {
      variant = abnormalItem(b, type);
    } else {
      const product = rng.chance(beh.weighedShare) ? rng.pick(cat.produce) : rng.pick(cat.packaged);
      b.item({ product, scanned: product, allowHonestNoise: true });
    }
    if (i === midway) midwayHabits(b, ownBag);
  }
  if (type === 'reduction') variant = reduction(b);
  if (rng.chance(beh.changeOfMindShare)) changeOfMind(b);
  if (type === 'unpaid') return unpaid(b, ownBag);
  // Abandoning unpacks the bag, so it would undo a labelled reduction: only honest orders do it.
  if (rng.chance(beh.abandonShare) && b.labels.length === 0) return abandon(b, ownBag);

  // Payment.
  b.t += rng.uniform(2000, 6000);
  b.em.pos({ type: 'payment.started', txn: b.txn, amount: 1 }, b.t);
  if (rng.chance(beh.paymentFailShare)) {
    b.behaviours.push('paymentFailed');
    b.t += rng.uniform(3000, 8000);
    b.em.pos({ type: 'payment.failed', txn: b.txn, reason: 'declined' }, b.t);
    b.t += rng.uniform(2000, 5000);
    b.em.pos({ type: 'payment.started', txn: b.txn, amount: 1 }, b.t);
  }
  if (rng.chance(beh.phonePayShare)) {
    // Showing a payment code looks like a scan to the camera.
    if (phone === undefined) {
      phone = b.em.newTrackId();
      b.nonItem(phone, 'phone', b.t);
    }
    const ps = b.t + rng.uniform(500, 2000);
    const pe = ps + rng.uniform(500, 1500);
    if (rng.chance(0.7)) {
      b.em.perceive({
        type: 'itemPassedScanner',
        trackId: phone,
        startMs: ps,
        endMs: pe,
        fromZone: 'unknown',
        holdingItem: true,
        dwellMs: pe - ps,
      });
    }
    if (rng.chance(0.6)) b.em.perceive({ type: 'scanMotion', trackId: phone, startMs: ps, endMs: pe });
    b.t = pe;
  }
  b.t += rng.uniform(2000, 8000);
  b.em.pos({ type: 'payment.succeeded', txn: b.txn, amount: 1 }, b.t);
  b.t += 500;
  b.em.pos({ type: 'transaction.ended', txn: b.txn }, b.t);
  b.t += rng.uniform(1000, 4000);
  if (ownBag !== undefined) b.removal(ownBag, 'exit', b.t);
  const inBag = b.bagged.filter((x) => x.inBag);
  for (let k = rng.int(0, 2); k > 0 && inBag.length > 0; k--) {
    b.t += rng.uniform(300, 1500);
    b.removal(rng.pick(inBag).trip.bagTrackId, 'exit', b.t);
  }
  b.t += rng.uniform(2000, 5000);
  b.shopperLeft(b.t);
  return variant;
}
