import { describe, expect, it } from 'vitest';
import { muxClip } from './webmClip.ts';
import { readWebm, WebmFormatError } from './webmReader.ts';
import { makeChunks } from './testChunks.testkit.ts';

const opts = { codec: 'vp8' as const, width: 640, height: 360, fps: 12 };

describe('muxClip + readWebm', () => {
  it('round-trips frames, keyframe flags and timestamps rebased to 0', () => {
    const chunks = makeChunks(12 * 5, { t0: 123_456.5 });
    const clip = muxClip(chunks, opts)!;
    expect(clip.frames).toBe(60);
    expect(clip.startMs).toBe(123_456.5);
    expect(clip.endMs).toBeCloseTo(123_456.5 + 5000, 6);
    const webm = readWebm(clip.bytes);
    expect(webm.codecId).toBe('V_VP8');
    expect([webm.width, webm.height]).toEqual([640, 360]);
    expect(webm.frames).toHaveLength(60);
    webm.frames.forEach((f, i) => {
      expect(f.key).toBe(i % 12 === 0);
      // The muxer stores whole milliseconds.
      expect(Math.abs(f.timestampMs - (i * 1000) / 12)).toBeLessThanOrEqual(1);
      expect([...f.data]).toEqual([...chunks[i]!.data]);
    });
    expect(webm.durationMs).toBeGreaterThan(4900);
  });

  it('writes the VP9 codec id', () => {
    const clip = muxClip(makeChunks(3), { ...opts, codec: 'vp09.00.10.08' })!;
    expect(readWebm(clip.bytes).codecId).toBe('V_VP9');
  });

  it('refuses a clip that does not start on a keyframe, and an empty one', () => {
    expect(() => muxClip(makeChunks(3).slice(1), opts)).toThrow(/keyframe/);
    expect(muxClip([], opts)).toBeNull();
  });

  it('rejects what is not WebM', () => {
    expect(() => readWebm(new Uint8Array([1, 2, 3, 4]))).toThrow(WebmFormatError);
  });
});
