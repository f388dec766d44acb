// After tsc: copy the plain JavaScript modules of src/ (a model's watchdog process, the tsx boot of worker
// threads) into dist/ beside the compiled files that start them; tsc emits only what it compiles.
import { cpSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
for (const file of walk('src').filter((f) => f.endsWith('.mjs'))) cpSync(file, join('dist', relative('src', file)));
