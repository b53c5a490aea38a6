import { describe, expect, it } from 'vitest';
import { LatestSlot } from './latestSlot.ts';

describe('LatestSlot', () => {
  it('keeps only the newest item and releases the one it replaces', () => {
    const released: number[] = [];
    const slot = new LatestSlot<number>((n) => released.push(n));
    expect(slot.put(1)).toBe(false);
    expect(slot.put(2)).toBe(true);
    expect(slot.put(3)).toBe(true);
    expect(released).toEqual([1, 2]);
    expect(slot.take()).toBe(3);
    expect(slot.take()).toBeUndefined();
    expect(slot.waiting).toBe(false);
  });

  it('releases a waiting item on clear', () => {
    const released: number[] = [];
    const slot = new LatestSlot<number>((n) => released.push(n));
    slot.put(7);
    slot.clear();
    slot.clear();
    expect(released).toEqual([7]);
  });
});
