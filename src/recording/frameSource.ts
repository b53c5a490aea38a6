/**
 * Thin browser adapter: how camera frames leave the page for the worker. Preferred: a
 * MediaStreamTrackProcessor's readable stream transferred to the worker once (frames then flow
 * without the page's involvement per frame). Chromium has the processor on the window only, and
 * cannot transfer a track to a worker, so that is the route there. Fallback for browsers without
 * it: a hidden <video> and one transferred VideoFrame per displayed frame, dropped while the
 * previous one is still in flight.
 */
interface TrackProcessor {
  readable: ReadableStream<VideoFrame>;
}
type TrackProcessorCtor = new (init: { track: MediaStreamTrack; maxBufferSize?: number }) => TrackProcessor;

function processorCtor(): TrackProcessorCtor | undefined {
  return (globalThis as { MediaStreamTrackProcessor?: TrackProcessorCtor }).MediaStreamTrackProcessor;
}

export function canTransferTrackStream(): boolean {
  return processorCtor() !== undefined;
}

/** A readable of the track's frames, to be transferred; the processor buffers one frame at most. */
export function trackFrameStream(track: MediaStreamTrack): ReadableStream<VideoFrame> {
  const Ctor = processorCtor();
  if (!Ctor) throw new Error('MediaStreamTrackProcessor is not available');
  return new Ctor({ track, maxBufferSize: 1 }).readable;
}

export interface FrameFeed {
  stop(): void;
}

/**
 * Pushes the track's frames one at a time. `push` must take ownership of the frame (transfer it);
 * a frame shown while the previous push is pending is skipped, and so is one sooner than
 * `minIntervalMs` after the last push.
 */
export function startFrameFeed(
  track: MediaStreamTrack,
  push: (frame: VideoFrame) => Promise<unknown>,
  minIntervalMs: number,
): FrameFeed {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  let stopped = false;
  let inFlight = false;
  let lastPush = -Infinity;
  let handle = 0;
  const onFrame = () => {
    if (stopped) return;
    const now = performance.now();
    if (!inFlight && now - lastPush >= minIntervalMs && video.videoWidth > 0) {
      inFlight = true;
      lastPush = now;
      const frame = new VideoFrame(video, { timestamp: Math.round(now * 1000) });
      push(frame)
        .catch(() => frame.close())
        .finally(() => {
          inFlight = false;
        });
    }
    handle = video.requestVideoFrameCallback(onFrame);
  };
  handle = video.requestVideoFrameCallback(onFrame);
  void video.play().catch(() => undefined);
  return {
    stop() {
      stopped = true;
      video.cancelVideoFrameCallback(handle);
      video.pause();
      video.srcObject = null;
    },
  };
}
