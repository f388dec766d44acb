// An `http` model server that returns a fixed vector (item i scores (i * 7) % 11) for every request, for
// bench/commandModel.ts. Prints {"port": n} once listening on 127.0.0.1.
//   node fixedServer.mjs
import { createServer } from 'node:http';

let json = '';
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (body.recgap !== undefined) {
      json = JSON.stringify(Array.from({ length: body.items.length }, (_, i) => (i * 7) % 11));
      return res.end('{"ready":true}');
    }
    res.setHeader('content-type', 'application/json');
    res.end(`{"results":[${body.requests.map((r) => `{"id":${r.id},"scores":${json}}`).join(',')}]}`);
  });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`));
