// The protocol recgap speaks with an external model (README "Evaluate your own model" documents it for model
// authors; this file and requestEncoder.ts are its reference): a handshake, one JSON request per profile, and
// the checks every answer passes before its scores are ranked. The same JSON travels over a process's
// stdin/stdout (one object a line) and in HTTP bodies (a batch of objects a POST).
import { ModelFailure, type RequestSpan } from './failure.ts';

export const PROTOCOL_VERSION = 1;

/** How a model answers: one JSON line per request, or a JSON header line followed by little-endian float32 bytes. */
export type Framing = 'json' | 'f32';

export interface HandshakeFields {
  /** Catalogue item ids in the order every answer's scores follow. */
  items: readonly string[];
  /** Absolute path of the CSV of training events (time,person,key,item,event; time in epoch ms). */
  train: string;
  /** The largest K the evaluation reads. */
  k: number;
  /** The event types that count as conversions (eval.positives). */
  positives: readonly string[];
}

/**
 * The handshake object as JSON text (no newline).
 *
 * @example
 * handshakeJson({ items: ['a', 'b'], train: '/tmp/t.csv', k: 10, positives: ['purchase'] });
 * // '{"recgap":1,"items":["a","b"],"train":"/tmp/t.csv","k":10,"positives":["purchase"]}'
 */
export function handshakeJson(h: HandshakeFields): string {
  return JSON.stringify({ recgap: PROTOCOL_VERSION, items: h.items, train: h.train, k: h.k, positives: h.positives });
}

/**
 * The framing a model's answer to the handshake announces: `{"ready": true}` (JSON answers) or
 * `{"ready": true, "scores": "f32"}`; anything else stops the run.
 *
 * @example
 * readyFraming('{"ready": true, "scores": "f32"}') // 'f32'
 */
export function readyFraming(text: string): Framing {
  const a = parseJson(text);
  if (!isObject(a) || a.ready !== true || (a.scores !== undefined && a.scores !== 'json' && a.scores !== 'f32')) {
    throw new ModelFailure({ reason: 'notReady', text });
  }
  return a.scores === 'f32' ? 'f32' : 'json';
}

/**
 * Check a JSON answer `{"id", "scores"}` against the request it must answer and copy its scores into `row`
 * (null = never recommend, stored as -Infinity, which the ranking skips).
 *
 * @example
 * fillFromJson({ id: 3, scores: [0.5, null] }, 3, row, [3, 3]); // row = [0.5, -Infinity]
 */
export function fillFromJson(answer: unknown, id: number, row: Float32Array, span: RequestSpan, text: () => string): void {
  if (!isObject(answer)) throw new ModelFailure({ reason: 'malformed', span, problem: 'is not a JSON object', text: text() });
  if (answer.id !== id) throw new ModelFailure({ reason: 'wrongId', expected: id, got: answer.id });
  const scores = answer.scores;
  if (!Array.isArray(scores)) throw new ModelFailure({ reason: 'malformed', span, problem: 'has no "scores" list', text: text() });
  if (scores.length !== row.length) throw new ModelFailure({ reason: 'wrongCount', span, got: scores.length });
  for (let i = 0; i < scores.length; i++) {
    const v: unknown = scores[i];
    if (typeof v === 'number') {
      row[i] = v;
      // A finite float64 beyond float32's range becomes +-Infinity here; +Infinity would outrank everything.
      if (row[i] === Infinity) throw new ModelFailure({ reason: 'notFinite', span, index: i, value: `${v} (beyond float32)` });
    } else if (v === null) row[i] = -Infinity;
    else throw new ModelFailure({ reason: 'notFinite', span, index: i, value: JSON.stringify(v) ?? String(v) });
  }
}

/**
 * The header line of an f32 answer, `{"id": n, "bytes": 4 * items}`, checked against the request it must answer.
 *
 * @example
 * f32Header('{"id":7,"bytes":12000}', 7, 3000, [7, 7]); // 12000
 */
export function f32Header(text: string, id: number, nItems: number, span: RequestSpan): number {
  const h = parseJson(text);
  if (!isObject(h) || typeof h.bytes !== 'number' || !Number.isInteger(h.bytes) || h.bytes < 0) {
    throw new ModelFailure({ reason: 'malformed', span, problem: 'header is not {"id": n, "bytes": n}', text });
  }
  if (h.id !== id) throw new ModelFailure({ reason: 'wrongId', expected: id, got: h.id });
  if (h.bytes !== 4 * nItems) throw new ModelFailure({ reason: 'wrongCount', span, got: h.bytes / 4 });
  return h.bytes;
}

/**
 * Check float32 scores read from an f32 answer: NaN and +Infinity stop the run; -Infinity means never recommend.
 *
 * @example
 * checkF32Row(new Float32Array([1, -Infinity]), [1, 1]); // passes
 */
export function checkF32Row(row: Float32Array, span: RequestSpan): void {
  for (let i = 0; i < row.length; i++) {
    const v = row[i];
    if (!(v < Infinity)) throw new ModelFailure({ reason: 'notFinite', span, index: i, value: Number.isNaN(v) ? 'NaN' : 'Infinity' });
  }
}

/**
 * JSON.parse, or a `malformed` failure quoting the text.
 *
 * @example
 * parseAnswer('{"id": 1}', [1, 1]) // { id: 1 }
 */
export function parseAnswer(text: string, span: RequestSpan): unknown {
  const v = parseJson(text);
  if (v === NOT_JSON) throw new ModelFailure({ reason: 'malformed', span, problem: 'is not valid JSON', text });
  return v;
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
