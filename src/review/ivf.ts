/**
 * A minimal IVF reader: the container the evaluation stores a clip in for WebCodecs decoding
 * (ffmpeg -c:v libvpx -f ivf). 32-byte file header, then per frame a 12-byte header (size, 64-bit
 * pts in timebase units) and the frame. Keyframes are read from the VP8 frame tag itself.
 */
export interface EncodedVideoFrameData {
  data: Uint8Array;
  timestampUs: number;
  key: boolean;
}

export interface IvfClip {
  codec: 'vp8' | 'vp9';
  width: number;
  height: number;
  frames: EncodedVideoFrameData[];
}

export class IvfFormatError extends Error {}

export function parseIvf(bytes: Uint8Array): IvfClip {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 32)
    throw new IvfFormatError(`IVF: ${bytes.byteLength} bytes, shorter than its header`);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== 'DKIF') throw new IvfFormatError(`IVF: signature is "${magic}", not "DKIF"`);
  const headerLen = view.getUint16(6, true);
  const fourcc = String.fromCharCode(...bytes.subarray(8, 12));
  const codec = fourcc === 'VP80' ? 'vp8' : fourcc === 'VP90' ? 'vp9' : null;
  if (!codec) throw new IvfFormatError(`IVF: codec ${fourcc} is not supported (VP80, VP90)`);
  const width = view.getUint16(12, true);
  const height = view.getUint16(14, true);
  const rate = view.getUint32(16, true);
  const scale = view.getUint32(20, true);
  if (!rate || !scale) throw new IvfFormatError('IVF: zero timebase');
  const frames: EncodedVideoFrameData[] = [];
  let at = headerLen;
  while (at < bytes.byteLength) {
    if (at + 12 > bytes.byteLength) throw new IvfFormatError(`IVF: frame header cut at byte ${at}`);
    const size = view.getUint32(at, true);
    const pts = view.getUint32(at + 4, true) + view.getUint32(at + 8, true) * 2 ** 32;
    const start = at + 12;
    if (start + size > bytes.byteLength) throw new IvfFormatError(`IVF: frame ${frames.length} cut short`);
    const data = bytes.subarray(start, start + size);
    frames.push({ data, timestampUs: Math.round((pts * scale * 1e6) / rate), key: isKeyframe(codec, data) });
    at = start + size;
  }
  return { codec, width, height, frames };
}

function isKeyframe(codec: 'vp8' | 'vp9', data: Uint8Array): boolean {
  if (data.byteLength === 0) return false;
  // VP8: bit 0 of the frame tag is 0 for a keyframe. VP9: frame_type bit after marker/profile bits.
  if (codec === 'vp8') return (data[0]! & 1) === 0;
  const b = data[0]!;
  const profile = ((b >> 5) & 1) | (((b >> 4) & 1) << 1);
  const shift = profile === 3 ? 1 : 0;
  const showExisting = (b >> (3 - shift)) & 1;
  if (showExisting) return false;
  return ((b >> (2 - shift)) & 1) === 0;
}
