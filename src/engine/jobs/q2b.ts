/**
 * Q2b from the command line: dis_net and the judge (each reused if a matching one finished), the Q2a
 * runs to compare against (reused), the sharpened autoencoders trained with L1 + lambda × dis_net loss,
 * and the (a)/(b) comparison per latent size: test L1, sharpness, the judge's and dis_net's clear
 * scores, K-means.
 */
import * as path from 'node:path';
import { AutoencoderAnalysis, JudgedScores } from '../../runs/schema';
import { AutoencoderConfig, DisNetConfig, SharpenMode } from '../../shared/jobs/specs';
import { BackendPreference } from '../../shared/backends';
import { lastCollapse } from '../../shared/q2a/collapse';
import { SharpenRecipe, judgeConfigOf } from '../../shared/q2b/defaults';
import { initBackend } from '../backend';
import { JUDGED_FILE, readAnalysis, readJudged } from '../../runs/files';
import { RunStore, readMetrics, readRunRecord, writeFileAtomic } from '../../runs/store';
import { meanClearScore, runAutoencoder } from '../training/inference';
import { loadModel } from '../training/modelFiles';
import { Q2aResult, findReusable, runQ2a } from './q2a';
import { JobContext, mnist, runJob } from './runJob';

export interface Q2bFigures {
  runId: string;
  runDir: string;
  testL1: number;
  sharpness: number;
  /** |1 − sharpness|: how far the reconstructions' edges are from the originals', either way. */
  sharpnessDistance: number;
  disNetClearScore: number;
  /** The judge's mean clear score: a classifier that no training used. */
  judgeClearScore: number;
  kmeans: { purity: number; nmi: number; ari: number; accuracy: number };
  /** Why the model outputs the same image for every input, if it does. */
  collapse?: string;
}

interface Classifier {
  runId: string;
  runDir: string;
  testAccuracy?: number;
  confusion?: [[number, number], [number, number]];
  reused: boolean;
}

/** (a) against one (b): the sharpened model of this latent size trained in this mode. */
export interface Q2bComparison {
  latent: number;
  mode: SharpenMode;
  a: Q2bFigures;
  b: Q2bFigures;
}

export interface Q2bResult {
  q2a: Q2aResult;
  disNet: Classifier;
  judge: Classifier;
  runs: (Q2bFigures & { latent: number; mode: SharpenMode })[];
  comparison: Q2bComparison[];
  observations: string[];
}

/** The newest completed dis_net or judge trained with exactly this configuration (when reusing), or a new one. */
async function classifierFor(kind: 'trainDisNet' | 'trainJudge', config: DisNetConfig, reuse: boolean, ctx: JobContext): Promise<Classifier> {
  const found = reuse ? new RunStore(ctx.runsDir).findCompleted({ kind, config }) : undefined;
  const dir = found?.dir ?? path.join(ctx.runsDir, (await runJob({ kind, config }, ctx)).id);
  const record = readRunRecord(dir);
  if (record.status !== 'completed') throw new Error(`${kind === 'trainJudge' ? 'The judge' : 'dis_net'}'s training was cancelled.`);
  const summary = record.summary?.kind === 'disnet' ? record.summary : undefined;
  return { runId: record.id, runDir: dir, testAccuracy: summary?.testAccuracy, confusion: summary?.confusion, reused: found !== undefined };
}

/** dis_net's and the judge's scores of a run's test reconstructions, from judged.json or computed and kept there. */
async function judgedScores(dir: string, disNetDir: string, judgeDir: string, testImages: number, backend: BackendPreference): Promise<JudgedScores> {
  const [disNetRunId, judgeRunId] = [path.basename(disNetDir), path.basename(judgeDir)];
  const kept = readJudged(dir);
  if (kept && kept.disNetRunId === disNetRunId && kept.judgeRunId === judgeRunId && kept.testImages === testImages) return kept;
  await initBackend(backend);
  const [model, disNet, judge] = await Promise.all([loadModel(dir), loadModel(disNetDir), loadModel(judgeDir)]);
  try {
    const test = mnist('test', testImages);
    const images = (await runAutoencoder(model, test.images, test.count, { images: true })).images!;
    const scores: JudgedScores = {
      testImages,
      disNetRunId,
      disNetClearScore: await meanClearScore(disNet, images, test.count),
      judgeRunId,
      judgeClearScore: await meanClearScore(judge, images, test.count),
    };
    writeFileAtomic(path.join(dir, JUDGED_FILE), JSON.stringify(scores, null, 2) + '\n');
    return scores;
  } finally {
    for (const m of [model, disNet, judge]) m.dispose();
  }
}

/** The figures of the comparison table for one (a) or (b) run. */
export async function figuresOf(dir: string, disNetDir: string, judgeDir: string, testImages: number, backend: BackendPreference): Promise<Q2bFigures> {
  const analysis: AutoencoderAnalysis | undefined = readAnalysis(dir);
  if (!analysis) throw new Error(`${dir} has no analysis (was the run cancelled?).`);
  const scores = await judgedScores(dir, disNetDir, judgeDir, testImages, backend);
  const { purity, nmi, ari, accuracy } = analysis.kmeans;
  const collapse = lastCollapse(readMetrics(dir));
  return {
    runId: path.basename(dir),
    runDir: dir,
    testL1: analysis.testL1,
    sharpness: analysis.sharpness.ratio,
    sharpnessDistance: Math.abs(1 - analysis.sharpness.ratio),
    disNetClearScore: scores.disNetClearScore,
    judgeClearScore: scores.judgeClearScore,
    kmeans: { purity, nmi, ari, accuracy },
    collapse,
  };
}

