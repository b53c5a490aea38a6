import { describe, expect, it } from 'vitest';
import { DEFAULT_VISION_CONFIG, parseVisionConfig } from './laneWatchConfig.ts';
import { resolveConfig } from '../config/kioskConfig.ts';

describe('vision settings', () => {
  it('defaults to on with the escalation policy of the fusion core', () => {
    const { config } = resolveConfig({}, new URLSearchParams(), {});
    expect(config.vision).toEqual(DEFAULT_VISION_CONFIG);
    expect(config.vision).toMatchObject({ enabled: true, nudgeTimeoutMs: 8000, alertDirectly: ['unpaid'] });
  });

  it("takes a chain's policy from kiosk-config.json", () => {
    const { config, warnings } = resolveConfig(
      {
        vision: {
          enabled: false,
          lockOnSecond: true,
          nudgeTimeoutMs: 5000,
          alertDirectly: ['unpaid', 'reduction'],
        },
      },
      new URLSearchParams(),
      {},
    );
    expect(warnings).toEqual([]);
    expect(config.vision).toMatchObject({
      enabled: false,
      lockOnSecond: true,
      nudgeTimeoutMs: 5000,
      alertDirectly: ['unpaid', 'reduction'],
    });
  });

  it('reports each bad value and keeps its default', () => {
    const { config, warnings } = parseVisionConfig({
      enabled: 'yes',
      nudgeTimeoutMs: 10,
      minConfidence: 2,
      alertDirectly: ['theft'],
      colour: 'red',
    });
    expect(config).toEqual(DEFAULT_VISION_CONFIG);
    expect(warnings).toEqual([
      'vision.enabled must be true or false',
      'vision.nudgeTimeoutMs must be 1000..120000',
      'vision.minConfidence must be 0..1',
      'vision.alertDirectly must list suspicion types (missedScan, wrongScan, noScan, reduction, unpaid)',
      'vision: unknown setting "colour"',
    ]);
    expect(parseVisionConfig('on').warnings).toEqual(['vision must be an object']);
  });
});
