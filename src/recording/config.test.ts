import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RECORDER_CONFIG,
  RecorderConfigError,
  resolveRecorderConfig,
  webmCodecId,
} from './config.ts';

describe('resolveRecorderConfig', () => {
  it('gives the documented defaults: 640x360 vp8, blur on, 3 s pre/post', () => {
    const c = resolveRecorderConfig();
    expect(c).toEqual(DEFAULT_RECORDER_CONFIG);
    expect([c.width, c.height, c.codec, c.faceBlur, c.preMs, c.postMs]).toEqual([
      640,
      360,
      'vp8',
      true,
      3000,
      3000,
    ]);
    expect(c.keyframeIntervalMs).toBe(1000);
  });

  it('applies overrides and ignores undefined ones', () => {
    const c = resolveRecorderConfig({ faceBlur: false, fps: 15, preMs: undefined });
    expect(c.faceBlur).toBe(false);
    expect(c.fps).toBe(15);
    expect(c.preMs).toBe(3000);
  });

  it('refuses values that would break the recorder', () => {
    expect(() => resolveRecorderConfig({ fps: 0 })).toThrow(RecorderConfigError);
    expect(() => resolveRecorderConfig({ width: 641 })).toThrow(/even/);
    expect(() => resolveRecorderConfig({ preMs: Number.NaN })).toThrow(/preMs/);
    expect(() => resolveRecorderConfig({ codec: 'h264' as never })).toThrow(/codec/);
    expect(() => resolveRecorderConfig({ frameDelivery: 'pigeon' as never })).toThrow(/frameDelivery/);
  });

  it('maps codecs to WebM codec ids', () => {
    expect(webmCodecId('vp8')).toBe('V_VP8');
    expect(webmCodecId('vp09.00.10.08')).toBe('V_VP9');
  });
});
