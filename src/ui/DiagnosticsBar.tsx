import type { VisibleDiagnostic } from '../app/laneController.ts';
import type { Lang } from '../config/kioskConfig.ts';
import { t } from './i18n.ts';

/** POS data problems shown where they happen, so an integrator sees them without opening a console. */
export function DiagnosticsBar({
  items,
  lang,
  onDismiss,
}: {
  items: VisibleDiagnostic[];
  lang: Lang;
  onDismiss: (id: number) => void;
}) {
  if (items.length === 0) return null;
  const shown = items.slice(0, 3);
  return (
    <aside class="diagnostics" aria-label={t(lang, 'diagnostics')} data-testid="diagnostics">
      {shown.map((d) => (
        <div key={d.id} class={`diagnostic diagnostic-${d.outcome}`} data-code={d.code} role="status">
          <span class="diagnostic-code">
            {d.outcome === 'rejected' ? '⛔' : 'ℹ'} {d.code}
          </span>
          <span class="diagnostic-message">{d.message}</span>
          <button class="btn btn-quiet btn-small" onClick={() => onDismiss(d.id)}>
            {t(lang, 'dismiss')}
          </button>
        </div>
      ))}
      {items.length > shown.length && <span class="diagnostic-more">+{items.length - shown.length}</span>}
    </aside>
  );
}
