/**
 * A one-line progress bar on stderr. On a terminal it redraws in place at most ten times a second;
 * in a log (CI, a file) it prints a plain line each tenth of the way, so logs stay readable.
 */
export interface ProgressBarOptions {
  label: string;
  stream?: NodeJS.WriteStream;
  width?: number;
}

export class ProgressBar {
  private readonly stream: NodeJS.WriteStream;
  private readonly width: number;
  private readonly started = performance.now();
  private lastDraw = 0;
  private lastTenth = -1;
  private label: string;
  /** The count at the first update: a resumed run's earlier work does not speed up the ETA. */
  private firstDone: number | undefined;

  constructor(options: ProgressBarOptions) {
    this.stream = options.stream ?? process.stderr;
    this.width = options.width ?? 28;
    this.label = options.label;
  }

  relabel(label: string): void {
    this.label = label;
    this.lastTenth = -1;
  }

  update(done: number, total: number, detail = ''): void {
    this.firstDone ??= Math.max(0, done - 1);
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    if (this.stream.isTTY) {
      const now = performance.now();
      if (now - this.lastDraw < 100 && done < total) return;
      this.lastDraw = now;
      this.stream.write(`\r\x1b[2K${this.line(done, total, fraction, detail)}`);
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (tenth === this.lastTenth) return;
    this.lastTenth = tenth;
    this.stream.write(`${this.line(done, total, fraction, detail)}\n`);
  }

  /** Ends the bar's line; a message, if any, goes on its own line. */
  finish(message?: string): void {
    if (this.stream.isTTY) this.stream.write('\n');
    if (message) this.stream.write(`${message}\n`);
  }

  private line(done: number, total: number, fraction: number, detail: string): string {
    const filled = Math.round(fraction * this.width);
    const bar = `${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}`;
    const elapsed = (performance.now() - this.started) / 1000;
    const fresh = done - (this.firstDone ?? 0);
    const eta = fresh > 0 && done < total ? ` eta ${formatSeconds((elapsed * (total - done)) / fresh)}` : '';
    const pct = `${Math.floor(fraction * 100)}`.padStart(3);
    return `${this.label} [${bar}] ${pct}% ${done}/${total}${eta}${detail ? ` | ${detail}` : ''}`;
  }
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
