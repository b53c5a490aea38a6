/**
 * The chain's `vision` settings in kiosk-config.json: whether the lane acts on camera + POS
 * suspicions at all, and its escalation policy (src/core/fusion/escalation.ts). Parsed here, not in
 * the fusion core, so a bad value becomes a lane notice and its default instead of a crash.
 */
import { DEFAULT_ESCALATION_CONFIG, type EscalationConfig } from '../core/fusion/escalation.ts';
import { SUSPICION_TYPES, type SuspicionType } from '../core/fusion/types.ts';

export interface VisionConfig extends EscalationConfig {
  /** Off: no suspicion is raised, nudged or recorded (the camera mirror and recording still run). */
  enabled: boolean;
  /**
   * Read the packaging text of items held at the scanner (PP-OCR in its own worker) and emit
   * itemAppearance for the wrong-scan rule. Off by default: on this project's 2-core machine the
   * reads cost live hand analysis more than the 10 fps target allows (README, Figures).
   */
  itemAppearance: boolean;
}

export const DEFAULT_VISION_CONFIG: Readonly<VisionConfig> = {
  enabled: true,
  itemAppearance: false,
  ...DEFAULT_ESCALATION_CONFIG,
};

type VisionKey = keyof VisionConfig;

const isType = (x: unknown): x is SuspicionType =>
  typeof x === 'string' && (SUSPICION_TYPES as readonly string[]).includes(x);

/** Merges `raw` over `base`; every rejected key is reported and keeps its previous value. */
export function parseVisionConfig(
  raw: unknown,
  base: Readonly<VisionConfig> = DEFAULT_VISION_CONFIG,
): { config: VisionConfig; warnings: string[] } {
  const config: VisionConfig = { ...base, alertDirectly: [...base.alertDirectly] };
  const warnings: string[] = [];
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { config, warnings: ['vision must be an object'] };
  }
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    switch (key as VisionKey) {
      case 'enabled':
      case 'lockOnSecond':
      case 'itemAppearance':
        if (typeof value === 'boolean') config[key as 'enabled' | 'lockOnSecond' | 'itemAppearance'] = value;
        else warnings.push(`vision.${key} must be true or false`);
        break;
      case 'nudgeTimeoutMs':
        if (typeof value === 'number' && Number.isFinite(value) && value >= 1000 && value <= 120_000)
          config.nudgeTimeoutMs = value;
        else warnings.push('vision.nudgeTimeoutMs must be 1000..120000');
        break;
      case 'minConfidence':
        if (typeof value === 'number' && value >= 0 && value <= 1) config.minConfidence = value;
        else warnings.push('vision.minConfidence must be 0..1');
        break;
      case 'alertDirectly':
        if (Array.isArray(value) && value.every(isType)) config.alertDirectly = [...new Set(value)];
        else warnings.push(`vision.alertDirectly must list suspicion types (${SUSPICION_TYPES.join(', ')})`);
        break;
      default:
        warnings.push(`vision: unknown setting "${key}"`);
    }
  }
  return { config, warnings };
}
