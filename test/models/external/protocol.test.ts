// The protocol's pieces on their own: request lines as JSON.parse reads them back (numbers digit by digit,
// escaped ids, the buffer bound), answers split out of a byte stream however it is chunked, the checks on
// answers, and the one-line message of every failure.
import { describe, expect, it } from 'vitest';
import { logFromRows } from '../../../src/log/eventLog.ts';
import { InputError, RunError } from '../../../src/errors.ts';
import { modelMsg } from '../../../src/models/messages.ts';
import { ByteQueue } from '../../../src/models/external/byteQueue.ts';
import { RequestEncoder } from '../../../src/models/external/requestEncoder.ts';
import { checkF32Row, f32Header, fillFromJson, handshakeJson, readyFraming } from '../../../src/models/external/protocol.ts';
import { failureError, ModelFailure, spanText, type Failure } from '../../../src/models/external/failure.ts';
import type { CommandModelSpec, HttpModelSpec } from '../../../src/scenario/types.ts';

/** Event times that exercise every digit path: one digit, padding of the low 8 digits, 2^31, 2^53 - 1, fractions. */
const TIMES = [0, 7, 10, 99, 100, 12_345, 99_999_999, 100_000_000, 100_000_001, 2 ** 31 - 1, 2 ** 31, 1_704_067_200_000, 2 ** 53 - 1, 1.5, 2 ** 53 + 2];
const log = logFromRows(
  TIMES.map((t, i) => ({
    t,
    person: 'p',
    key: 'k',
    item: ['plain', 'quote"d', 'back\\slash', 'ünï', 'tab\t', 'emoji 😀'][i % 6],
    type: i % 2 ? 'view' : 'add to "cart"',
  })),
);
const all = Int32Array.from(TIMES.map((_, i) => i));

function encode(views: Array<[number, Int32Array, number | null]>): { text: string; ends: number[]; bound: number } {
  const enc = new RequestEncoder(log);
  const bound = enc.bound(
    views.length,
    views.reduce((s, [, ev]) => s + ev.length, 0),
  );
  const buf = new Uint8Array(bound);
  enc.begin(buf);
  const ends = views.map(([id, ev, more]) => enc.append(id, ev, more));
  return { text: new TextDecoder().decode(buf.subarray(0, ends[ends.length - 1])), ends, bound };
}

describe('request lines', () => {
  it('read back with JSON.parse as the view: ids, times, escaped item ids and event names, oldest first', () => {
    const { text, ends, bound } = encode([
      [7, all, 1],
      [123_456_789_012, new Int32Array(0), 0],
      [9, all.subarray(2, 4), null],
    ]);
    expect(ends[2]).toBeLessThanOrEqual(bound);
    const lines = text.split('\n');
    expect(lines.length).toBe(4);
    expect(lines[3]).toBe('');
    const [a, b, c] = lines.slice(0, 3).map((l) => JSON.parse(l));
    expect(a).toEqual({
      id: 7,
      more: 1,
      items: [...all].map((e) => log.dict.item[log.item[e]]),
      times: [...log.tsMs],
      events: [...all].map((e) => log.dict.type[log.type[e]]),
    });
    expect(b).toEqual({ id: 123_456_789_012, more: 0, items: [], times: [], events: [] });
    expect(Object.keys(c)).toEqual(['id', 'items', 'times', 'events']);
    // Each line's end is where the next begins.
    expect(new TextEncoder().encode(lines[0] + '\n').length).toBe(ends[0]);
  });

  it('writes every safe integer time as JSON.stringify does (digits two at a time, low half padded)', () => {
    const times = [...TIMES.filter((t) => Number.isSafeInteger(t))];
    for (let i = 0; i < 2000; i++) times.push(Math.floor(((i * 2_654_435_761) % 4_294_967_296) * 2 ** 21 + i), i * 37);
    const l = logFromRows(times.map((t) => ({ t, person: 'p', key: 'k', item: 'x', type: 'view' })));
    const enc = new RequestEncoder(l);
    const buf = new Uint8Array(enc.bound(1, l.length));
    enc.begin(buf);
    const end = enc.append(
      1,
      Int32Array.from({ length: l.length }, (_, i) => i),
      null,
    );
    expect(new TextDecoder().decode(buf.subarray(0, end))).toContain(`"times":[${[...l.tsMs].map((t) => JSON.stringify(t)).join(',')}]`);
  });
});

