/** The shape of a Q1 study: what study.ts computes and answer.ts turns into prose. */
import type { Q1Params } from './params';
import type { OptimizerName } from './optimizers';
import type { OptimizerRun } from './simulate';

export interface MaxEscape {
  /** Largest h that escapes; null when no bump is escaped, or every bump up to the search limit (H_LIMIT in study.ts) is. */
  h: number | null;
  note: string;
  /** Last escaping and first non-escaping h of the bisection. */
  bracket: [number, number] | null;
  below: OptimizerRun | null;
  above: OptimizerRun | null;
  /** Grid points where escaping disagrees with "h ≤ h*": bisection assumes there are none. */
  monotonicityViolations: number[];
}

export interface LandscapeSummary {
  minimum: number;
  peak: number;
  bumpEnd: number;
  height: number;
  width: number;
  pieces: { name: string; from: number | null; to: number | null; slope: number }[];
  kinks: { x: number; between: string; belongsTo: string }[];
}

/** Everything the simulations produce, before the written answers. */
export interface Q1StudyData {
  params: Q1Params;
  landscape: LandscapeSummary;
  runs: Record<OptimizerName, OptimizerRun>;
  maxEscape: Record<OptimizerName, MaxEscape>;
  sweepH: { h: number[]; escaped: Record<OptimizerName, boolean[]>; furthest: Record<OptimizerName, number[]> };
  sweepLr: { lr: number[]; maxH: Record<'gd' | 'adam', (number | null)[]> };
}

export interface Q1Study extends Q1StudyData {
  answer: { part1: string; part2: string };
}
