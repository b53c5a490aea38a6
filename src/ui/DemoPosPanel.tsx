import { useState } from 'preact/hooks';
import type { DemoPos } from '../app/demoPos.ts';
import { DEMO_CATALOGUE } from '../core/catalogue/demoCatalogue.ts';
import type { Lang } from '../config/kioskConfig.ts';
import { formatMoney, t } from './i18n.ts';

/**
 * The demo POS: rings up the demo catalogue so a newcomer can run whole transactions. It stands
 * in for the store's POS; everything it does goes through the same protocol as a real one.
 */
export function DemoPosPanel({ pos, lang, onClose }: { pos: DemoPos; lang: Lang; onClose: () => void }) {
  const [, setVersion] = useState(0);
  const [grams, setGrams] = useState(500);
  const act = (fn: () => void) => () => {
    fn();
    setVersion((v) => v + 1);
  };
  const lines = pos.openLines();
  const name = (p: { name: string; nameEn: string }) => (lang === 'en' ? p.nameEn : p.name);
  return (
    <aside class="demo-pos" aria-label={t(lang, 'demoPos')} data-testid="demo-pos">
      <header class="demo-head">
        <h2>{t(lang, 'demoPos')}</h2>
        <button class="btn btn-quiet btn-small" onClick={onClose}>
          {t(lang, 'close')}
        </button>
      </header>
      <label class="demo-weight">
        {lang === 'en' ? 'Scale (g)' : '秤重 (克)'}
        <input
          type="number"
          min={1}
          max={100000}
          value={grams}
          onInput={(e) => setGrams(Number((e.target as HTMLInputElement).value) || 1)}
        />
      </label>
      <div class="demo-catalogue">
        {DEMO_CATALOGUE.map((p) => (
          <button
            key={p.gtin}
            class="demo-product"
            data-gtin={p.gtin}
            onClick={act(() => pos.add(p, p.soldBy === 'weight' ? { weight: grams } : {}))}
          >
            <span>{name(p)}</span>
            <small>
              {formatMoney(p.unitPrice, lang)}
              {p.soldBy === 'weight' ? '/kg' : ''}
            </small>
          </button>
        ))}
      </div>
      {lines.length > 0 && (
        <ol class="demo-lines">
          {lines.map((l) => (
            <li key={l.line} data-demo-line={l.line}>
              <span>{name(l.product)}</span>
              {l.weight === undefined && (
                <>
                  <button
                    class="btn btn-small"
                    aria-label="minus"
                    onClick={act(() => pos.setQty(l.line, l.qty - 1))}
                  >
                    −
                  </button>
                  <span>{l.qty}</span>
                  <button
                    class="btn btn-small"
                    aria-label="plus"
                    onClick={act(() => pos.setQty(l.line, l.qty + 1))}
                  >
                    +
                  </button>
                </>
              )}
              <button class="btn btn-small" data-action="void" onClick={act(() => pos.void(l.line))}>
                {lang === 'en' ? 'Delete' : '删除'}
              </button>
            </li>
          ))}
        </ol>
      )}
      <div class="demo-actions">
        <button class="btn btn-primary" data-action="pay" onClick={act(() => pos.pay(true))}>
          {lang === 'en' ? 'Pay' : '支付'} {formatMoney(pos.amountDue(), lang)}
        </button>
        <button class="btn" data-action="pay-fail" onClick={act(() => pos.pay(false))}>
          {lang === 'en' ? 'Pay (declined)' : '支付(失败)'}
        </button>
        <button class="btn" data-action="cancel" onClick={act(() => pos.cancel())}>
          {lang === 'en' ? 'Cancel order' : '取消订单'}
        </button>
      </div>
    </aside>
  );
}