describe('the byte stream from a model', () => {
  const answer = '{"id":1,"bytes":8}\n';
  const floats = Buffer.from(new Float32Array([0.5, -Infinity]).buffer);
  const stream = Buffer.concat([Buffer.from('{"ready":true,"scores":"f32"}\r\n'), Buffer.from(answer), floats, Buffer.from('{"id":2,"bytes":8}\n'), floats]);

  it.each([1, 2, 3, 7, 64])('splits lines and frames the same in chunks of %i bytes', (size) => {
    const q = new ByteQueue();
    for (let at = 0; at < stream.length; at += size) q.push(stream.subarray(at, at + size));
    expect(q.takeLine()?.toString()).toBe('{"ready":true,"scores":"f32"}');
    expect(q.takeLine()?.toString()).toBe(answer.trimEnd());
    const row = new Float32Array(2);
    expect(q.takeInto(new Uint8Array(row.buffer))).toBe(true);
    expect([...row]).toEqual([0.5, -Infinity]);
    expect(q.takeLine()?.toString()).toBe('{"id":2,"bytes":8}');
    expect(q.takeBytes(8)?.equals(floats)).toBe(true);
    expect(q.length).toBe(0);
  });

  it('waits for what is incomplete, taking nothing', () => {
    const q = new ByteQueue();
    q.push(Buffer.from('{"id":1'));
    expect(q.takeLine()).toBeNull();
    q.push(Buffer.from('}\nabc'));
    expect(q.takeLine()?.toString()).toBe('{"id":1}');
    expect(q.takeInto(new Uint8Array(4))).toBe(false);
    expect(q.takeBytes(4)).toBeNull();
    expect(q.takeBytes(3)?.toString()).toBe('abc');
  });
});

describe('answers', () => {
  const span: [number, number] = [3, 3];
  const failureOf = (f: () => unknown): Failure => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ModelFailure);
      return (e as ModelFailure).failure;
    }
    throw new Error('no failure');
  };

  it('the handshake answer announces JSON or f32 scores, nothing else', () => {
    expect(readyFraming('{"ready": true}')).toBe('json');
    expect(readyFraming('{"ready": true, "scores": "json"}')).toBe('json');
    expect(readyFraming('{"ready":true,"scores":"f32"}')).toBe('f32');
    for (const text of ['{"ready": false}', '{"ready": "yes"}', '{"ready": true, "scores": "f64"}', 'ready', '[true]'])
      expect(failureOf(() => readyFraming(text))).toEqual({ reason: 'notReady', text });
  });

  it('JSON scores: numbers as float32, null as never recommend; anything else names the request and position', () => {
    const row = new Float32Array(3);
    fillFromJson({ id: 3, scores: [1.5, null, -2] }, 3, row, span, () => '');
    expect([...row]).toEqual([1.5, -Infinity, -2]);
    expect(failureOf(() => fillFromJson({ id: 4, scores: [1, 2, 3] }, 3, row, span, () => ''))).toEqual({ reason: 'wrongId', expected: 3, got: 4 });
    expect(failureOf(() => fillFromJson({ id: 3, scores: [1, 2] }, 3, row, span, () => ''))).toEqual({ reason: 'wrongCount', span, got: 2 });
    expect(failureOf(() => fillFromJson({ id: 3, scores: [1, '2', 3] }, 3, row, span, () => ''))).toEqual({
      reason: 'notFinite',
      span,
      index: 1,
      value: '"2"',
    });
    expect(failureOf(() => fillFromJson({ id: 3, scores: [1, 2, 1e300] }, 3, row, span, () => ''))).toEqual({
      reason: 'notFinite',
      span,
      index: 2,
      value: '1e+300 (beyond float32)',
    });
    expect(failureOf(() => fillFromJson([1], 3, row, span, () => '[1]'))).toEqual({ reason: 'malformed', span, problem: 'is not a JSON object', text: '[1]' });
    expect(failureOf(() => fillFromJson({ id: 3 }, 3, row, span, () => '{"id":3}'))).toEqual({
      reason: 'malformed',
      span,
      problem: 'has no "scores" list',
      text: '{"id":3}',
    });
  });

  it('f32 headers and scores', () => {
    expect(f32Header('{"id":3,"bytes":12}', 3, 3, span)).toBe(12);
    expect(failureOf(() => f32Header('{"id":3,"bytes":8}', 3, 3, span))).toEqual({ reason: 'wrongCount', span, got: 2 });
    expect(failureOf(() => f32Header('{"id":2,"bytes":12}', 3, 3, span))).toEqual({ reason: 'wrongId', expected: 3, got: 2 });
    expect(failureOf(() => f32Header('{"id":3}', 3, 3, span))).toMatchObject({ reason: 'malformed', problem: 'header is not {"id": n, "bytes": n}' });
    checkF32Row(new Float32Array([1, -Infinity, 0]), span);
    expect(failureOf(() => checkF32Row(new Float32Array([1, Infinity]), span))).toEqual({ reason: 'notFinite', span, index: 1, value: 'Infinity' });
    expect(failureOf(() => checkF32Row(new Float32Array([Number.NaN]), span))).toEqual({ reason: 'notFinite', span, index: 0, value: 'NaN' });
  });

  it('the handshake object', () => {
    expect(JSON.parse(handshakeJson({ items: ['a', 'b"'], train: '/t/train.csv', k: 20, positives: ['purchase'] }))).toEqual({
      recgap: 1,
      items: ['a', 'b"'],
      train: '/t/train.csv',
      k: 20,
      positives: ['purchase'],
    });
  });
});

