/**
 * The Q1 landscape: a piecewise-linear f. From the start it falls to the local minimum at x = L, then
 * a triangular bump (rise, peak, fall), then it keeps falling. Pieces are half-open [from, to): a kink
 * belongs to the piece that starts there, so the peak counts as the falling side and the minimum as
 * the rising side. Left of the start the approach piece continues.
 */
import { Q1Landscape } from './params';

export interface Piece {
  name: 'approach' | 'rise' | 'fall' | 'after';
  from: number;
  to: number;
  /** f'(x) on the piece. */
  slope: number;
}

export interface Landscape {
  params: Q1Landscape;
  pieces: Piece[];
  /** The local minimum x = L. */
  minimum: number;
  /** The top of the bump. */
  peak: number;
  bumpEnd: number;
  f(x: number): number;
  gradient(x: number): number;
  pieceAt(x: number): Piece;
}

/** Height and width of the bump for a given h, under the chosen reading of the lost figure. */
export function bumpShape(p: Q1Landscape): { height: number; width: number } {
  const height = p.reading === 'h-wide-2h-high' ? 2 * p.h : p.h;
  const width = p.bumpWidth ?? (p.reading === 'h-wide-2h-high' ? p.h : 2 * p.h);
  return { height, width };
}

export function buildLandscape(params: Q1Landscape): Landscape {
  const { height, width } = bumpShape(params);
  const minimum = params.L;
  const peak = minimum + width / 2;
  const bumpEnd = minimum + width;
  const side = height / (width / 2);
  const pieces: Piece[] = [
    { name: 'approach', from: -Infinity, to: minimum, slope: -params.approachSlope },
    { name: 'rise', from: minimum, to: peak, slope: side },
    { name: 'fall', from: peak, to: bumpEnd, slope: -side },
    { name: 'after', from: bumpEnd, to: Infinity, slope: -params.afterSlope },
  ];
  // Heights are measured from the local minimum: f(L) = 0.
  const fMin = 0;
  const fPeak = height;
  const fEnd = 0;
  const pieceAt = (x: number) => (x < minimum ? pieces[0] : x < peak ? pieces[1] : x < bumpEnd ? pieces[2] : pieces[3]);
  const f = (x: number) => {
    if (x < minimum) return fMin + params.approachSlope * (minimum - x);
    if (x < peak) return fMin + side * (x - minimum);
    if (x < bumpEnd) return fPeak - side * (x - peak);
    return fEnd - params.afterSlope * (x - bumpEnd);
  };
  return { params, pieces, minimum, peak, bumpEnd, f, gradient: (x) => pieceAt(x).slope, pieceAt };
}
