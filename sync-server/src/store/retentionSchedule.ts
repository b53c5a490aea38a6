/**
 * Runs the retention job now and then every `intervalMs` (default 6 h: often enough for the
 * low-disk rule to act before a disk fills, rare enough to cost nothing). Runs never overlap; a
 * failed run is reported and the next one tries again. The timer does not keep the process alive.
 */
export function startRetentionSchedule<R>(opts: {
  run: () => Promise<R>;
  onReport: (report: R) => void;
  onError: (err: unknown) => void;
  intervalMs?: number;
}): { stop(): void; runNow(): Promise<void> } {
  let running: Promise<void> | null = null;
  const runNow = () => {
    running ??= opts
      .run()
      .then(opts.onReport, opts.onError)
      .finally(() => {
        running = null;
      });
    return running;
  };
  void runNow();
  const timer = setInterval(() => void runNow(), opts.intervalMs ?? 6 * 60 * 60 * 1000);
  timer.unref();
  return { stop: () => clearInterval(timer), runNow };
}
