import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attachWedgeScanner } from './wedgeKeyboard.ts';

/** Just enough of an <input> for the adapter: value, caret, and the events it fires. */
class FakeInput extends EventTarget {
  readonly tagName: string = 'INPUT';
  value = '';
  selectionStart: number | null = 0;
  selectionEnd: number | null = 0;
  inputEvents = 0;

  constructor(value = '', caret: number | null = value.length) {
    super();
    this.value = value;
    this.selectionStart = caret;
    this.selectionEnd = caret;
    this.addEventListener('input', () => this.inputEvents++);
  }

  setSelectionRange(start: number, end: number): void {
    this.selectionStart = start;
    this.selectionEnd = end;
  }

  /** What the browser does after keydown when nobody cancelled it. */
  typeChar(ch: string): void {
    const start = this.selectionStart ?? this.value.length;
    const end = this.selectionEnd ?? this.value.length;
    this.value = this.value.slice(0, start) + ch + this.value.slice(end);
    if (this.selectionStart !== null) this.setSelectionRange(start + 1, start + 1);
  }
}

/** An input with maxlength: characters past the cap are dropped. */
class CappedInput extends FakeInput {
  constructor(
    value: string,
    private readonly maxLength: number,
  ) {
    super(value);
  }

  override typeChar(ch: string): void {
    if (this.value.length < this.maxLength) super.typeChar(ch);
  }
}

type KeyInit = { repeat?: boolean; ctrlKey?: boolean };

/** Dispatches a keydown shaped like a KeyboardEvent; applies the default action to a FakeInput. */
function press(target: EventTarget, key: string, at: number, init: KeyInit = {}): Event {
  const event = Object.assign(new Event('keydown', { cancelable: true }), { key, ...init });
  Object.defineProperty(event, 'timeStamp', { value: at });
  target.dispatchEvent(event);
  if (!event.defaultPrevented && target instanceof FakeInput && [...key].length === 1) target.typeChar(key);
  return event;
}

/** Presses each key `gap` ms apart from `from`; returns the last event (the terminator, if any). */
function typeKeys(
  target: EventTarget,
  keys: readonly string[],
  from: number,
  gap: number,
): Event | undefined {
  let last: Event | undefined;
  keys.forEach((key, i) => {
    last = press(target, key, from + i * gap);
  });
  return last;
}

const EAN = '6901234567892';
const keysOf = (text: string, terminator?: string): string[] => [
  ...text,
  ...(terminator ? [terminator] : []),
];

