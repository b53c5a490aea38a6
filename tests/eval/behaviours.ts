/**
 * The behaviours a simulated transaction is made of: the labelled abnormal events (one per
 * dishonest transaction) and the honest habits that must not alarm. Each one writes its POS and
 * perception events through the TxnBuilder, so all noise comes from the NoiseModel.
 */
import type { SuspicionType } from '../../src/core/fusion/types.ts';
import type { Product } from './catalogue.ts';
import type { TxnBuilder } from './txnBuilder.ts';
import { bagAppearance } from './trips.ts';

export function abnormalItem(b: TxnBuilder, type: SuspicionType): string {
  const { rng, cat } = b;
  if (type === 'noScan') {
    const product = rng.pick(cat.packaged);
    const r = b.item({ product, bypass: true });
    b.label('noScan', 'bypass', r.startMs, r.endMs, r.trip.trackIds);
    return 'bypass';
  }
  if (type === 'missedScan') {
    const product = rng.pick(cat.packaged);
    const multi = rng.chance(0.35);
    const r = multi ? b.item({ product, scanned: product, count: rng.int(2, 3) }) : b.item({ product });
    const variant = multi ? 'multiTake' : 'covered';
    b.label('missedScan', variant, r.startMs, r.endMs, r.trip.trackIds);
    return variant;
  }
  // wrongScan: the real item is the dearer one; the barcode rung up belongs to a cheaper product.
  const real = rng.pick(cat.packaged.filter((p) => cat.packaged.some((o) => o.price < p.price)));
  const lookAlikes = cat.lookAlikes(real).filter((p) => p.price < real.price);
  const lookAlike = lookAlikes.length > 0 && rng.chance(0.3);
  const others = cat.packaged.filter((p) => p.price < real.price && p.family !== real.family);
  const scanned: Product = lookAlike
    ? rng.pick(lookAlikes)
    : rng.pick(others.length > 0 ? others : lookAlikes);
  const r = b.item({ product: real, scanned });
  const variant = lookAlike ? 'lookAlike' : 'otherProduct';
  b.label('wrongScan', variant, r.startMs, r.endMs, r.trip.trackIds);
  return variant;
}

/** 减数: an item was rung up and bagged, then its line voided or reduced; it stays in the bag. */
export function reduction(b: TxnBuilder): string {
  const { rng, cat } = b;
  b.t += rng.uniform(1500, 4000);
  if (rng.chance(0.3)) {
    // Two identical items, the second registered as a quantity bump, then quantity back to 1.
    const product = rng.pick(cat.packaged);
    const first = b.item({ product, scanned: product });
    b.t += rng.uniform(1000, 2500);
    const second = b.item({ product });
    b.em.pos(
      { type: 'item.quantityChanged', txn: b.txn, line: first.line, qty: 2 },
      second.startMs + 500 + b.em.posLatency(),
    );
    b.t += rng.uniform(3000, 20_000);
    b.em.pos({ type: 'item.quantityChanged', txn: b.txn, line: first.line, qty: 1 }, b.t);
    b.label('reduction', 'qtyDown', b.t, b.t, [...first.trip.trackIds, ...second.trip.trackIds]);
    b.t += 500;
    return 'qtyDown';
  }
  const target = b.pickBagged();
  if (!target) return '';
  target.honest = false;
  b.t += rng.uniform(3000, 20_000);
  b.em.pos({ type: 'item.voided', txn: b.txn, line: target.line, reason: 'customer' }, b.t);
  b.label('reduction', 'void', b.t, b.t, target.trip.trackIds);
  b.t += 500;
  return 'void';
}

/** Honest: void a line and put the item back (before or after confirming the void). */
export function changeOfMind(b: TxnBuilder): void {
  const { rng } = b;
  const target = b.pickBagged();
  if (!target) return;
  b.behaviours.push('voidPutBack');
  target.inBag = false;
  b.t += rng.uniform(2000, 10_000);
  const r = rng.next();
  const delay =
    r < 0.7 ? rng.uniform(1000, 4000) : r < 0.95 ? rng.uniform(4000, 8000) : rng.uniform(8000, 20_000);
  const before = rng.chance(0.3);
  const voidAt = before ? b.t + rng.uniform(1000, 4000) : b.t;
  const backAt = before ? b.t : b.t + delay;
  b.em.pos({ type: 'item.voided', txn: b.txn, line: target.line, reason: 'customer' }, voidAt);
  b.removal(target.trip.bagTrackId, rng.chance(0.85) ? 'pickup' : 'unknown', backAt);
  b.t = Math.max(voidAt, backAt) + 500;
}

/** Moving a full bag to the cart, or stepping away for a moment: both honest. */
export function midwayHabits(b: TxnBuilder, ownBag: number | undefined): void {
  const { rng } = b;
  if (rng.chance(b.beh.cartOffloadShare)) {
    const item = b.bagged.find((x) => x.inBag);
    const trackId = ownBag ?? item?.trip.bagTrackId;
    if (trackId !== undefined) {
      b.behaviours.push('cartOffload');
      if (ownBag === undefined && item) item.inBag = false;
      b.removal(trackId, 'exit', b.t + rng.uniform(500, 1500));
      b.t += 2500;
    }
  }
  if (rng.chance(b.beh.stepAwayShare)) {
    b.behaviours.push('stepAway');
    b.shopperLeft(b.t + 500);
    b.t += rng.uniform(10_000, 40_000);
  }
}

