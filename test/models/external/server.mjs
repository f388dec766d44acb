// An `http` model server for tests, run as its own process (recgap's thread blocks while it waits for
// answers, so the server cannot live in the test's thread):
//   node server.mjs MODE      -> prints {"port": n} once listening on 127.0.0.1
// It answers the handshake POST and batches of requests. `pop` counts the training file's conversions per
// item (the built-in popularity model); the other modes answer a fixed vector, item i scoring (i * 7) % 11,
// until MODE makes them misbehave. GET /stats reports the batch POSTs it received.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const mode = process.argv[2];
let scores = [];
let batches = 0;

const server = createServer((req, res) => {
  if (req.method === 'GET') return res.end(JSON.stringify({ batches }));
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (body.recgap !== undefined) return handshake(body, res);
    batches++;
    batch(body.requests, res);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));

function handshake(hello, res) {
  const n = hello.items.length;
  scores = Array.from({ length: n }, (_, i) => (i * 7) % 11);
  if (mode === 'pop') {
    const index = new Map(hello.items.map((item, i) => [item, i]));
    scores = new Array(n).fill(0);
    const rows = readFileSync(hello.train, 'utf8').trimEnd().split('\n').slice(1);
    for (const row of rows) {
      const [, , , item, event] = row.split(',');
      if (hello.positives.includes(event)) scores[index.get(item)]++;
    }
  }
  if (mode === 'f32') return res.end(JSON.stringify({ ready: true, scores: 'f32' }));
  res.end(JSON.stringify({ ready: true }));
}

function batch(requests, res) {
  const answer = () => res.end(JSON.stringify({ results: requests.map((r) => ({ id: r.id, scores })) }));
  if (mode === 'status500') return status(res, 500, 'model exploded');
  if (mode === 'status400') return status(res, 400, 'bad request body');
  if (mode === 'flaky' && batches === 1) return status(res, 503, 'warming up');
  if (mode === 'drop' && batches === 1) return res.socket.destroy();
  if (mode === 'slow') return setTimeout(answer, 3000);
  if (mode === 'wrong-count') return res.end(JSON.stringify({ results: requests.map((r) => ({ id: r.id, scores: scores.slice(1) })) }));
  if (mode === 'wrong-results') return res.end(JSON.stringify({ results: requests.slice(1).map((r) => ({ id: r.id, scores })) }));
  if (mode === 'not-json') return res.end('<html>upstream error</html>');
  answer();
}

function status(res, code, text) {
  res.statusCode = code;
  res.end(text);
}
