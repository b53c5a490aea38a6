/**
 * One-line summaries for timeline entries, written for a store manager reading an order's
 * history. References only ever appear masked.
 */
import { maskRef } from '../pos/mask.ts';
import type { PosEvent } from '../pos/events.ts';
import type { OrderLine } from './types.ts';

/** Minor units as a decimal amount. Assumes a two-decimal currency (CNY, EUR, USD). */
export function formatMoney(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(minor));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function clip(text: string, max = 60): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function ref(value: string | undefined): string {
  return value === undefined ? '' : ` (ref ${maskRef(value)})`;
}

function why(reason: string | undefined): string {
  return reason === undefined || reason === '' ? '' : `: ${clip(reason)}`;
}

function item(line: OrderLine): string {
  const amount = line.weight !== undefined ? `${line.weight} g` : `× ${line.qty}`;
  return `line ${line.line} ${clip(line.name, 40)} ${amount} = ${formatMoney(line.total)}`;
}

/** `line` is the line concerned after the event; `fromQty` the quantity before a change. */
export function summarize(event: PosEvent, line?: OrderLine, fromQty?: number): string {
  switch (event.type) {
    case 'transaction.started':
      return `transaction started${event.orderNo !== undefined ? `, order ${clip(event.orderNo, 64)}` : ''}${
        event.memberRef !== undefined ? `, member ${maskRef(event.memberRef)}` : ''
      }`;
    case 'item.added':
      return line ? `added ${item(line)}` : `added line ${event.line}`;
    case 'item.quantityChanged':
      return line
        ? `quantity of line ${event.line} ${clip(line.name, 40)} ${fromQty ?? '?'} → ${event.qty}`
        : `quantity of line ${event.line} → ${event.qty}`;
    case 'item.voided':
      return `voided line ${event.line}${line ? ` ${clip(line.name, 40)}` : ''}${why(event.reason)}`;
    case 'transaction.cancelled':
      return `transaction cancelled${why(event.reason)}`;
    case 'payment.started':
      return `payment of ${formatMoney(event.amount)} started${event.method !== undefined ? ` (${clip(event.method, 32)})` : ''}`;
    case 'payment.failed':
      return `payment failed${why(event.reason)}${ref(event.paymentRef)}`;
    case 'payment.succeeded':
      return `paid ${formatMoney(event.amount)}${event.method !== undefined ? ` by ${clip(event.method, 32)}` : ''}${ref(event.paymentRef)}`;
    case 'transaction.ended':
      return 'transaction ended';
    case 'assistance.requested':
      return `assistance requested${why(event.reason)}`;
  }
}