export function childVisit(b: TxnBuilder): void {
  const { rng } = b;
  b.behaviours.push('child');
  const id = b.em.newTrackId();
  b.nonItem(id, 'child', b.t);
  const ps = b.t + rng.uniform(200, 1500);
  b.em.perceive({
    type: 'itemPassedScanner',
    trackId: id,
    startMs: ps,
    endMs: ps + rng.uniform(300, 1200),
    fromZone: 'unknown',
    holdingItem: rng.chance(0.5),
  });
  b.em.perceive({ type: 'handsInScanner', count: 2, startMs: ps, endMs: ps + 500 });
}

/** 整单不结: goods rung up, nothing paid, goods taken away; the POS cancels on time-out later. */
export function unpaid(b: TxnBuilder, ownBag: number | undefined): string {
  const { rng } = b;
  const variant = rng.chance(0.5) ? 'walkOut' : 'payAbandoned';
  b.t += rng.uniform(2000, 5000);
  if (variant === 'payAbandoned') {
    b.em.pos({ type: 'payment.started', txn: b.txn, amount: 1 }, b.t);
    b.t += rng.uniform(3000, 8000);
    if (rng.chance(0.5)) b.em.pos({ type: 'payment.failed', txn: b.txn, reason: 'cancelled' }, b.t);
    b.t += rng.uniform(500, 2000);
  }
  const first = b.t;
  const inBag = b.bagged.filter((x) => x.inBag);
  // Nothing rung up is still in the bag (e.g. the only item was voided and put back): leaving
  // now takes no goods, so there is nothing to label.
  const rungInBag = inBag.some((x) => x.line > 0);
  const takes = ownBag !== undefined ? [ownBag] : [];
  for (
    let k = rng.int(ownBag !== undefined ? 0 : 1, ownBag !== undefined ? 1 : 3);
    k > 0 && inBag.length > 0;
    k--
  ) {
    takes.push(rng.pick(inBag).trip.bagTrackId);
  }
  for (const trackId of takes) {
    b.removal(trackId, 'exit', b.t);
    b.t += rng.uniform(300, 1500);
  }
  b.t += rng.uniform(1000, 3000);
  b.shopperLeft(b.t);
  if (rungInBag) b.label('unpaid', variant, first, b.t + 500, []);
  b.t += rng.uniform(60_000, 90_000);
  b.em.pos({ type: 'transaction.cancelled', txn: b.txn, reason: 'timeout' }, b.t);
  return variant;
}

/** Honest: the shopper gives up, unpacks their own bag (if any) and leaves without goods. */
export function abandon(b: TxnBuilder, ownBag: number | undefined): string {
  const { rng } = b;
  b.behaviours.push('abandon');
  b.t += rng.uniform(3000, 10_000);
  b.em.pos({ type: 'transaction.cancelled', txn: b.txn, reason: 'customer' }, b.t);
  if (ownBag !== undefined) {
    for (const x of b.bagged.filter((y) => y.inBag)) {
      b.t += rng.uniform(800, 2000);
      b.removal(x.trip.bagTrackId, 'pickup', b.t);
      x.inBag = false;
    }
    b.t += rng.uniform(1000, 2000);
    b.removal(ownBag, 'exit', b.t);
  }
  b.t += rng.uniform(1000, 3000);
  b.shopperLeft(b.t);
  return '';
}

/** Detector false positives scattered over the transaction. */
export function spurious(b: TxnBuilder, fromMs: number): void {
  const { rng, em } = b;
  for (let k = rng.poisson(em.noise.spuriousPerTxn); k > 0; k--) {
    const startMs = rng.uniform(fromMs, b.t);
    const endMs = startMs + rng.uniform(100, 600);
    const confidence = rng.chance(em.noise.spuriousHighShare)
      ? rng.uniform(0.7, 0.95)
      : rng.uniform(0.15, 0.7);
    const trackId = em.newTrackId();
    const kind = rng.int(0, 5);
    const base = { startMs, endMs, confidence };
    if (kind === 0)
      em.perceive({
        ...base,
        type: 'itemPassedScanner',
        trackId,
        fromZone: 'pickup',
        holdingItem: rng.chance(0.5),
      });
    else if (kind === 1) em.perceive({ ...base, type: 'scanMotion', trackId });
    else if (kind === 2)
      em.perceive({ ...base, type: 'itemMovedPickupToBagging', trackId, viaScanner: rng.chance(0.5) });
    else if (kind === 3) {
      em.perceive({ ...base, type: 'itemPlacedInBagging', trackId, fromZone: 'unknown' });
      // Often a real object after all: goods already in the bag, moved and re-detected.
      const resident = b.bagged.filter((x) => x.landMs < startMs);
      if (resident.length > 0) bagAppearance(em, b.cat, rng.pick(resident).product, trackId, startMs);
    } else if (kind === 4)
      em.perceive({
        ...base,
        type: 'itemRemovedFromBagging',
        trackId,
        toZone: rng.pick(['pickup', 'exit', 'unknown'] as const),
      });
    else em.perceive({ ...base, type: 'shopperLeft' });
  }
}
