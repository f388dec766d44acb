#!/usr/bin/env node
// Entry shim: run the TypeScript CLI through tsx's loader so a fresh clone needs no build step. Anything
// that escapes the CLI's own error handling (a failed import, an error thrown by a native or wasm
// backend) still ends as one line and a non-zero exit, with the stack only under --debug.
import { register } from 'tsx/esm/api';

const debug = process.argv.includes('--debug');
const fatal = (err) => {
  process.stderr.write(`recgap: ${String(err?.message ?? err).split('\n')[0]}\n`);
  if (debug && err?.stack) process.stderr.write(`${err.stack}\n`);
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
