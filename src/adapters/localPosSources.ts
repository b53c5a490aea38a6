/** The channel and message tag a same-origin POS uses (docs/pos-protocol.md). */
export const POS_CHANNEL = 'lane-pos';

function unwrap(data: unknown): unknown[] | null {
  if (typeof data !== 'object' || data === null) return null;
  const d = data as { source?: unknown; event?: unknown; events?: unknown };
  if (d.source !== POS_CHANNEL) return null;
  if (Array.isArray(d.events)) return d.events;
  if ('event' in d) return [d.event];
  return null;
}

/**
 * Listens for POS events from a POS that embeds the kiosk (window.postMessage) or runs beside it
 * in the same origin (BroadcastChannel). Only same-origin messages are accepted.
 */
export function attachLocalPosSources(onEvents: (events: unknown[], source: string) => void): () => void {
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(POS_CHANNEL) : null;
  if (channel) {
    channel.onmessage = (ev: MessageEvent) => {
      const events = unwrap(ev.data);
      if (events) onEvents(events, 'broadcast');
    };
  }
  const onMessage = (ev: MessageEvent) => {
    if (ev.origin !== window.location.origin) return;
    const events = unwrap(ev.data);
    if (events) onEvents(events, 'postMessage');
  };
  window.addEventListener('message', onMessage);
  return () => {
    channel?.close();
    window.removeEventListener('message', onMessage);
  };
}
