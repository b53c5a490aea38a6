import { describe, expect, it } from 'vitest';
import { formatBytes, formatTime, syncHeadline, usageText } from './statusView.ts';
import type { SyncStatus } from './syncAgent.ts';

const base: SyncStatus = {
  pendingRecords: 0,
  pendingClips: 0,
  pendingBytes: 0,
  failedItems: 0,
  online: true,
  enrolled: true,
};

describe('maintenance status text', () => {
  it('formats byte counts in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
    expect(formatBytes(-1)).toBe('—');
  });

  it('formats times to the second and says never for no time', () => {
    expect(formatTime(undefined)).toBe('never');
    expect(formatTime(new Date(2026, 2, 2, 9, 5, 7).getTime())).toBe('2026-03-02 09:05:07');
  });

  it('puts the most urgent problem in the headline', () => {
    expect(syncHeadline({ ...base, enrolled: false, failedItems: 3 }).tone).toBe('error');
    expect(syncHeadline({ ...base, enrolled: false }).text).toMatch(/Not enrolled/);
    expect(syncHeadline({ ...base, failedItems: 2, online: false }).text).toMatch(/2 item\(s\) refused/);
    expect(syncHeadline({ ...base, online: false, pendingRecords: 4 }).tone).toBe('warn');
    expect(syncHeadline({ ...base, pendingClips: 1 }).text).toBe('Sending…');
    expect(syncHeadline(base)).toEqual({ tone: 'ok', text: 'Everything is on the store server' });
  });

  it('shows usage against quota, and copes with an unknown quota', () => {
    expect(usageText(512 * 1024 * 1024, 2 * 1024 * 1024 * 1024)).toBe('512 MB of 2.0 GB (25 %)');
    expect(usageText(1024, 0)).toBe('1.0 KB used (quota unknown)');
  });
});
