import type { EncodedChunkRecord } from './chunkRing.ts';
import type { VideoCodecChoice } from './config.ts';
import { muxClip, type MuxedClip } from './webmClip.ts';
import { readWebm } from './webmReader.ts';

/**
 * Rebuilds one WebM from a transaction's checkpoints (after a crash, when the final clip never
 * came): the pieces' frames are re-muxed, not re-encoded, on a common timeline given by each
 * piece's start time. Pieces may come in any order; overlapping frames are kept once.
 */
export interface ClipPiece {
  bytes: Uint8Array;
  /** The piece's startMs as the recorder reported it (any clock, the same for all pieces). */
  startMs: number;
}

const CODECS: Record<string, VideoCodecChoice> = { V_VP8: 'vp8', V_VP9: 'vp09.00.10.08' };

export function joinClips(pieces: readonly ClipPiece[], fps: number): MuxedClip | null {
  const sorted = [...pieces].sort((a, b) => a.startMs - b.startMs);
  const chunks: EncodedChunkRecord[] = [];
  let format: { codec: VideoCodecChoice; width: number; height: number } | undefined;
  for (const piece of sorted) {
    const webm = readWebm(piece.bytes);
    const codec = CODECS[webm.codecId];
    if (!codec) throw new Error(`joinClips: unsupported codec ${webm.codecId}`);
    if (format && (format.codec !== codec || format.width !== webm.width || format.height !== webm.height))
      throw new Error('joinClips: pieces differ in codec or size');
    format ??= { codec, width: webm.width, height: webm.height };
    for (const f of webm.frames) {
      const tMs = piece.startMs + f.timestampMs;
      const last = chunks[chunks.length - 1];
      if (last && tMs <= last.tMs) continue;
      chunks.push({ tMs, durationMs: 1000 / fps, key: f.key, data: new Uint8Array(f.data) });
    }
  }
  if (!format) return null;
  return muxClip(chunks, { ...format, fps });
}
