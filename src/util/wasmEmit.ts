// A minimal WebAssembly binary writer: enough of the format (types, one imported shared memory, functions,
// exports) and of the instruction set (i32, f64, a few SIMD ops) to build small numeric kernels in code,
// without a toolchain dependency. Instructions are written as byte arrays by the helpers below.

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

/** One function: parameter and result types, extra locals, and its body (without the final `end`). */
export interface WasmFunction {
  name: string | null;
  params: ValType[];
  results: ValType[];
  locals: ValType[];
  body: number[];
}

function section(id: number, payload: number[]): number[] {
  return [id, ...uleb(payload.length), ...payload];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const bytes = [...new TextEncoder().encode(s)];
  return [...uleb(bytes.length), ...bytes];
}

/**
 * A module importing `env.memory` (shared, `pages` 64 KiB pages, fixed size) and exporting the named functions.
 *
 * @example
 * const bytes = wasmModule([{ name: 'f', params: [I32], results: [I32], locals: [], body: [op.get(0)] }], 1);
 */
export function wasmModule(funcs: readonly WasmFunction[], pages: { min: number; max: number }): Uint8Array<ArrayBuffer> {
  const types = vec(funcs.map((f) => [0x60, ...uleb(f.params.length), ...f.params, ...uleb(f.results.length), ...f.results]));
  const imports = vec([[...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(pages.min), ...uleb(pages.max)]]);
  const fns = vec(funcs.map((_, i) => uleb(i)));
  const exports = vec(funcs.flatMap((f, i) => (f.name ? [[...name(f.name), 0x00, ...uleb(i)]] : [])));
  const code = vec(
    funcs.map((f) => {
      const locals = f.locals.length ? vec(f.locals.map((t) => [0x01, t])) : [0x00];
      const body = [...locals, ...f.body, 0x0b];
      return [...uleb(body.length), ...body];
    }),
  );
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, fns),
    ...section(7, exports),
    ...section(10, code),
  ]);
}

const mem = (opcode: number, align: number, offset: number) => [opcode, ...uleb(align), ...uleb(offset)];
const simd = (opcode: number, ...rest: number[]) => [0xfd, ...uleb(opcode), ...rest];

/** Instruction encoders (the subset the kernels use). */
export const op = {
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  call: (f: number) => [0x10, ...uleb(f)],
  i32: (n: number) => [0x41, ...sleb(n)],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  add: [0x6a],
  sub: [0x6b],
  mul: [0x6c],
  and: [0x71],
  xor: [0x73],
  shl: [0x74],
  shrU: [0x76],
  eqz: [0x45],
  ne: [0x47],
  eq: [0x46],
  or: [0x72],
  gtS: [0x4a],
  ltS: [0x48],
  ltU: [0x49],
  geU: [0x4f],
  i32Load: (offset = 0) => mem(0x28, 2, offset),
  i32Load8U: (offset = 0) => mem(0x2d, 0, offset),
  f32Load: (offset = 0) => mem(0x2a, 2, offset),
  f64Load: (offset = 0) => mem(0x2b, 3, offset),
  i32Store: (offset = 0) => mem(0x36, 2, offset),
  i32Store8: (offset = 0) => mem(0x3a, 0, offset),
  f32Store: (offset = 0) => mem(0x38, 2, offset),
  f64Store: (offset = 0) => mem(0x39, 3, offset),
  /** f64.const 0 */
  f64Zero: [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  /** f32.const -Infinity */
  f32MinusInfinity: [0x43, 0x00, 0x00, 0x80, 0xff],
  f32Eq: [0x5b],
  f32Lt: [0x5d],
  f32Gt: [0x5e],
  f64Add: [0xa0],
  f64Mul: [0xa2],
  f64PromoteF32: [0xbb],
  f32DemoteF64: [0xb6],
  f64ConvertI32U: [0xb8],
  v128Load: (offset = 0) => simd(0x00, ...uleb(4), ...uleb(offset)),
  v128Store: (offset = 0) => simd(0x0b, ...uleb(4), ...uleb(offset)),
  v128Load64Splat: (offset = 0) => simd(0x0a, ...uleb(3), ...uleb(offset)),
  f64x2Add: simd(0xf0),
  f64x2Mul: simd(0xf2),
};
