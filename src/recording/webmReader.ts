/**
 * Minimal WebM (Matroska) reader: the video track's codec, size and frames. Enough to check and
 * decode the clips this recorder writes (tests, the e2e harness, a future "is this clip intact"
 * check before upload); not a general demuxer (no lacing, no multi-track selection beyond the
 * first video track).
 */
export interface WebmFrame {
  /** Presentation time in ms from the start of the file. */
  timestampMs: number;
  key: boolean;
  data: Uint8Array;
}

export interface WebmInfo {
  codecId: string;
  width: number;
  height: number;
  durationMs: number | undefined;
  frames: WebmFrame[];
}

export class WebmFormatError extends Error {
  override name = 'WebmFormatError';
}

const ID = {
  EBML: 0x1a45dfa3,
  Segment: 0x18538067,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  CodecID: 0x86,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Cluster: 0x1f43b675,
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
} as const;

/** Elements whose children we walk; everything else is skipped or read as a leaf. */
const MASTERS = new Set<number>([
  ID.Segment,
  ID.Info,
  ID.Tracks,
  ID.TrackEntry,
  ID.Video,
  ID.Cluster,
  ID.BlockGroup,
]);

interface Vint {
  value: number;
  length: number;
  unknown: boolean;
}

function readVint(buf: Uint8Array, pos: number, keepMarker: boolean): Vint {
  const first = buf[pos];
  if (first === undefined) throw new WebmFormatError(`truncated at byte ${pos}`);
  let length = 1;
  while (length <= 8 && (first & (0x80 >> (length - 1))) === 0) length++;
  if (length > 8) throw new WebmFormatError(`bad variable-size integer at byte ${pos}`);
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    const b = buf[pos + i];
    if (b === undefined) throw new WebmFormatError(`truncated at byte ${pos + i}`);
    value = value * 256 + b;
    if (b !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function readUint(buf: Uint8Array, start: number, end: number): number {
  let v = 0;
  for (let i = start; i < end; i++) v = v * 256 + (buf[i] ?? 0);
  return v;
}

function readFloat(buf: Uint8Array, start: number, end: number): number {
  const view = new DataView(buf.buffer, buf.byteOffset + start, end - start);
  return end - start === 4 ? view.getFloat32(0) : view.getFloat64(0);
}

export function readWebm(bytes: Uint8Array): WebmInfo {
  const info: WebmInfo = { codecId: '', width: 0, height: 0, durationMs: undefined, frames: [] };
  let timecodeScaleNs = 1_000_000;
  let durationTicks: number | undefined;
  let videoTrack: number | undefined;
  let track = { number: 0, type: 0, codecId: '', width: 0, height: 0 };
  let clusterTicks = 0;

  const onBlock = (start: number, end: number) => {
    const trackNo = readVint(bytes, start, false);
    const p = start + trackNo.length;
    if (p + 3 > end) throw new WebmFormatError(`block too short at byte ${start}`);
    if (videoTrack !== undefined && trackNo.value !== videoTrack) return;
    const rel = ((bytes[p] ?? 0) << 8) | (bytes[p + 1] ?? 0);
    const flags = bytes[p + 2] ?? 0;
    if ((flags & 0x06) !== 0) throw new WebmFormatError('laced blocks are not supported');
    const ticks = clusterTicks + (rel & 0x8000 ? rel - 0x10000 : rel);
    info.frames.push({
      timestampMs: (ticks * timecodeScaleNs) / 1e6,
      key: (flags & 0x80) !== 0,
      data: bytes.subarray(p + 3, end),
    });
  };

  const walk = (start: number, end: number, parent: number) => {
    let pos = start;
    while (pos < end) {
      const id = readVint(bytes, pos, true);
      const size = readVint(bytes, pos + id.length, false);
      const dataStart = pos + id.length + size.length;
      // An unknown size (live-written files) runs to the end of the parent.
      const dataEnd = size.unknown ? end : dataStart + size.value;
      if (dataEnd > bytes.length)
        throw new WebmFormatError(`element 0x${id.value.toString(16)} overruns file`);
      if (MASTERS.has(id.value)) {
        if (id.value === ID.TrackEntry) track = { number: 0, type: 0, codecId: '', width: 0, height: 0 };
        walk(dataStart, dataEnd, id.value);
        if (id.value === ID.TrackEntry && (track.type === 1 || track.codecId.startsWith('V_'))) {
          if (videoTrack === undefined) {
            videoTrack = track.number;
            info.codecId = track.codecId;
            info.width = track.width;
            info.height = track.height;
          }
        }
      } else {
        switch (id.value) {
          case ID.TimecodeScale:
            timecodeScaleNs = readUint(bytes, dataStart, dataEnd);
            break;
          case ID.Duration:
            if (parent === ID.Info) durationTicks = readFloat(bytes, dataStart, dataEnd);
            break;
          case ID.TrackNumber:
            track.number = readUint(bytes, dataStart, dataEnd);
            break;
          case ID.TrackType:
            track.type = readUint(bytes, dataStart, dataEnd);
            break;
          case ID.CodecID:
            track.codecId = new TextDecoder().decode(bytes.subarray(dataStart, dataEnd));
            break;
          case ID.PixelWidth:
            track.width = readUint(bytes, dataStart, dataEnd);
            break;
          case ID.PixelHeight:
            track.height = readUint(bytes, dataStart, dataEnd);
            break;
          case ID.Timecode:
            if (parent === ID.Cluster) clusterTicks = readUint(bytes, dataStart, dataEnd);
            break;
          case ID.SimpleBlock:
            onBlock(dataStart, dataEnd);
            break;
          case ID.Block:
            // A Block inside a BlockGroup carries no keyframe flag; treat it as a delta frame.
            onBlock(dataStart, dataEnd);
            break;
        }
      }
      pos = dataEnd;
    }
  };

  const head = readVint(bytes, 0, true);
  if (head.value !== ID.EBML) throw new WebmFormatError('not an EBML file');
  walk(0, bytes.length, 0);
  if (videoTrack === undefined) throw new WebmFormatError('no video track');
  if (durationTicks !== undefined) info.durationMs = (durationTicks * timecodeScaleNs) / 1e6;
  return info;
}
