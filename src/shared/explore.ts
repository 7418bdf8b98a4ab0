/**
 * The latent explorer's questions to a trained autoencoder and their answers, shared by both
 * boundaries they cross (page -> host -> engine), and the tiling of a decoded manifold into one image.
 */
import { z, finite, positiveInt } from './zod';

/** The most codes one request decodes: a 20×20 manifold. */
export const MAX_MANIFOLD_SIDE = 20;
export const MAX_CODES = MAX_MANIFOLD_SIDE * MAX_MANIFOLD_SIDE;
/** Interpolations show this many digits, both endpoints included. */
export const INTERPOLATION_STEPS = 10;
/** The largest latent size a run may have (as JobSpec's latent). */
const MAX_LATENT = 4096;
const IMAGE_SIDE = 28;

const testImage = z.number().int().min(0).max(9999);
const range = z.tuple([finite(), finite()]).refine(([lo, hi]) => lo < hi, { message: 'the range must go from a smaller to a larger value' });

export const ExploreQuery = z.discriminatedUnion('kind', [
  /** Decode these latent codes. */
  z.object({ kind: z.literal('decode'), codes: z.array(z.array(finite()).min(1).max(MAX_LATENT)).min(1).max(MAX_CODES) }),
  /** A 2-D latent's n×n grid over the rectangle x × y: cell centres, the top row (largest y) first. */
  z.object({ kind: z.literal('manifold'), n: positiveInt(MAX_MANIFOLD_SIDE), x: range, y: range }),
  /** INTERPOLATION_STEPS decodings from the code of test image `from` to that of `to`. */
  z.object({ kind: z.literal('interpolate'), from: testImage, to: testImage }),
  /** A test image and its reconstruction. */
  z.object({ kind: z.literal('reconstruct'), index: testImage }),
]);
export type ExploreQuery = z.infer<typeof ExploreQuery>;

export const ExploreResult = z.object({
  /** Packed 28×28 grey bytes, base64, as the reconstruction snapshots are stored. */
  images: z.string(),
  count: z.number().int().min(0).max(MAX_CODES),
  /** The latent code behind each image (for reconstruct: the original has none, so one code). */
  codes: z.array(z.array(finite())).max(MAX_CODES),
  /** The run's latent size. */
  latent: positiveInt(MAX_LATENT),
});
export type ExploreResult = z.infer<typeof ExploreResult>;

/** Centres of an n×n grid over x × y, row by row from the top (largest y), as a manifold is drawn. */
export function manifoldCodes(n: number, x: [number, number], y: [number, number]): number[][] {
  const codes: number[][] = [];
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) codes.push([x[0] + ((col + 0.5) * (x[1] - x[0])) / n, y[1] - ((row + 0.5) * (y[1] - y[0])) / n]);
  }
  return codes;
}

/** n×n packed 28×28 digits tiled into one (28n)×(28n) grey image, row by row. */
export function tileDigits(images: Uint8Array, n: number): Uint8Array {
  const side = IMAGE_SIDE * n;
  const out = new Uint8Array(side * side);
  for (let cell = 0; cell < n * n; cell++) {
    const top = Math.floor(cell / n) * IMAGE_SIDE;
    const left = (cell % n) * IMAGE_SIDE;
    for (let y = 0; y < IMAGE_SIDE; y++) {
      const from = (cell * IMAGE_SIDE + y) * IMAGE_SIDE;
      out.set(images.subarray(from, from + IMAGE_SIDE), (top + y) * side + left);
    }
  }
  return out;
}

/**
 * The rectangle a manifold is decoded over: where the codes lie, from the 1st to the 99th percentile on
 * each axis, widened by `margin`. A few far-out codes would otherwise stretch it until the digits where
 * most codes lie shrink to a few cells.
 */
export function extentOf(xy: ArrayLike<number>, margin = 0.05): { x: [number, number]; y: [number, number] } {
  const axis = (offset: number): [number, number] => {
    const values = Array.from({ length: Math.floor(xy.length / 2) }, (_, i) => xy[2 * i + offset]).sort((a, b) => a - b);
    const at = (q: number) => values[Math.min(values.length - 1, Math.max(0, Math.round(q * (values.length - 1))))];
    const [lo, hi] = [at(0.01), at(0.99)];
    const pad = Math.max(hi - lo, 1e-3) * margin;
    return [lo - pad, hi + pad];
  };
  return { x: axis(0), y: axis(1) };
}