/** (b) may cost this much test L1 over (a) and still count as an improvement. */
export const L1_ALLOWANCE = 0.15;

/**
 * Judged only by figures that training never saw: the distance of the sharpness ratio from 1 (either
 * way: noise overshoots it) and the judge's clear score, with test L1 at most 15% worse. dis_net's own
 * score is given too, but (b) was trained to raise it, so it proves nothing.
 */
export function observe(rows: Q2bComparison[]): string[] {
  return rows.map(({ latent, mode, a, b }) => {
    const l1Change = (b.testL1 - a.testL1) / a.testL1;
    const sharper = b.sharpnessDistance < a.sharpnessDistance;
    const clearer = b.judgeClearScore > a.judgeClearScore;
    const l1Kept = l1Change <= L1_ALLOWANCE;
    const verdict = b.collapse ? '(b) has collapsed onto one image, and is not truly sharper than (a)' : sharper && clearer && l1Kept ? '(b) is truly sharper than (a)' : '(b) is not truly sharper than (a)';
    return (
      `L=${latent}, ${mode}: ${verdict}. Its edge strength is ${sharper ? 'closer to' : 'no closer to'} the originals' (|1 − sharpness| ${a.sharpnessDistance.toFixed(3)} → ${b.sharpnessDistance.toFixed(3)}), ` +
      `the judge finds it ${clearer ? 'clearer' : 'no clearer'} (${a.judgeClearScore.toFixed(3)} → ${b.judgeClearScore.toFixed(3)}), ` +
      `and its test L1 is ${l1Change >= 0 ? `${(100 * l1Change).toFixed(1)}% worse` : `${(-100 * l1Change).toFixed(1)}% better`} (${a.testL1.toFixed(4)} → ${b.testL1.toFixed(4)}${l1Kept ? '' : `, beyond the ${100 * L1_ALLOWANCE}% allowed`}). ` +
      `dis_net, which (b) was trained against, scores ${a.disNetClearScore.toFixed(3)} → ${b.disNetClearScore.toFixed(3)}; K-means accuracy ${a.kmeans.accuracy.toFixed(3)} → ${b.kmeans.accuracy.toFixed(3)}.`
    );
  });
}

export interface SharpenOptions {
  /** One (b) per latent size and recipe (one per mode). */
  recipes: SharpenRecipe[];
  /** Start (b) from the weights of its Q2a run (a), rather than from scratch. */
  fromQ2a: boolean;
  /** Epochs of (b): on top of (a)'s when it starts from (a). */
  epochs: number;
  /** Reuse finished runs (Q2a, dis_net, (b)) trained with exactly the same configuration. */
  reuse: boolean;
}

/** (b)'s configuration: its (a)'s, trained on with this recipe against this dis_net. */
export function sharpenedConfig(a: AutoencoderConfig, recipe: SharpenRecipe, disNetRunId: string, aRunId: string, sharpen: SharpenOptions): AutoencoderConfig {
  return { ...a, epochs: sharpen.epochs, adversarial: { ...recipe, disNetRunId, ...(sharpen.fromQ2a ? { initRunId: aRunId } : {}) } };
}

/** Whether every (b) was trained and compared: not when a run was cancelled or failed. */
export const q2bComplete = (result: Q2bResult, base: AutoencoderConfig[], sharpen: SharpenOptions) => result.comparison.length === base.length * sharpen.recipes.length;

export async function runQ2b(base: AutoencoderConfig[], disNetConfig: DisNetConfig, sharpen: SharpenOptions, ctx: JobContext): Promise<Q2bResult> {
  const q2a = await runQ2a(base, sharpen.reuse, ctx);
  const disNet = await classifierFor('trainDisNet', disNetConfig, sharpen.reuse, ctx);
  const judge = await classifierFor('trainJudge', judgeConfigOf(disNetConfig), sharpen.reuse, ctx);
  const store = new RunStore(ctx.runsDir);
  const comparison: Q2bResult['comparison'] = [];
  for (const [i, config] of base.entries()) {
    if (ctx.signal.aborted) break;
    const aRun = q2a.runs[i];
    if (aRun.status !== 'completed') break;
    const a = await figuresOf(aRun.runDir, disNet.runDir, judge.runDir, config.testImages, ctx.backend);
    for (const recipe of sharpen.recipes) {
      if (ctx.signal.aborted) break;
      const bConfig = sharpenedConfig(config, recipe, disNet.runId, aRun.runId, sharpen);
      const reusable = sharpen.reuse ? findReusable(store, bConfig) : undefined;
      if (reusable) ctx.emit({ type: 'log', level: 'info', message: `L=${config.latent} (b) ${recipe.mode}: reusing ${reusable}` });
      const bDir = reusable ?? path.join(ctx.runsDir, (await runJob({ kind: 'trainAutoencoder', config: bConfig }, ctx)).id);
      if (readRunRecord(bDir).status !== 'completed') break;
      comparison.push({
        latent: config.latent,
        mode: recipe.mode,
        a,
        b: await figuresOf(bDir, disNet.runDir, judge.runDir, config.testImages, ctx.backend),
      });
    }
  }
  return {
    q2a,
    disNet,
    judge,
    runs: comparison.map(({ latent, mode, b }) => ({ latent, mode, ...b })),
    comparison,
    observations: observe(comparison),
  };
}
