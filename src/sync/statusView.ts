import type { SyncStatus } from './syncAgent.ts';

/** Formatting for the maintenance screen, kept out of the component so it is tested in Node. */

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

/** Local date and time, to the second: an installer compares it with the server's logs. */
export function formatTime(ms: number | undefined): string {
  if (ms === undefined) return 'never';
  const d = new Date(ms);
  const pad = (x: number) => String(x).padStart(2, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** One line summing up the sync state, most urgent first. */
export function syncHeadline(s: SyncStatus): { tone: 'ok' | 'warn' | 'error'; text: string } {
  if (!s.enrolled)
    return { tone: 'error', text: 'Not enrolled: evidence is kept on this kiosk but not sent' };
  if (s.failedItems > 0) return { tone: 'error', text: `${s.failedItems} item(s) refused by the server` };
  if (!s.online) return { tone: 'warn', text: 'Store server unreachable: evidence is kept and retried' };
  if (s.pendingRecords > 0 || s.pendingClips > 0) return { tone: 'warn', text: 'Sending…' };
  return { tone: 'ok', text: 'Everything is on the store server' };
}

export function usageText(usage: number, quota: number): string {
  if (!(quota > 0)) return `${formatBytes(usage)} used (quota unknown)`;
  return `${formatBytes(usage)} of ${formatBytes(quota)} (${Math.round((usage / quota) * 100)} %)`;
}
