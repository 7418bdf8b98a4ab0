/**
 * Q2b from the command line: dis_net (reused if a matching one finished), the Q2a runs to compare
 * against (reused), the sharpened autoencoders trained with L1 + lambda × dis_net loss, and the (a)/(b)
 * comparison per latent size: test L1, sharpness, dis_net's clear score, K-means.
 */
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { AdversarialConfig, AutoencoderAnalysis, AutoencoderConfig, DisNetConfig } from '../../shared/protocol';
import { readAnalysis } from '../../runs/files';
import { RunStore, readRunRecord } from '../../runs/store';
import { IMAGE_SIZE } from '../data/mnist';
import { meanClearScore } from '../analysis/analyseAutoencoder';
import { reconstruct } from '../training/autoencoderModel';
import { loadModel } from '../training/modelFiles';
import { runQ2a } from './q2a';
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
  disNet: { runId: string; runDir: string; testAccuracy?: number; confusion?: [[number, number], [number, number]]; reused: boolean };
  runs: (Q2bFigures & { latent: number })[];
  comparison: { latent: number; a: Q2bFigures; b: Q2bFigures }[];
  observations: string[];
}

/** The newest completed dis_net trained with exactly this configuration, or a new one. */
async function disNetFor(config: DisNetConfig, ctx: JobContext): Promise<{ dir: string; reused: boolean }> {
  const found = new RunStore(ctx.runsDir).findCompleted({ kind: 'trainDisNet', config });
  if (found) return { dir: found.dir, reused: true };
  const record = await runJob({ kind: 'trainDisNet', config }, ctx);
  if (record.status !== 'completed') throw new Error('dis_net training was cancelled.');
  return { dir: path.join(ctx.runsDir, record.id), reused: false };
}

/** The figures of the comparison table; (a) runs get dis_net's clear score here, (b) runs carry it. */
async function figuresOf(dir: string, judgeDir: string, testImages: number): Promise<Q2bFigures> {
  const analysis: AutoencoderAnalysis | undefined = readAnalysis(dir);
  if (!analysis) throw new Error(`${dir} has no analysis (was the run cancelled?).`);
  let clear = analysis.disNetClearScore;
  if (clear === undefined) {
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

function observe(rows: Q2bResult['comparison']): string[] {
  return rows.map(({ latent, a, b }) => {
    const l1Change = (100 * (b.testL1 - a.testL1)) / a.testL1;
    const sharper = b.sharpness > a.sharpness;
    return (
      `L=${latent}: (b) is ${sharper ? 'sharper' : 'not sharper'} than (a) (sharpness ${a.sharpness.toFixed(2)} → ${b.sharpness.toFixed(2)}), ` +
      `dis_net finds it ${b.disNetClearScore > a.disNetClearScore ? 'clearer' : 'no clearer'} (${a.disNetClearScore.toFixed(3)} → ${b.disNetClearScore.toFixed(3)}), ` +
      `and its test L1 is ${l1Change >= 0 ? `${l1Change.toFixed(1)}% worse` : `${(-l1Change).toFixed(1)}% better`} (${a.testL1.toFixed(4)} → ${b.testL1.toFixed(4)}); ` +
      `K-means accuracy ${a.kmeans.accuracy.toFixed(3)} → ${b.kmeans.accuracy.toFixed(3)}.`
    );
  });
}

export async function runQ2b(
  base: AutoencoderConfig[],
  disNetConfig: DisNetConfig,
  adversarial: Omit<AdversarialConfig, 'disNetRunId' | 'initRunId'> & { fromQ2a: boolean },
  ctx: JobContext,
): Promise<Q2bResult> {
  const disNet = await disNetFor(disNetConfig, ctx);
  const disNetRecord = readRunRecord(disNet.dir);
  const summary = disNetRecord.summary?.kind === 'disnet' ? disNetRecord.summary : undefined;
  const q2a = await runQ2a(base, true, ctx);
  const comparison: Q2bResult['comparison'] = [];
  for (const [i, config] of base.entries()) {
    if (ctx.signal.aborted) break;
    const aRun = q2a.runs[i];
    const bConfig: AutoencoderConfig = {
      ...config,
      adversarial: {
        disNetRunId: path.basename(disNet.dir),
        lambda: adversarial.lambda,
        mode: adversarial.mode,
        ...(adversarial.fromQ2a ? { initRunId: aRun.runId } : {}),
      },
    };
    const bRecord = await runJob({ kind: 'trainAutoencoder', config: bConfig }, ctx);
    if (bRecord.status !== 'completed') break;
    comparison.push({
      latent: config.latent,
      a: await figuresOf(aRun.runDir, disNet.dir, config.testImages),
      b: await figuresOf(path.join(ctx.runsDir, bRecord.id), disNet.dir, config.testImages),
    });
  }
  return {
    disNet: { runId: path.basename(disNet.dir), runDir: disNet.dir, testAccuracy: summary?.testAccuracy, confusion: summary?.confusion, reused: disNet.reused },
    runs: comparison.map(({ latent, b }) => ({ latent, ...b })),
    comparison,
    observations: observe(comparison),
  };
}
