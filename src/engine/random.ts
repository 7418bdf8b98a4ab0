/** Seeded randomness for data order, so a seed reproduces a run. */

/** A generator of floats in [0, 1) whose whole state is one 32-bit number, so a checkpoint can keep it. */
export interface Rng {
  (): number;
  /** The current state: createRng(rng.state()) continues exactly where this one is. */
  state(): number;
}

/** mulberry32: small, fast, and good enough for shuffling; `seed` is also how a saved state resumes. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Object.assign(next, { state: () => a });
}

/** Fisher–Yates shuffle of 0..n-1. */
export function shuffledIndices(n: number, rng: () => number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
