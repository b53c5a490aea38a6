import 'webrtc-adapter';

export type CameraStatus =
  | { kind: 'starting' }
  | { kind: 'live'; deviceId: string; label: string; width: number; height: number }
  | { kind: 'denied'; message: string }
  | { kind: 'absent'; message: string }
  | { kind: 'lost'; message: string }
  | { kind: 'error'; message: string };

export interface CameraDevice {
  deviceId: string;
  label: string;
}

export interface CameraOptions {
  mediaDevices: MediaDevices;
  onStream: (stream: MediaStream | null) => void;
  onStatus: (status: CameraStatus) => void;
  preferredDeviceId?: string;
  retryMs?: number;
}

/**
 * Owns the lane camera. A camera that is unplugged ends its track; we then wait for it (or any
 * camera) to come back, both on `devicechange` and on a slow timer because not every platform
 * fires the event. Denied permission is final until the page reloads: the policy must allow it.
 */
export class LaneCamera {
  private stream: MediaStream | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private starting = false;
  private preferred: string | undefined;

  constructor(private readonly opts: CameraOptions) {
    this.preferred = opts.preferredDeviceId;
    opts.mediaDevices.addEventListener?.('devicechange', this.onDeviceChange);
  }

  async start(): Promise<void> {
    if (this.starting || this.stopped) return;
    this.starting = true;
    this.opts.onStatus({ kind: 'starting' });
    try {
      const video: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 } };
      if (this.preferred) video.deviceId = { ideal: this.preferred };
      const stream = await this.opts.mediaDevices.getUserMedia({ video, audio: false });
      const track = stream.getVideoTracks()[0];
      if (!track) throw Object.assign(new Error('no video track'), { name: 'NotFoundError' });
      track.addEventListener('ended', () => this.onTrackEnded(track));
      this.stream = stream;
      const s = track.getSettings();
      this.opts.onStream(stream);
      this.opts.onStatus({
        kind: 'live',
        deviceId: s.deviceId ?? '',
        label: track.label,
        width: s.width ?? 0,
        height: s.height ?? 0,
      });
    } catch (err) {
      this.handleError(err as Error);
    } finally {
      this.starting = false;
    }
  }

  async listDevices(): Promise<CameraDevice[]> {
    const all = await this.opts.mediaDevices.enumerateDevices();
    return all
      .filter((d) => d.kind === 'videoinput')
      .map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
  }

  async choose(deviceId: string): Promise<void> {
    this.preferred = deviceId;
    this.release();
    await this.start();
  }

  stop(): void {
    this.stopped = true;
    this.opts.mediaDevices.removeEventListener?.('devicechange', this.onDeviceChange);
    this.release();
  }

  private release(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    for (const t of this.stream?.getTracks() ?? []) t.stop();
    this.stream = null;
    this.opts.onStream(null);
  }

  private onTrackEnded(track: MediaStreamTrack): void {
    if (this.stream?.getVideoTracks()[0] !== track) return;
    this.stream = null;
    this.opts.onStream(null);
    this.opts.onStatus({ kind: 'lost', message: 'The camera was disconnected. Reconnecting…' });
    this.scheduleRetry();
  }

  private handleError(err: Error): void {
    const name = err.name;
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      this.opts.onStatus({ kind: 'denied', message: 'Camera permission is denied for this page.' });
      return;
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') {
      this.opts.onStatus({ kind: 'absent', message: 'No camera is connected. Waiting for one…' });
    } else {
      this.opts.onStatus({ kind: 'error', message: `Camera error: ${err.message || name}` });
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.stopped || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.start();
    }, this.opts.retryMs ?? 3000);
  }

  private readonly onDeviceChange = () => {
    if (!this.stream && !this.starting && !this.stopped) {
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      void this.start();
    }
  };
}
