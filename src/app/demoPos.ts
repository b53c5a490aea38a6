import type { PosEvent } from '../core/pos/events.ts';
import type { PromptRequest } from '../core/order/types.ts';
import type { Product } from '../core/catalogue/demoCatalogue.ts';

interface DemoLine {
  product: Product;
  qty: number;
  weight?: number;
  lineTotal?: number;
}

type Emit = (event: PosEvent) => void;

/**
 * A stand-in POS for demos and training: it rings up the demo catalogue and emits protocol v1
 * events into the same path a real POS uses, so everything downstream is exercised for real.
 */
export class DemoPos {
  private txn: string | null = null;
  private nextLine = 1;
  private readonly lines = new Map<number, DemoLine>();
  private readonly removed = new Map<number, DemoLine>();

  constructor(
    private readonly lane: string,
    private readonly nextSeq: () => number,
    private readonly emit: Emit,
    private readonly now: () => number = Date.now,
  ) {}

  get open(): boolean {
    return this.txn !== null;
  }

  get currentTxn(): string | null {
    return this.txn;
  }

  private base() {
    return {
      v: 1 as const,
      lane: this.lane,
      txn: this.txn ?? '',
      seq: this.nextSeq(),
      at: new Date(this.now()).toISOString(),
    };
  }

  start(): void {
    if (this.txn) return;
    this.txn = `${this.lane}-${this.now().toString(36)}`;
    this.nextLine = 1;
    this.lines.clear();
    this.removed.clear();
    this.emit({ ...this.base(), type: 'transaction.started', orderNo: this.txn.toUpperCase() });
  }

  add(product: Product, opts: { weight?: number; lineTotal?: number; qty?: number } = {}): number {
    this.start();
    const line = this.nextLine++;
    const entry: DemoLine = { product, qty: opts.qty ?? 1 };
    if (opts.weight !== undefined) entry.weight = opts.weight;
    if (opts.lineTotal !== undefined) entry.lineTotal = opts.lineTotal;
    this.lines.set(line, entry);
    const event: PosEvent = {
      ...this.base(),
      type: 'item.added',
      line,
      gtin: product.gtin,
      name: product.name,
      nameEn: product.nameEn,
      unitPrice: product.unitPrice,
      qty: entry.qty,
    };
    if (entry.weight !== undefined) event.weight = entry.weight;
    if (entry.lineTotal !== undefined) event.lineTotal = entry.lineTotal;
    this.emit(event);
    return line;
  }

  setQty(line: number, qty: number): void {
    const entry = this.lines.get(line);
    if (!this.txn || !entry || qty < 1 || entry.weight !== undefined) return;
    entry.qty = qty;
    this.emit({ ...this.base(), type: 'item.quantityChanged', line, qty });
  }

  void(line: number): void {
    const entry = this.lines.get(line);
    if (!this.txn || !entry) return;
    this.lines.delete(line);
    this.removed.set(line, entry);
    this.emit({ ...this.base(), type: 'item.voided', line, reason: 'shopper' });
  }

  cancel(): void {
    if (!this.txn) return;
    this.emit({ ...this.base(), type: 'transaction.cancelled', reason: 'shopper' });
    this.txn = null;
  }

  amountDue(): number {
    let sum = 0;
    for (const l of this.lines.values()) {
      sum +=
        l.lineTotal ??
        (l.weight !== undefined
          ? Math.round((l.product.unitPrice * l.weight) / 1000)
          : l.product.unitPrice * l.qty);
    }
    return sum;
  }

  pay(succeed: boolean): void {
    if (!this.txn || this.lines.size === 0) return;
    const amount = this.amountDue();
    this.emit({ ...this.base(), type: 'payment.started', amount, method: 'demo' });
    if (!succeed) {
      this.emit({
        ...this.base(),
        type: 'payment.failed',
        reason: 'declined (demo)',
        paymentRef: `PAY${this.now()}`,
      });
      return;
    }
    this.emit({
      ...this.base(),
      type: 'payment.succeeded',
      amount,
      method: 'demo',
      paymentRef: `PAY${this.now()}`,
    });
    this.emit({ ...this.base(), type: 'transaction.ended' });
    this.txn = null;
  }

  assist(): void {
    if (!this.txn) this.start();
    this.emit({ ...this.base(), type: 'assistance.requested', reason: 'shopper pressed help' });
  }

  /** The shopper chose "keep it" on a prompt: the POS puts back what was removed. */
  undo(req: PromptRequest): void {
    const removed = req.line === undefined ? undefined : this.removed.get(req.line);
    if (req.kind === 'itemVoided' && removed) {
      const opts: { weight?: number; lineTotal?: number; qty: number } = { qty: removed.qty };
      if (removed.weight !== undefined) opts.weight = removed.weight;
      if (removed.lineTotal !== undefined) opts.lineTotal = removed.lineTotal;
      this.add(removed.product, opts);
    }
    if (req.kind === 'quantityReduced' && req.line !== undefined && req.fromQty !== undefined) {
      this.setQty(req.line, req.fromQty);
    }
  }

  /** Lines still rung up, for the demo panel's controls. */
  openLines(): { line: number; product: Product; qty: number; weight?: number }[] {
    return [...this.lines.entries()].map(([line, l]) => ({ line, ...l }));
  }
}
