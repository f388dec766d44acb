// A `command` model for tests that behaves well or in one chosen way badly:
//   node misbehave.mjs MODE PIDFILE
// It writes its process id to PIDFILE first (so a test can check that recgap left no process behind), then
// speaks the protocol: a fixed vector of scores, item i scoring (i * 7) % 11, until MODE makes it misbehave.
// It records the handshake in PIDFILE.hello; `echo` scores each item by how often the request lists it and
// records every request line (PIDFILE.requests). `hang` and `stubborn` write PIDFILE.waiting when request 2 arrives
// (never answered). `stubborn` modes ignore SIGTERM and the end of their input.
import { appendFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const [mode, pidFile] = process.argv.slice(2);
writeFileSync(pidFile, String(process.pid));
const stubborn = mode.startsWith('stubborn');
if (stubborn) {
  process.on('SIGTERM', () => process.stderr.write('ignoring SIGTERM\n'));
  setInterval(() => undefined, 1000);
}

const out = (text) => process.stdout.write(text);
let n = 0;
let fixed = [];
let index = new Map();
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const msg = JSON.parse(line);
  if (msg.recgap !== undefined) appendFileSync(`${pidFile}.hello`, `${line}\n`);
  else if (mode === 'echo') appendFileSync(`${pidFile}.requests`, `${line}\n`);
  if (msg.recgap !== undefined) return handshake(msg);
  answer(msg);
});
// Without input the model ends, as the protocol asks (unless stubborn).
lines.on('close', () => {
  if (!stubborn) process.exit(0);
});

function handshake(hello) {
  n = hello.items.length;
  fixed = Array.from({ length: n }, (_, i) => (i * 7) % 11);
  index = new Map(hello.items.map((item, i) => [item, i]));
  if (mode === 'crash-start') {
    process.stderr.write('cannot read the training file\n');
    process.exit(3);
  }
  if (mode === 'hang-start' || mode === 'stubborn-start') return;
  if (mode === 'not-ready') return out('loading model...\n');
  out(`${JSON.stringify({ ready: true, scores: mode.startsWith('f32') ? 'f32' : 'json' })}\n`);
}

function answer(req) {
  const id = req.id;
  if (mode === 'crash' && id === 3) {
    process.stderr.write(`crashing at request ${id}\n`);
    process.exit(1);
  }
  if (mode === 'killed' && id === 2) process.kill(process.pid, 'SIGKILL');
  if ((mode === 'hang' || mode === 'stubborn') && id >= 2) {
    // PIDFILE.waiting: request 2 arrived and will never be answered (recgap now waits for it).
    if (id === 2) writeFileSync(`${pidFile}.waiting`, '');
    return;
  }
  if (mode === 'malformed' && id === 2) return out('{"id": 2, "scores": [1, 2,\n');
  if (mode === 'wrong-id' && id === 2) return out(`${JSON.stringify({ id: 3, scores: fixed })}\n`);
  if (mode === 'wrong-count' && id === 2) return out(`${JSON.stringify({ id, scores: fixed.slice(1) })}\n`);
  if (mode === 'not-a-number' && id === 2) return out(`${JSON.stringify({ id, scores: fixed.map((v, i) => (i === 5 ? 'high' : v)) })}\n`);
  if (mode === 'echo') {
    const scores = new Array(n).fill(0);
    for (const item of req.items) scores[index.get(item)]++;
    return out(`${JSON.stringify({ id, scores })}\n`);
  }
  if (mode === 'null-score') return out(`${JSON.stringify({ id, scores: fixed.map((v, i) => (i === 0 ? null : v)) })}\n`);
  if (mode.startsWith('f32')) {
    const scores = Float32Array.from(fixed);
    if (mode === 'f32-nan' && id === 2) scores[4] = Number.NaN;
    if (mode === 'f32-short' && id === 2) {
      out(`${JSON.stringify({ id, bytes: 4 * (n - 1) })}\n`);
      return process.stdout.write(Buffer.from(scores.buffer, 0, 4 * (n - 1)));
    }
    out(`${JSON.stringify({ id, bytes: 4 * n })}\n`);
    return process.stdout.write(Buffer.from(scores.buffer));
  }
  out(`${JSON.stringify({ id, scores: fixed })}\n`);
}
