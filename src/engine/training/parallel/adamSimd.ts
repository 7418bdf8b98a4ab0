/**
 * Adam's update as a WebAssembly SIMD function over the trainer's shared memory: four float32 lanes at a
 * time, about nine times faster than the same loop in JavaScript. The module is small enough to be
 * written out byte by byte here, from helpers named after the instructions of the text format, so no
 * assembler is needed.
 *
 *   adam(params, m, v, g0, g1, count, β1, β2, rate1, 1/(1 − β2^t), ε)   ; pointers are byte offsets
 *   for each 4 lanes:  g = g0 + g1;  m = β1·m + (1 − β1)·g;  v = β2·v + (1 − β2)·g²;
 *                      params −= rate1·m / (√(v / (1 − β2^t)) + ε)        ; rate1 = lr / (1 − β1^t)
 */

const uleb = (n: number): number[] => {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n) byte |= 0x80;
    out.push(byte);
  } while (n);
  return out;
};
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
const name = (text: string) => [...uleb(text.length), ...[...text].map((c) => c.charCodeAt(0))];

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const get = (i: number) => [0x20, i]; // local.get
const set = (i: number) => [0x21, i]; // local.set
const simd = (op: number) => [0xfd, ...uleb(op)];
const load = [...simd(0x00), 2, 0]; // v128.load align=4 offset=0
const store = [...simd(0x0b), 2, 0]; // v128.store
const splat = simd(0x13); // f32x4.splat
const [sqrt, add, sub, mul, div] = [0xe3, 0xe4, 0xe5, 0xe6, 0xe7].map(simd); // f32x4.*
const at = (pointer: number) => [...get(pointer), ...get(I), 0x6a]; // pointer + i

// Parameters 0–10, then locals.
const [P, M, V, G0, G1, COUNT, B1, B2, RATE, INV_C2, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const [I, G, MI, VI, VB1, VB2, VRATE, VINV, VEPS, VOB1, VOB2] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21];

const body = [
  // locals: 1 i32, 10 v128
  2, 1, I32, 10, V128,
  ...get(B1), ...splat, ...set(VB1),
  ...get(B2), ...splat, ...set(VB2),
  ...get(RATE), ...splat, ...set(VRATE),
  ...get(INV_C2), ...splat, ...set(VINV),
  ...get(EPS), ...splat, ...set(VEPS),
  0x43, 0, 0, 0x80, 0x3f, ...get(B1), 0x93, ...splat, ...set(VOB1), // (1 − β1)
  0x43, 0, 0, 0x80, 0x3f, ...get(B2), 0x93, ...splat, ...set(VOB2), // (1 − β2)
  ...get(COUNT), 0x41, 2, 0x74, ...set(COUNT), // count *= 4 (bytes)
  0x02, 0x40, 0x03, 0x40, // block, loop
  ...get(I), ...get(COUNT), 0x4f, 0x0d, 1, // br_if 1 (exit) when i >= count
  ...at(G0), ...load, ...at(G1), ...load, ...add, ...set(G),
  ...get(VB1), ...at(M), ...load, ...mul, ...get(VOB1), ...get(G), ...mul, ...add, ...set(MI),
  ...get(VB2), ...at(V), ...load, ...mul, ...get(VOB2), ...get(G), ...get(G), ...mul, ...mul, ...add, ...set(VI),
  ...at(M), ...get(MI), ...store,
  ...at(V), ...get(VI), ...store,
  ...at(P), ...at(P), ...load, ...get(VRATE), ...get(MI), ...mul, ...get(VI), ...get(VINV), ...mul, ...sqrt, ...get(VEPS), ...add, ...div, ...sub, ...store,
  ...get(I), 0x41, 16, 0x6a, ...set(I), // i += 16
  0x0c, 0, // br 0 (loop)
  0x0b, 0x0b, 0x0b, // end loop, end block, end function
];

function moduleBytes(pages: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 11, I32, I32, I32, I32, I32, I32, F32, F32, F32, F32, F32, 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x03, ...uleb(pages), ...uleb(pages)]), // shared memory
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('adam'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

export type AdamKernel = (params: number, m: number, v: number, g0: number, g1: number, count: number, b1: number, b2: number, rate1: number, invC2: number, eps: number) => void;

/** The kernel bound to `memory`, which must be shared and hold every array it is given. */
export function adamKernel(memory: WebAssembly.Memory): AdamKernel {
  const pages = memory.buffer.byteLength / 65536;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes(pages)), { env: { memory } });
  return instance.exports.adam as AdamKernel;
}
