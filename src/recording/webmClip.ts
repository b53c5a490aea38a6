import { ArrayBufferTarget, Muxer } from 'webm-muxer';
import type { EncodedChunkRecord } from './chunkRing.ts';
import { webmCodecId, type VideoCodecChoice } from './config.ts';

/**
 * Wraps ring chunks into a standalone WebM. webm-muxer is plain JS (no browser APIs on the raw
 * path), so this runs in the worker and in the Node unit tests alike.
 */
export interface MuxOptions {
  codec: VideoCodecChoice;
  width: number;
  height: number;
  fps: number;
}

export interface MuxedClip {
  bytes: Uint8Array<ArrayBuffer>;
  /** Capture time of the first frame and end of the last frame (recorder clock, ms). */
  startMs: number;
  endMs: number;
  frames: number;
}

export function muxClip(chunks: readonly EncodedChunkRecord[], opts: MuxOptions): MuxedClip | null {
  const first = chunks[0];
  const last = chunks[chunks.length - 1];
  if (!first || !last) return null;
  if (!first.key) throw new Error('a clip must start with a keyframe');
  const target = new ArrayBufferTarget();
  const muxer = new Muxer({
    target,
    video: { codec: webmCodecId(opts.codec), width: opts.width, height: opts.height, frameRate: opts.fps },
    // Timestamps are rebased below, so the file starts at 0 as players expect.
    firstTimestampBehavior: 'strict',
  });
  let lastUs = -1;
  for (const c of chunks) {
    // Whole microseconds, strictly increasing (the ring guarantees increasing capture times).
    const us = Math.max(lastUs + 1, Math.round((c.tMs - first.tMs) * 1000));
    muxer.addVideoChunkRaw(c.data, c.key ? 'key' : 'delta', us);
    lastUs = us;
  }
  muxer.finalize();
  return {
    bytes: new Uint8Array(target.buffer),
    startMs: first.tMs,
    endMs: last.tMs + last.durationMs,
    frames: chunks.length,
  };
}
