/**
 * MediaPipe's wasm writes its native (glog / TFLite) log lines to the console, and routes stderr
 * to console.error: "INFO: Created TensorFlow Lite XNNPACK delegate for CPU." arrives as an error
 * on every detector start. The kiosk treats console errors as faults (and the e2e suite fails on
 * them), so informational native lines are re-levelled; real native errors stay errors.
 */
export type LogLevel = 'debug' | 'warn' | 'error';

/** The level a native log line deserves, or null when it is not a native log line. */
export function nativeLogLevel(message: string): LogLevel | null {
  if (/^INFO: /.test(message)) return 'debug';
  if (/^WARNING: /.test(message)) return 'warn';
  // glog prefix: severity letter, MMDD, time, thread, file:line]
  const glog = /^([IWEF])\d{4} \d{2}:\d{2}:\d{2}\.\d+\s+\d+ [\w.]+:\d+\]/.exec(message);
  if (!glog) return null;
  return glog[1] === 'I' ? 'debug' : glog[1] === 'W' ? 'warn' : 'error';
}

export interface ConsoleLike {
  debug(...args: unknown[]): void;
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export function installNativeLogFilter(target: ConsoleLike): void {
  const original = { log: target.log.bind(target), error: target.error.bind(target) };
  const route =
    (fallback: (...a: unknown[]) => void) =>
    (...args: unknown[]) => {
      const level = typeof args[0] === 'string' ? nativeLogLevel(args[0]) : null;
      if (level === 'debug') target.debug(...args);
      else if (level === 'warn') target.warn(...args);
      else if (level === 'error') original.error(...args);
      else fallback(...args);
    };
  target.log = route(original.log);
  target.error = route(original.error);
}
