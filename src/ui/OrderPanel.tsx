import type { Order } from '../core/order/types.ts';
import type { Lang } from '../config/kioskConfig.ts';
import { formatMoney, t } from './i18n.ts';

/** The shopper's running order: every line (removed lines struck through), item count and total. */
export function OrderPanel({ order, lang }: { order: Order | null; lang: Lang }) {
  const lines = order?.lines ?? [];
  return (
    <section class="order" aria-labelledby="order-title" data-testid="order">
      <h2 id="order-title">{t(lang, 'yourItems')}</h2>
      {lines.length === 0 ? (
        <p class="order-empty">{t(lang, 'noItems')}</p>
      ) : (
        <ol class="order-lines">
          {lines.map((l) => (
            <li key={l.line} class={l.voided ? 'line voided' : 'line'} data-line={l.line} data-gtin={l.gtin}>
              <span class="line-name">{lang === 'en' ? (l.nameEn ?? l.name) : l.name}</span>
              <span class="line-qty">{l.weight ? `${(l.weight / 1000).toFixed(3)} kg` : `× ${l.qty}`}</span>
              <span class="line-total">
                {l.voided ? <s>{formatMoney(l.total, lang)}</s> : formatMoney(l.total, lang)}
                {l.voided && <span class="line-removed"> {t(lang, 'removed')}</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
      <div class="order-total" data-testid="order-total" data-total={order?.total ?? 0}>
        <span>
          {t(lang, 'total')} · {order?.itemCount ?? 0} {t(lang, 'items')}
        </span>
        <strong>{formatMoney(order?.total ?? 0, lang)}</strong>
      </div>
      {order?.memberRefMasked && (
        <p class="order-member">
          {t(lang, 'member')} {order.memberRefMasked}
        </p>
      )}
    </section>
  );
}
