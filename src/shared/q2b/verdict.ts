/**
 * Q2b's verdict, made in one place: is (b) truly sharper than (a)? Judged only by figures that
 * training never saw: the distance of the sharpness ratio from 1 (either way: noise overshoots it) and
 * the judge's clear score, with test L1 at most L1_ALLOWANCE worse. dis_net's own score is given too,
 * but (b) was trained to raise it, so it proves nothing. The engine stores the verdict with the (b) run
 * (verdict.json); the report, the command line and the Compare tab read it.
 */
import { z, finite, fraction } from '../zod';
import { SHARPEN_MODES } from '../jobs/specs';

/** (b) may cost this much test L1 over (a) and still count as an improvement. */
export const L1_ALLOWANCE = 0.15;

const RunId = z.string().regex(/^[\w.-]+$/);

/** The figures of the comparison for one (a) or (b) run. */
export const Q2bFigures = z.object({
  runId: RunId,
  testL1: finite(),
  sharpness: finite(),
  /** |1 − sharpness|: how far the reconstructions' edges are from the originals', either way. */
  sharpnessDistance: finite().min(0),
  disNetClearScore: fraction(),
  /** The judge's mean clear score: a classifier that no training used. */
  judgeClearScore: fraction(),
  kmeans: z.object({ purity: fraction(), nmi: fraction(), ari: z.number().finite().min(-1).max(1), accuracy: fraction() }),
  /** Why the model outputs the same image for every input, if it does. */
  collapse: z.string().max(400).optional(),
});
export type Q2bFigures = z.infer<typeof Q2bFigures>;

export const Q2bVerdict = z.object({
  latent: z.number().int().min(1),
  mode: z.enum(SHARPEN_MODES),
  disNetRunId: RunId,
  judgeRunId: RunId,
  testImages: z.number().int().min(1),
  a: Q2bFigures,
  b: Q2bFigures,
  /** (b)'s test L1 relative to (a)'s: 0.1 is 10% worse. */
  l1Change: finite(),
  l1Allowance: finite(),
  sharper: z.boolean(),
  clearer: z.boolean(),
  l1Kept: z.boolean(),
  trulySharper: z.boolean(),
  /** The verdict in a sentence, with its figures. */
  observation: z.string(),
});
export type Q2bVerdict = z.infer<typeof Q2bVerdict>;

export type VerdictInput = Pick<Q2bVerdict, 'latent' | 'mode' | 'disNetRunId' | 'judgeRunId' | 'testImages' | 'a' | 'b'>;

export function judgeQ2b(input: VerdictInput): Q2bVerdict {
  const { latent, mode, a, b } = input;
  const l1Change = (b.testL1 - a.testL1) / a.testL1;
  const sharper = b.sharpnessDistance < a.sharpnessDistance;
  const clearer = b.judgeClearScore > a.judgeClearScore;
  const l1Kept = l1Change <= L1_ALLOWANCE;
  const trulySharper = !b.collapse && sharper && clearer && l1Kept;
  const verdict = b.collapse ? '(b) has collapsed onto one image, and is not truly sharper than (a)' : trulySharper ? '(b) is truly sharper than (a)' : '(b) is not truly sharper than (a)';
  const observation =
    `L=${latent}, ${mode}: ${verdict}. Its edge strength is ${sharper ? 'closer to' : 'no closer to'} the originals' (|1 − sharpness| ${a.sharpnessDistance.toFixed(3)} → ${b.sharpnessDistance.toFixed(3)}), ` +
    `the judge finds it ${clearer ? 'clearer' : 'no clearer'} (${a.judgeClearScore.toFixed(3)} → ${b.judgeClearScore.toFixed(3)}), ` +
    `and its test L1 is ${l1Change >= 0 ? `${(100 * l1Change).toFixed(1)}% worse` : `${(-100 * l1Change).toFixed(1)}% better`} (${a.testL1.toFixed(4)} → ${b.testL1.toFixed(4)}${l1Kept ? '' : `, beyond the ${100 * L1_ALLOWANCE}% allowed`}). ` +
    `dis_net, which (b) was trained against, scores ${a.disNetClearScore.toFixed(3)} → ${b.disNetClearScore.toFixed(3)}; K-means accuracy ${a.kmeans.accuracy.toFixed(3)} → ${b.kmeans.accuracy.toFixed(3)}.`;
  return { ...input, l1Change, l1Allowance: L1_ALLOWANCE, sharper, clearer, l1Kept, trulySharper, observation };
}
