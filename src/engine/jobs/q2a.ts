/**
 * Q2a from the command line: one autoencoder per latent size (reusing finished runs with the same
 * configuration when asked), each analysed, plus the raw-pixel baseline and observations across sizes.
 */
import * as path from 'node:path';
import { AutoencoderAnalysis, PixelBaseline } from '../../runs/schema';
import { AutoencoderConfig } from '../../shared/jobs/specs';
import { compareLatents } from '../../shared/q2a/compare';
import { RunStore, readRunRecord } from '../../runs/store';
import { pixelBaselineFile, readAnalysis, readPixelBaseline } from '../../runs/files';
import { JobContext, runJob } from './runJob';

export interface Q2aRunResult {
  latent: number;
  epochs: number;
  status: string;
  runId: string;
  runDir: string;
  reused: boolean;
  testL1?: number;
  sharpness?: number;
  kmeans?: { purity: number; nmi: number; ari: number; accuracy: number };
  /** K-means on a 2-D UMAP of the latents: an extra, not the answer. */
  kmeansUmap?: { purity: number; nmi: number; ari: number; accuracy: number };
}

export interface Q2aResult {
  runs: Q2aRunResult[];
  baseline?: { testImages: number; seed: number; kmeans: { purity: number; nmi: number; ari: number; accuracy: number } };
  observations: string[];
}

/** A completed, analysed run trained with exactly this configuration. */
export function findReusable(store: RunStore, config: AutoencoderConfig): string | undefined {
  return store.findCompleted({ kind: 'trainAutoencoder', config }, (dir) => readAnalysis(dir) !== undefined)?.dir;
}

/** The four K-means scores the tables show, without the contingency table. */
export const kmeansFigures = ({ purity, nmi, ari, accuracy }: PixelBaseline['kmeans']) => ({ purity, nmi, ari, accuracy });

export async function runQ2a(configs: AutoencoderConfig[], reuse: boolean, ctx: JobContext): Promise<Q2aResult> {
  const store = new RunStore(ctx.runsDir);
  const runs: Q2aRunResult[] = [];
  const analyses: AutoencoderAnalysis[] = [];
  for (const config of configs) {
    if (ctx.signal.aborted) break;
    const reusable = reuse ? findReusable(store, config) : undefined;
    if (reusable) ctx.emit({ type: 'log', level: 'info', message: `L=${config.latent}: reusing ${reusable}` });
    const dir = reusable ?? path.join(ctx.runsDir, (await runJob({ kind: 'trainAutoencoder', config }, ctx)).id);
    const record = readRunRecord(dir);
    const analysis = readAnalysis(dir);
    if (analysis) analyses.push(analysis);
    runs.push({
      latent: config.latent,
      epochs: config.epochs,
      status: record.status,
      runId: record.id,
      runDir: dir,
      reused: reusable !== undefined,
      testL1: analysis?.testL1,
      sharpness: analysis?.sharpness.ratio,
      kmeans: analysis && kmeansFigures(analysis.kmeans),
      kmeansUmap: analysis?.kmeansUmap && kmeansFigures(analysis.kmeansUmap),
    });
  }
  const first = configs[0];
  const baseline = first && readPixelBaseline(pixelBaselineFile(ctx.runsDir, first.testImages, first.seed));
  return {
    runs,
    baseline: baseline && { testImages: baseline.testImages, seed: baseline.seed, kmeans: kmeansFigures(baseline.kmeans) },
    observations: [...analyses.flatMap((a) => a.observations.map((o) => `L=${a.latent}: ${o}`)), ...compareLatents(analyses, baseline)],
  };
}
