/**
 * Operational alerts for the people on the floor (low disk space from the retention job, for now).
 * Kept in memory: they describe the present state and are raised again by the next retention run.
 */
export interface Alert {
  id: number;
  at: string;
  kind: 'low-disk' | 'retention-failed';
  message: string;
  detail?: Record<string, unknown>;
}

export class AlertBoard {
  private readonly alerts: Alert[] = [];
  private nextId = 1;

  constructor(private readonly keep = 50) {}

  raise(kind: Alert['kind'], message: string, detail?: Record<string, unknown>): Alert {
    // One live alert per kind: a repeat replaces the old one instead of flooding the wall.
    this.clear(kind);
    const alert: Alert = {
      id: this.nextId++,
      at: new Date().toISOString(),
      kind,
      message,
      ...(detail ? { detail } : {}),
    };
    this.alerts.push(alert);
    if (this.alerts.length > this.keep) this.alerts.shift();
    return alert;
  }

  clear(kind: Alert['kind']): void {
    for (let i = this.alerts.length - 1; i >= 0; i--)
      if (this.alerts[i]?.kind === kind) this.alerts.splice(i, 1);
  }

  list(): Alert[] {
    return [...this.alerts];
  }
}