describe('failures as one line', () => {
  const cmd: CommandModelSpec = { name: 'cand', type: 'command', command: ['python3', 'score.py'], cwd: '/s', timeoutMs: 60_000, startTimeoutMs: 600_000 };
  const srv: HttpModelSpec = { name: 'srv', type: 'http', url: 'http://m/score', timeoutMs: 1, startTimeoutMs: 1, concurrency: 1, retries: 0, batch: 1 };
  const items = ['a', 'b', 'c'];
  it.each<[string, CommandModelSpec | HttpModelSpec, Failure, string]>([
    ['cannot start', cmd, { reason: 'cannotStart', program: 'python3', code: 'ENOENT' }, modelMsg.externalCannotStart('cand', 'python3', 'ENOENT')],
    ['exit code', cmd, { reason: 'exited', span: [4, 4], code: 2, signal: null }, modelMsg.externalExited('cand', 'request 4', 2, null)],
    ['signal', cmd, { reason: 'exited', span: null, code: null, signal: 'SIGSEGV' }, modelMsg.externalExited('cand', 'the handshake', null, 'SIGSEGV')],
    ['timeout', cmd, { reason: 'timeout', span: [4, 4], ms: 60_000 }, modelMsg.externalTimeout('cand', 'request 4', '1m', 'timeout')],
    ['start timeout', cmd, { reason: 'timeout', span: null, ms: 600_000 }, modelMsg.externalTimeout('cand', 'the handshake', '10m', 'startTimeout')],
    ['not finite', cmd, { reason: 'notFinite', span: [4, 4], index: 1, value: 'NaN' }, modelMsg.externalNotFinite('cand', 'request 4', 1, 'b', 'NaN')],
    [
      'http status',
      srv,
      { reason: 'httpStatus', span: [1, 64], status: 503, attempts: 3, body: '' },
      modelMsg.externalHttpStatus('srv', 'requests 1-64', 'http://m/score', 503, 3, ''),
    ],
    [
      'unreachable',
      srv,
      { reason: 'unreachable', span: null, detail: 'ECONNREFUSED', attempts: 1 },
      modelMsg.externalUnreachable('srv', 'the handshake', 'http://m/score', 'ECONNREFUSED', 1),
    ],
  ])('%s', (_what, spec, f, message) => {
    const e = failureError(spec, f, items);
    expect(e).toBeInstanceOf(f.reason === 'cannotStart' ? InputError : RunError);
    expect(e.message).toBe(message);
  });

  it('name the requests they concern', () => {
    expect([spanText(null), spanText([3, 3]), spanText([1, 256])]).toEqual(['the handshake', 'request 3', 'requests 1-256']);
    expect(modelMsg.externalExited('cand', 'request 3', 1, null)).toBe('models.cand: request 3: the model process exited with code 1 before answering');
  });
});
