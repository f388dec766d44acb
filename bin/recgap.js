#!/usr/bin/env node
// Entry shim: run the TypeScript CLI through tsx's loader so a fresh clone needs no build step. Anything
// that escapes the CLI's own error handling (a failed import, an error thrown by a native or wasm
// backend) still ends as one line and a non-zero exit, with the stack only under --debug.
import { register } from 'tsx/esm/api';

const debug = process.argv.includes('--debug');
// Control characters (an id's ESC sequence in an error) are shown as escapes, as src/util/terminal.ts does for
// everything else the CLI prints; this handler runs even when the TypeScript modules failed to load.
const escapeControls = (text) =>
  text.replace(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/g, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
const fatal = (err) => {
  process.stderr.write(escapeControls(`recgap: ${String(err?.message ?? err).split('\n')[0]}\n`));
  if (debug && err?.stack) process.stderr.write(escapeControls(`${err.stack}\n`));
  process.exit(1);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

register();
try {
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  fatal(err);
}
