// Text for a terminal: control characters from a log (an id holding ESC ] 0 ; ... BEL retitles the window,
// ESC [ 31 m turns the rest red, an 8-bit CSI moves the cursor) are shown as escapes, never executed. The CLI
// writes everything it prints through terminal() (src/cli/main.ts) and the progress reporter escapes what it
// is given (src/util/progress.ts), so no message, warning, drop report or summary can pass one through;
// test/architecture/terminal.test.ts keeps other modules from writing to stdout or stderr themselves.

/** C0 controls except line feed (our own line breaks), DEL, and C1 controls. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/g;

/**
 * `text` with every control character but `\n` written out: C0 as `\x1b`, DEL and C1 as `\u007f`, `\u009b`
 * (JSON's spelling, so printed JSON stays valid: JSON.stringify already escapes C0, never DEL or C1).
 *
 * @example
 * escapeControls('p\x1b]0;pwned\x07') // 'p\\x1b]0;pwned\\x07'
 * escapeControls('a\u009b31m\nb')      // 'a\\u009b31m\nb'
 */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export interface Terminal {
  /** Write to stdout, controls escaped. */
  out(text: string): void;
  /** Write to stderr, controls escaped. */
  err(text: string): void;
}

/**
 * The CLI's only way to print: stdout and stderr with control characters escaped.
 *
 * @example
 * const term = terminal();
 * term.err(`recgap: warning: ${w}\n`);
 */
export function terminal(): Terminal {
  return {
    out: (text) => void process.stdout.write(escapeControls(text)),
    err: (text) => void process.stderr.write(escapeControls(text)),
  };
}
