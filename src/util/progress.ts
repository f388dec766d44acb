// Progress and stage timing, passed in a context (never a module-level singleton). Writes to stderr so
// stdout stays clean for tables and JSON. Stage names, details and lines can hold ids and file names from a
// log: their control characters are escaped (terminal.ts); only the reporter's own redraw codes stay raw.
import { escapeControls } from './terminal.ts';

export interface Reporter {
  /** Start a named stage; returns a function that ends it with an optional one-line result. */
  stage(name: string): StageHandle;
  /** Stage durations so far, ms, in start order. */
  timings(): Record<string, number>;
  /** A line of detail within a stage (training epochs and losses). */
  log(line: string): void;
}

export interface StageHandle {
  tick(done: number, total: number): void;
  end(detail?: string): void;
}

export interface ReporterOptions {
  /** Where lines go; default process.stderr. */
  write?: (text: string) => void;
  /** Redraw a progress line in place (TTY); otherwise print only stage ends. */
  interactive?: boolean;
  quiet?: boolean;
  now?: () => number;
}

/**
 * A reporter that prints `stage ... detail (1.2 s)` lines and, on a terminal, a live percentage.
 *
 * @example
 * const rep = createReporter();
 * const s = rep.stage('generate world'); s.end('1.2M events');
 */
export function createReporter(opts: ReporterOptions = {}): Reporter {
  const write = opts.write ?? ((t: string) => process.stderr.write(t));
  const interactive = opts.interactive ?? Boolean(process.stderr.isTTY);
  const now = opts.now ?? (() => performance.now());
  const times: Record<string, number> = {};
  return {
    stage(name) {
      const t0 = now();
      let lastDraw = 0;
      return {
        tick(done, total) {
          if (opts.quiet || !interactive) return;
          const t = now();
          if (t - lastDraw < 100 && done < total) return;
          lastDraw = t;
          write(`\r${escapeControls(name)} ${total ? Math.floor((100 * done) / total) : 100}%`);
        },
        end(detail) {
          const ms = now() - t0;
          times[name] = (times[name] ?? 0) + ms;
          if (opts.quiet) return;
          write(`${interactive ? '\r\x1b[K' : ''}${escapeControls(`${name}${detail ? `: ${detail}` : ''}`)} (${(ms / 1000).toFixed(1)} s)\n`);
        },
      };
    },
    timings: () => ({ ...times }),
    log(line) {
      if (!opts.quiet) write(`${interactive ? '\r\x1b[K' : ''}  ${escapeControls(line)}\n`);
    },
  };
}

/** A reporter that prints nothing (library use, tests). */
export function silentReporter(): Reporter {
  return createReporter({ quiet: true });
}
