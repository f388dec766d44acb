#!/usr/bin/env node
// Entry shim. The installed package runs the compiled CLI (dist/, built by `npm run build`, which `npm pack`
// runs first); a git checkout, which has src/ and tsx (a development dependency), runs the TypeScript
// sources through tsx's loader instead, so a fresh clone needs no build step and never runs a dist/ older
// than its sources. Anything that escapes the CLI's own error handling (a failed import, an error thrown by a
// native or wasm backend) still ends as one line and a non-zero exit, with the stack only under --debug.
import { existsSync } from 'node:fs';

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
  // Exit after one turn of the event loop, so a Ctrl-C queued meanwhile still ends the process by its signal.
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 5);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

/** The CLI module to load: the sources when tsx can load them, else the compiled package. */
async function entry() {
  const source = new URL('../src/cli/main.ts', import.meta.url);
  if (existsSync(source)) {
    const tsx = await import('tsx/esm/api').catch(() => null);
    if (tsx) {
      tsx.register();
      return source.href;
    }
  }
  const compiled = new URL('../dist/cli/main.js', import.meta.url);
  if (!existsSync(compiled)) throw new Error('no compiled CLI in dist/ and no tsx to run the sources: run npm install (or npm run build)');
  return compiled.href;
}

try {
  const { main } = await import(await entry());
  process.exitCode = await main(process.argv.slice(2));
  // One turn of the event loop before exiting: a Ctrl-C that arrived while the main thread was blocked (an
  // external model's answer awaited) is dispatched now, and its handler ends the process by that signal
  // instead of the command's own exit code.
  await new Promise((resolve) => setTimeout(resolve, 5));
} catch (err) {
  fatal(err);
}
