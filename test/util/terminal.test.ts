// Issue 17 item 8 (terminal part): control characters from a log are shown as escapes, never executed. The
// escaping itself, and the progress reporter, which adds its own redraw codes around escaped text.
import { describe, expect, it } from 'vitest';
import { createReporter } from '../../src/util/progress.ts';
import { escapeControls } from '../../src/util/terminal.ts';

/** Any C0 control but line feed, DEL, or C1 control: what must never reach a terminal from a log. */
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

describe('escapeControls', () => {
  it.each([
    ['an OSC title sequence', 'p\x1b]0;pwned\x07', 'p\\x1b]0;pwned\\x07'],
    ['an SGR colour', 'item\x1b[31m red', 'item\\x1b[31m red'],
    ['an 8-bit CSI (C1)', 'a\u009b2J', 'a\\u009b2J'],
    ['DEL', 'a\x7fb', 'a\\u007fb'],
    ['NUL, tab and carriage return', '\x00\t\r', '\\x00\\x09\\x0d'],
    ['line feeds are our own line breaks', 'one\ntwo\n', 'one\ntwo\n'],
    ['text without controls, non-ASCII included', 'café ✓ 2024-01-01', 'café ✓ 2024-01-01'],
  ])('%s', (_label, text, escaped) => {
    expect(escapeControls(text)).toBe(escaped);
    expect(escapeControls(text)).not.toMatch(RAW_CONTROL);
  });

  it('escaped JSON stays valid JSON with the same value', () => {
    const value = { id: 'x\x1b]0;pwned\x07\u009b\x7f' };
    expect(JSON.parse(escapeControls(JSON.stringify(value)))).toEqual(value);
  });
});

describe('the progress reporter escapes names, details and lines, and keeps its own redraw codes', () => {
  const capture = (interactive: boolean) => {
    let text = '';
    const rep = createReporter({ write: (t) => void (text += t), interactive, now: () => 0 });
    const s = rep.stage('read \x1b]0;pwned\x07log');
    s.tick(2, 2);
    s.end('1 dropped for unknown event type "\u009b31m"');
    rep.log('model \x1b[31mknn: epoch 1');
    return text;
  };

  it("on a terminal: \\r and ESC [ K are the reporter's, everything else escaped", () => {
    expect(capture(true)).toBe(
      '\rread \\x1b]0;pwned\\x07log 100%' +
        '\r\x1b[Kread \\x1b]0;pwned\\x07log: 1 dropped for unknown event type "\\u009b31m" (0.0 s)\n' +
        '\r\x1b[K  model \\x1b[31mknn: epoch 1\n',
    );
  });

  it('to a file or pipe: no control character at all', () => {
    const text = capture(false);
    expect(text).toBe('read \\x1b]0;pwned\\x07log: 1 dropped for unknown event type "\\u009b31m" (0.0 s)\n  model \\x1b[31mknn: epoch 1\n');
    expect(text).not.toMatch(RAW_CONTROL);
  });
});
