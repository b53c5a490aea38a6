import type { LightOutput } from '../core/lane/lightConfig.ts';
import type { LaneState } from '../core/lane/laneMachine.ts';
import { DEFAULT_VISION_CONFIG, parseVisionConfig, type VisionConfig } from '../app/laneWatchConfig.ts';

export type Lang = 'zh-CN' | 'en';

/** Everything a chain may set for its lanes; defaults are chosen for a working demo. */
export interface KioskConfig {
  lane: string;
  lang: Lang;
  /** Show the demo POS toggle. */
  demo: boolean;
  /** How long a blocking prompt waits for the shopper before calling a guide. */
  promptTimeoutMs: number;
  /** Same-origin URL prefix under which `<lang>/<kind>.ogg` prompt recordings live. */
  promptAudioBase: string;
  /** Partial override of the lane-light mapping (see docs/lane-light.md). */
  light: Partial<Record<LaneState, LightOutput>>;
  /** Text size step: 1 normal, 2 large, 3 larger. */
  textSize: 1 | 2 | 3;
  /** Replayed prompts older than this are shown as history, not played again. */
  replayPromptMaxAgeMs: number;
  cameraDeviceId?: string;
  /** Record each transaction's clip (order video evidence). */
  recording: boolean;
  /** Blur faces before a frame is stored (on by default; a chain may turn it off where the law allows). */
  faceBlur: boolean;
  /** Enrolment code for this lane's first contact with the store server; demo mode uses the demo code. */
  enrolCode?: string;
  /** Camera + POS suspicions: on/off and the escalation policy (docs/fusion.md, "On the lane"). */
  vision: VisionConfig;
}

export const DEFAULT_CONFIG: KioskConfig = {
  lane: 'L01',
  lang: 'zh-CN',
  demo: true,
  promptTimeoutMs: 30_000,
  promptAudioBase: '/prompts',
  light: {},
  textSize: 1,
  replayPromptMaxAgeMs: 120_000,
  recording: true,
  faceBlur: true,
  vision: DEFAULT_VISION_CONFIG,
};

const LANE = /^[A-Za-z0-9_-]{1,32}$/;

/** Combines defaults, the chain's /kiosk-config.json and this device's URL; bad values are reported and skipped. */
export function resolveConfig(
  chain: unknown,
  params: URLSearchParams,
  local: Partial<KioskConfig>,
): { config: KioskConfig; warnings: string[] } {
  const warnings: string[] = [];
  const config: KioskConfig = { ...DEFAULT_CONFIG };
  const apply = (src: Record<string, unknown>, from: string) => {
    for (const [key, value] of Object.entries(src)) {
      switch (key) {
        case 'lane':
          if (typeof value === 'string' && LANE.test(value)) config.lane = value;
          else warnings.push(`${from}: lane "${String(value)}" is not a valid lane id`);
          break;
        case 'lang':
          if (value === 'zh-CN' || value === 'en') config.lang = value;
          else warnings.push(`${from}: lang must be zh-CN or en`);
          break;
        case 'demo':
          config.demo = value === true || value === 'true' || value === '1';
          break;
        case 'promptTimeoutMs': {
          const n = Number(value);
          if (Number.isFinite(n) && n >= 1000 && n <= 600_000) config.promptTimeoutMs = n;
          else warnings.push(`${from}: promptTimeoutMs must be 1000..600000`);
          break;
        }
        case 'promptAudioBase':
          if (typeof value === 'string' && /^\/(?!\/)/.test(value))
            config.promptAudioBase = value.replace(/\/$/, '');
          else warnings.push(`${from}: promptAudioBase must be a same-origin path starting with /`);
          break;
        case 'light':
          if (typeof value === 'object' && value !== null) config.light = value as KioskConfig['light'];
          break;
        case 'textSize':
          if (value === 1 || value === 2 || value === 3) config.textSize = value;
          break;
        case 'cameraDeviceId':
          if (typeof value === 'string') config.cameraDeviceId = value;
          break;
        case 'recording':
        case 'faceBlur':
          config[key] = value === true || value === 'true' || value === '1';
          break;
        case 'enrolCode':
          if (typeof value === 'string' && value.length >= 4) config.enrolCode = value;
          else warnings.push(`${from}: enrolCode must be a string of at least 4 characters`);
          break;
        case 'vision': {
          const parsed = parseVisionConfig(value, config.vision);
          config.vision = parsed.config;
          warnings.push(...parsed.warnings.map((w) => `${from}: ${w}`));
          break;
        }
        case 'replayPromptMaxAgeMs':
          if (typeof value === 'number' && value >= 0) config.replayPromptMaxAgeMs = value;
          break;
        default:
          warnings.push(`${from}: unknown setting "${key}"`);
      }
    }
  };
  if (chain && typeof chain === 'object') apply(chain as Record<string, unknown>, 'kiosk-config.json');
  apply(local as Record<string, unknown>, 'local settings');
  const fromUrl: Record<string, unknown> = {};
  for (const key of ['lane', 'lang', 'demo', 'promptTimeoutMs', 'recording', 'enrolCode']) {
    const v = params.get(key);
    if (v !== null) fromUrl[key] = v;
  }
  apply(fromUrl, 'URL');
  return { config, warnings };
}
