import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RelayClient, RELAY_PROTOCOL } from './relayClient.ts';

/** Records what the client asked the WebSocket constructor for; sockets never connect by themselves. */
class FakeSocket {
  static made: { url: string; protocols?: string[] }[] = [];
  onopen: (() => void) | null = null;
  onclose: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(url: string, protocols?: string[]) {
    FakeSocket.made.push(protocols ? { url, protocols } : { url });
  }
  close(): void {
    this.onclose?.();
  }
}

function client(token: () => Promise<string | null>, online: boolean[]) {
  return new RelayClient({
    url: (since) => `ws://x/api/lanes/L1/stream?since=${since}`,
    lastSeq: () => 7,
    onMessage: () => undefined,
    onConnection: (o) => online.push(o),
    token,
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  FakeSocket.made = [];
});
afterEach(() => vi.useRealTimers());

describe('RelayClient credentials', () => {
  it('sends the device token as a subprotocol beside the relay protocol, never in the URL', async () => {
    const c = client(async () => 'tok123', []);
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeSocket.made).toEqual([
      { url: 'ws://x/api/lanes/L1/stream?since=7', protocols: [RELAY_PROTOCOL, 'bearer.tok123'] },
    ]);
    c.stop();
  });

  it('opens no socket without a token, reports offline, and asks again later', async () => {
    const token = vi.fn(async (): Promise<string | null> => null);
    const online: boolean[] = [];
    const c = client(token, online);
    c.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(FakeSocket.made).toEqual([]);
    expect(online).toEqual([false]);
    token.mockResolvedValue('late');
    await vi.advanceTimersByTimeAsync(1000);
    expect(token).toHaveBeenCalledTimes(2);
    expect(FakeSocket.made.map((m) => m.protocols?.[1])).toEqual(['bearer.late']);
    c.stop();
  });

  it('says offline after a grace period while enrolment is still pending', async () => {
    const online: boolean[] = [];
    const c = client(() => new Promise(() => undefined), online);
    c.start();
    await vi.advanceTimersByTimeAsync(2900);
    expect(online).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(online).toEqual([false]);
    c.stop();
  });
});
