// A `command` model that returns a fixed vector (item i scores (i * 7) % 11), for bench/commandModel.ts: the
// protocol's own cost, with as little model work as Node allows. It reads each request's id and "more" without
// parsing the rest of the line.
//   node fixed.mjs [--f32]
import { createInterface } from 'node:readline';

const f32 = process.argv.includes('--f32');
const chunks = [];
let json = '';
let frame = null;
const lines = createInterface({ input: process.stdin });
let ready = false;
lines.on('line', (line) => {
  if (!ready) {
    const n = JSON.parse(line).items.length;
    const scores = Array.from({ length: n }, (_, i) => (i * 7) % 11);
    json = JSON.stringify(scores);
    frame = Buffer.from(Float32Array.from(scores).buffer);
    ready = true;
    return process.stdout.write(`${JSON.stringify({ ready: true, scores: f32 ? 'f32' : 'json' })}\n`);
  }
  const id = line.slice(6, line.indexOf(',', 6));
  const more = line.startsWith(',"more":0,', 6 + id.length);
  if (f32) chunks.push(Buffer.from(`{"id":${id},"bytes":${frame.length}}\n`), frame);
  else chunks.push(Buffer.from(`{"id":${id},"scores":${json}}\n`));
  // One write per batch: the last request of a batch says "more":0.
  if (more) {
    process.stdout.write(Buffer.concat(chunks));
    chunks.length = 0;
  }
});
lines.on('close', () => process.exit(0));
