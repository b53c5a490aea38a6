import type { LaneState } from '../core/lane/laneMachine.ts';
import type { LightOutput } from '../core/lane/lightConfig.ts';
import type { Lang } from '../config/kioskConfig.ts';
import { t } from './i18n.ts';

/** The on-screen lane light: colour and pattern plus the state in words, never colour alone. */
export function LightStrip({
  state,
  light,
  lang,
  lane,
}: {
  state: LaneState;
  light: LightOutput;
  lang: Lang;
  lane: string;
}) {
  return (
    <div
      class={`light-strip light-${light.color} pattern-${light.pattern}`}
      data-testid="light-strip"
      data-lane-state={state}
      data-light-color={light.color}
      data-light-pattern={light.pattern}
      role="status"
      aria-live="polite"
    >
      <span class="light-lamp" aria-hidden="true" />
      <span class="light-text">
        {t(lang, 'lane')} {lane} · {t(lang, `state_${state}`)}
      </span>
    </div>
  );
}
