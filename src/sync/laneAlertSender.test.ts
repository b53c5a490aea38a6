import { describe, expect, it, vi } from 'vitest';
import { LaneAlertSender } from './laneAlertSender.ts';

function setup(answers: (number | Error)[], token: string | null = 'tok') {
  const sent: { url: string; auth: string | undefined; body: unknown }[] = [];
  const timers: (() => void)[] = [];
  const fetch = vi.fn(async (url: string, init?: RequestInit) => {
    const next = answers.shift() ?? 201;
    if (next instanceof Error) throw next;
    // Only what the server accepted counts as sent.
    if (next < 300)
      sent.push({
        url,
        auth: (init?.headers as Record<string, string>).authorization,
        body: JSON.parse(String(init?.body)),
      });
    return new Response(null, { status: next });
  });
  const sender = new LaneAlertSender({
    baseUrl: 'http://store',
    lane: 'L 1',
    fetch,
    token: async () => token,
    setTimer: (fn) => timers.push(fn),
  });
  return { sender, sent, timers, fetch };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('LaneAlertSender', () => {
  it("posts the alert to the lane's alerts endpoint with the device token", async () => {
    const { sender, sent } = setup([201]);
    sender.raise('kiosk-storage', 'storage full: 1 unsynced clip deleted');
    await flush();
    expect(sent).toEqual([
      {
        url: 'http://store/api/lanes/L%201/alerts',
        auth: 'Bearer tok',
        body: { kind: 'kiosk-storage', message: 'storage full: 1 unsynced clip deleted' },
      },
    ]);
    expect(sender.pending).toBe(0);
  });

  it('keeps alerts while the server is down or the kiosk is not enrolled, and sends them later', async () => {
    const { sender, sent, timers } = setup([new Error('offline'), 503, 201, 201]);
    sender.raise('kiosk-storage', 'a');
    sender.raise('kiosk-storage', 'b');
    await flush();
    expect(sender.pending).toBe(2);
    timers.shift()!();
    await flush();
    expect(sender.pending).toBe(2);
    timers.shift()!();
    await flush();
    expect(sent.map((s) => (s.body as { message: string }).message)).toEqual(['a', 'b']);
    expect(sender.pending).toBe(0);

    const unenrolled = setup([], null);
    unenrolled.sender.raise('kiosk-storage', 'c');
    await flush();
    expect(unenrolled.fetch).not.toHaveBeenCalled();
    expect(unenrolled.sender.pending).toBe(1);
    expect(unenrolled.timers).toHaveLength(1);
  });
});