describe('attachWedgeScanner', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports a fast burst ending in Enter and cancels the Enter', () => {
    const win = new EventTarget();
    const onScan = vi.fn();
    attachWedgeScanner(win, onScan);
    const enter = typeKeys(win, keysOf(EAN, 'Enter'), 1000, 10);
    expect(onScan).toHaveBeenCalledExactlyOnceWith(EAN);
    expect(enter?.defaultPrevented).toBe(true);
  });

  it('keeps the Enter from reaching later listeners on the same target', () => {
    const win = new EventTarget();
    const later = vi.fn();
    attachWedgeScanner(win, () => {});
    win.addEventListener('keydown', (e) => later((e as Event & { key: string }).key));
    typeKeys(win, keysOf(EAN, 'Enter'), 0, 10);
    expect(later).toHaveBeenCalledTimes(EAN.length);
    expect(later).not.toHaveBeenCalledWith('Enter');
  });

  it('ignores slow typing and leaves its Enter alone', () => {
    const win = new EventTarget();
    const onScan = vi.fn();
    attachWedgeScanner(win, onScan);
    const enter = typeKeys(win, keysOf(EAN, 'Enter'), 0, 150);
    vi.advanceTimersByTime(1000);
    expect(onScan).not.toHaveBeenCalled();
    expect(enter?.defaultPrevented).toBe(false);
  });

  it('reports a scan without suffix once the line has been quiet for 100 ms', () => {
    const win = new EventTarget();
    const onScan = vi.fn();
    attachWedgeScanner(win, onScan);
    typeKeys(win, keysOf(EAN), 0, 10);
    vi.advanceTimersByTime(99);
    expect(onScan).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onScan).toHaveBeenCalledExactlyOnceWith(EAN);
  });

  it('takes the scanned digits back out of a focused input, keeping what was there', () => {
    const input = new FakeInput('note: ');
    const onScan = vi.fn();
    attachWedgeScanner(input, onScan);
    typeKeys(input, keysOf(EAN, 'Enter'), 0, 8);
    expect(onScan).toHaveBeenCalledExactlyOnceWith(EAN);
    expect(input.value).toBe('note: ');
    expect([input.selectionStart, input.selectionEnd]).toEqual([6, 6]);
    expect(input.inputEvents).toBe(1);
  });

  it('restores the caret position when the scan landed mid-text', () => {
    const input = new FakeInput('abcd', 2);
    attachWedgeScanner(input, () => {});
    typeKeys(input, keysOf(EAN, 'Tab'), 0, 8);
    expect(input.value).toBe('abcd');
    expect([input.selectionStart, input.selectionEnd]).toEqual([2, 2]);
  });

  it('cleans up a field without a caret (type=number) after a scan without suffix', () => {
    const input = new FakeInput('750', null);
    const onScan = vi.fn();
    attachWedgeScanner(input, onScan);
    typeKeys(input, keysOf(EAN), 0, 8);
    expect(input.value).toBe(`750${EAN}`);
    vi.advanceTimersByTime(100);
    expect(onScan).toHaveBeenCalledExactlyOnceWith(EAN);
    expect(input.value).toBe('750');
  });

  it('keeps what a person typed before the scan', () => {
    const input = new FakeInput();
    const onScan = vi.fn();
    attachWedgeScanner(input, onScan);
    typeKeys(input, keysOf('qty'), 0, 200);
    typeKeys(input, keysOf(EAN, 'Enter'), 700, 10);
    expect(onScan).toHaveBeenCalledExactlyOnceWith(EAN);
    expect(input.value).toBe('qty');
  });

  it('does not touch a field that filtered what was typed', () => {
    const input = new CappedInput('12', 5);
    attachWedgeScanner(input, () => {});
    typeKeys(input, keysOf(EAN), 0, 10);
    vi.advanceTimersByTime(100);
    expect(input.value).toBe(`12${EAN.slice(0, 3)}`);
    expect(input.inputEvents).toBe(0);
  });

  it('never reports a held key that auto-repeats', () => {
    const win = new EventTarget();
    const onScan = vi.fn();
    attachWedgeScanner(win, onScan);
    press(win, '1', 0);
    for (let i = 1; i <= 20; i++) press(win, '1', 500 + i * 33, { repeat: true });
    press(win, 'Enter', 1200);
    vi.advanceTimersByTime(1000);
    expect(onScan).not.toHaveBeenCalled();
  });

  it('ignores shortcuts and keys without a character', () => {
    const win = new EventTarget();
    const onScan = vi.fn();
    attachWedgeScanner(win, onScan);
    [...'123456'].forEach((k, i) => press(win, k, i * 5, { ctrlKey: true }));
    press(win, 'Enter', 40);
    win.dispatchEvent(new Event('keydown'));
    vi.advanceTimersByTime(1000);
    expect(onScan).not.toHaveBeenCalled();
  });

  it('stops listening and drops a pending scan when detached', () => {
    const win = new EventTarget();
    const onScan = vi.fn();
    const detach = attachWedgeScanner(win, onScan);
    typeKeys(win, keysOf(EAN), 0, 10);
    detach();
    vi.advanceTimersByTime(1000);
    const enter = typeKeys(win, keysOf(EAN, 'Enter'), 2000, 10);
    expect(onScan).not.toHaveBeenCalled();
    expect(enter?.defaultPrevented).toBe(false);
  });

  it('passes detector options through', () => {
    const win = new EventTarget();
    const onScan = vi.fn();
    attachWedgeScanner(win, onScan, { terminators: ['#'], minLength: 4 });
    typeKeys(win, keysOf('1234', '#'), 0, 10);
    expect(onScan).toHaveBeenCalledExactlyOnceWith('1234');
  });
});
