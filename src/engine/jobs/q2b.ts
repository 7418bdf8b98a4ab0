/**
 * Q2b from the command line: dis_net (reused if a matching one finished), the Q2a runs to compare
 * against (reused), the sharpened autoencoders trained with L1 + lambda × dis_net loss, and the (a)/(b)
 * comparison per latent size: test L1, sharpness, dis_net's clear score, K-means.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { AdversarialConfig, AutoencoderAnalysis, AutoencoderConfig, BackendPreference, DisNetConfig } from '../../shared/protocol';
import { initBackend } from '../backend';
import { readAnalysis } from '../../runs/files';
import { RunStore, readRunRecord } from '../../runs/store';
import { IMAGE_SIZE } from '../data/mnist';
import { meanClearScore } from '../analysis/analyseAutoencoder';
import { reconstruct } from '../training/autoencoderModel';
import { loadModel } from '../training/modelFiles';
import { Q2aResult, findReusable, runQ2a } from './q2a';
import { JobContext, mnist, runJob } from './runJob';

export interface Q2bFigures {
  runId: string;
  runDir: string;
  testL1: number;
  sharpness: number;
  disNetClearScore: number;
  kmeans: { purity: number; nmi: number; ari: number; accuracy: number };
}

export interface Q2bResult {
  q2a: Q2aResult;
  disNet: { runId: string; runDir: string; testAccuracy?: number; confusion?: [[number, number], [number, number]]; reused: boolean };
  runs: (Q2bFigures & { latent: number })[];
  comparison: { latent: number; a: Q2bFigures; b: Q2bFigures }[];
  observations: string[];
}

/** The newest completed dis_net trained with exactly this configuration (when reusing), or a new one. */
async function disNetFor(config: DisNetConfig, reuse: boolean, ctx: JobContext): Promise<{ dir: string; reused: boolean }> {
  const found = reuse ? new RunStore(ctx.runsDir).findCompleted({ kind: 'trainDisNet', config }) : undefined;
  if (found) return { dir: found.dir, reused: true };
  const record = await runJob({ kind: 'trainDisNet', config }, ctx);
  if (record.status !== 'completed') throw new Error('dis_net training was cancelled.');
  return { dir: path.join(ctx.runsDir, record.id), reused: false };
}

/** The figures of the comparison table; (a) runs get dis_net's clear score here, (b) runs carry it. */
export async function figuresOf(dir: string, judgeDir: string, testImages: number, backend: BackendPreference): Promise<Q2bFigures> {
  const analysis: AutoencoderAnalysis | undefined = readAnalysis(dir);
  if (!analysis) throw new Error(`${dir} has no analysis (was the run cancelled?).`);
  let clear = analysis.disNetClearScore;
  if (clear === undefined) {
    await initBackend(backend);
    const [model, judge] = await Promise.all([loadModel(dir), loadModel(judgeDir)]);
    const test = mnist('test', testImages);
    const recon = tf.tidy(() => reconstruct(model, tf.tensor2d(test.images, [test.count, IMAGE_SIZE])));
    clear = await meanClearScore(judge, Float32Array.from(await recon.data()), test.count);
    tf.dispose([recon]);
    model.dispose();
    judge.dispose();
  }
  const { purity, nmi, ari, accuracy } = analysis.kmeans;
  return { runId: path.basename(dir), runDir: dir, testL1: analysis.testL1, sharpness: analysis.sharpness.ratio, disNetClearScore: clear, kmeans: { purity, nmi, ari, accuracy } };
}

export function observe(rows: Q2bResult['comparison']): string[] {
  return rows.map(({ latent, a, b }) => {
    const l1Change = (100 * (b.testL1 - a.testL1)) / a.testL1;
    const sharper = b.sharpness > a.sharpness;
    return (
      `L=${latent}: (b) is ${sharper ? 'sharper' : 'not sharper'} than (a) (sharpness ${a.sharpness.toFixed(3)} → ${b.sharpness.toFixed(3)}), ` +
      `dis_net finds it ${b.disNetClearScore > a.disNetClearScore ? 'clearer' : 'no clearer'} (${a.disNetClearScore.toFixed(3)} → ${b.disNetClearScore.toFixed(3)}), ` +
      `and its test L1 is ${l1Change >= 0 ? `${l1Change.toFixed(1)}% worse` : `${(-l1Change).toFixed(1)}% better`} (${a.testL1.toFixed(4)} → ${b.testL1.toFixed(4)}); ` +
      `K-means accuracy ${a.kmeans.accuracy.toFixed(3)} → ${b.kmeans.accuracy.toFixed(3)}.`
    );
  });
}

export interface SharpenOptions extends Omit<AdversarialConfig, 'disNetRunId' | 'initRunId'> {
  /** Start (b) from the weights of its Q2a run (a), rather than from scratch. */
  fromQ2a: boolean;
  /** Epochs of (b): on top of (a)'s when it starts from (a). */
  epochs: number;
  /** Reuse finished runs (Q2a, dis_net, (b)) trained with exactly the same configuration. */
  reuse: boolean;
}

export async function runQ2b(base: AutoencoderConfig[], disNetConfig: DisNetConfig, sharpen: SharpenOptions, ctx: JobContext): Promise<Q2bResult> {
  const q2a = await runQ2a(base, sharpen.reuse, ctx);
  const disNet = await disNetFor(disNetConfig, sharpen.reuse, ctx);
  const disNetRecord = readRunRecord(disNet.dir);
  const summary = disNetRecord.summary?.kind === 'disnet' ? disNetRecord.summary : undefined;
  const store = new RunStore(ctx.runsDir);
  const comparison: Q2bResult['comparison'] = [];
  for (const [i, config] of base.entries()) {
    if (ctx.signal.aborted) break;
    const aRun = q2a.runs[i];
    if (aRun.status !== 'completed') break;
    const bConfig: AutoencoderConfig = {
      ...config,
      epochs: sharpen.epochs,
      adversarial: {
        disNetRunId: path.basename(disNet.dir),
        lambda: sharpen.lambda,
        mode: sharpen.mode,
        ...(sharpen.fromQ2a ? { initRunId: aRun.runId } : {}),
      },
    };
    const reusable = sharpen.reuse ? findReusable(store, bConfig) : undefined;
    if (reusable) ctx.emit({ type: 'log', level: 'info', message: `L=${config.latent} (b): reusing ${reusable}` });
    const bDir = reusable ?? path.join(ctx.runsDir, (await runJob({ kind: 'trainAutoencoder', config: bConfig }, ctx)).id);
    if (readRunRecord(bDir).status !== 'completed') break;
    comparison.push({
      latent: config.latent,
      a: await figuresOf(aRun.runDir, disNet.dir, config.testImages, ctx.backend),
      b: await figuresOf(bDir, disNet.dir, config.testImages, ctx.backend),
    });
  }
  return {
    q2a,
    disNet: { runId: path.basename(disNet.dir), runDir: disNet.dir, testAccuracy: summary?.testAccuracy, confusion: summary?.confusion, reused: disNet.reused },
    runs: comparison.map(({ latent, b }) => ({ latent, ...b })),
    comparison,
    observations: observe(comparison),
  };
}
