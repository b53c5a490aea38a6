import { readWebm } from '../webmReader.ts';

export interface DecodedFrame {
  /** From the start of the clip (ms). */
  timestampMs: number;
  image: ImageData;
}

/** Decodes a stored clip with WebCodecs, the way a reviewer's player would see it. */
export async function decodeClip(bytes: Uint8Array): Promise<DecodedFrame[]> {
  const info = readWebm(bytes);
  const codec = info.codecId === 'V_VP8' ? 'vp8' : 'vp09.00.10.08';
  const canvas = new OffscreenCanvas(info.width, info.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('no 2D context');
  const out: DecodedFrame[] = [];
  let failure: Error | null = null;
  const decoder = new VideoDecoder({
    output: (frame) => {
      ctx.drawImage(frame, 0, 0, info.width, info.height);
      out.push({
        timestampMs: frame.timestamp / 1000,
        image: ctx.getImageData(0, 0, info.width, info.height),
      });
      frame.close();
    },
    error: (e) => {
      failure = e;
    },
  });
  decoder.configure({ codec, codedWidth: info.width, codedHeight: info.height });
  for (const f of info.frames) {
    const type = f.key ? 'key' : 'delta';
    decoder.decode(
      new EncodedVideoChunk({ type, timestamp: Math.round(f.timestampMs * 1000), data: f.data }),
    );
  }
  await decoder.flush();
  decoder.close();
  if (failure) throw failure;
  return out;
}
