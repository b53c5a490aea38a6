/**
 * Listens for a keyboard-wedge barcode scanner on the page. Key presses go to a WedgeDetector
 * (see src/core/scan/wedgeDetector.ts), which decides by rhythm whether they were a scan.
 *
 * The listener runs in the capture phase so it sees every key before the focused element does.
 * It cannot know a burst is a scan until it ends, so the scanned characters do reach a focused
 * text field. When the scan completes, the adapter:
 *   - cancels the terminator (Enter/Tab) so it neither submits a form nor moves focus, and stops
 *     it from reaching key handlers registered after this one (a prompt's "Enter = confirm" must
 *     not fire because a scan ended);
 *   - puts the field back as it was before the burst (value and caret) and fires an `input`
 *     event, so frameworks holding the field's value in state see the restored text.
 *
 * Limitations: only <input> and <textarea> are restored, not contenteditable; a field is only
 * restored when its value is exactly the old value with the code inserted at the old caret, so
 * fields that filter or cap input (maxlength, type=number rejecting letters) may keep partial
 * digits; a listener on the field that reacted to each typed character has already run.
 */
import type { WedgeDetectorOptions } from '../core/scan/wedgeDetector.ts';
import { WedgeDetector } from '../core/scan/wedgeDetector.ts';

export type WedgeScannerOptions = Partial<WedgeDetectorOptions>;

/** The parts of KeyboardEvent the adapter reads, so tests can send plain events. */
type KeyEventLike = Event & {
  key?: unknown;
  repeat?: boolean;
  isComposing?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
};

type TextField = EventTarget & {
  value: string;
  selectionStart: number | null;
  selectionEnd: number | null;
  setSelectionRange?: (start: number, end: number) => void;
};

type FieldSnapshot = { field: TextField; value: string; start: number | null; end: number | null };

function asTextField(target: EventTarget | null): TextField | undefined {
  if (target === null) return undefined;
  const t = target as Partial<TextField> & { tagName?: unknown };
  if (t.tagName !== 'INPUT' && t.tagName !== 'TEXTAREA') return undefined;
  return typeof t.value === 'string' ? (target as TextField) : undefined;
}

function snapshotOf(target: EventTarget | null): FieldSnapshot | undefined {
  const field = asTextField(target);
  if (field === undefined) return undefined;
  return { field, value: field.value, start: field.selectionStart, end: field.selectionEnd };
}

/** Undoes the scanned characters if the field holds exactly what typing them would have left. */
function restore(snapshot: FieldSnapshot, code: string): void {
  const { field, value, start, end } = snapshot;
  // Fields without a caret (type=number, email) append what is typed.
  const from = start ?? value.length;
  const to = end ?? value.length;
  if (field.value !== value.slice(0, from) + code + value.slice(to)) return;
  field.value = value;
  if (start !== null && end !== null) field.setSelectionRange?.(start, end);
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Starts listening on `target` (normally `window`). Calls `onScan` with each scanned code, without
 * the terminator. Returns a function that stops listening.
 */
export function attachWedgeScanner(
  target: EventTarget,
  onScan: (code: string) => void,
  opts: WedgeScannerOptions = {},
): () => void {
  const detector = new WedgeDetector(opts);
  const { terminators, endTimeoutMs } = detector.options;
  let snapshot: FieldSnapshot | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastKeyAt = 0;

  const complete = (code: string): void => {
    const done = snapshot;
    snapshot = undefined;
    if (done) restore(done, code);
    onScan(code);
  };

  const onSilence = (): void => {
    timer = undefined;
    // The timer has measured the silence, so the detector need not share the events' clock.
    const result = detector.flush(lastKeyAt + endTimeoutMs);
    if (result?.kind === 'scan') complete(result.code);
    else if (result) snapshot = undefined;
  };

  const onKeyDown = (event: Event): void => {
    const e = event as KeyEventLike;
    const key = e.key;
    if (typeof key !== 'string' || e.isComposing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.repeat) {
      // Scanners never auto-repeat; a held key must not build up a fast "scan".
      detector.cancel();
      snapshot = undefined;
      return;
    }
    const isTerminator = terminators.includes(key);
    if (!isTerminator && [...key].length !== 1) return;

    const wasIdle = detector.pending === '';
    const result = detector.key(key, e.timeStamp);
    lastKeyAt = e.timeStamp;
    if (result?.kind === 'scan') {
      if (isTerminator) {
        e.preventDefault();
        e.stopImmediatePropagation();
      }
      complete(result.code);
    } else if (result) {
      snapshot = undefined;
    }
    // A new burst began with this key: remember the field before its character lands.
    if (!isTerminator && (wasIdle || result !== null)) snapshot = snapshotOf(e.target);

    if (timer !== undefined) clearTimeout(timer);
    timer = detector.pending === '' ? undefined : setTimeout(onSilence, endTimeoutMs);
  };

  target.addEventListener('keydown', onKeyDown, { capture: true });
  return () => {
    target.removeEventListener('keydown', onKeyDown, { capture: true });
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    detector.cancel();
    snapshot = undefined;
  };
}
