/**
 * Q2a: one autoencoder per latent size (reused when a finished, analysed run has the same
 * configuration), each analysed, plus the raw-pixel baseline and observations across sizes.
 */
import { ExperimentSetup } from '../../shared/experiment/overrides';
import { compareLatents } from '../../shared/q2a/compare';
import { AutoencoderAnalysis, PixelBaseline } from '../../runs/schema';
import { pixelBaselineFile, readAnalysis, readPixelBaseline } from '../../runs/files';
import { readRunRecord } from '../../runs/store';
import { obtainRun } from './obtain';
import { JobContext } from './jobContext';

type KMeansFigures = { purity: number; nmi: number; ari: number; accuracy: number };

export interface Q2aRunResult {
  latent: number;
  epochs: number;
  status: string;
  runId: string;
  runDir: string;
  reused: boolean;
  testL1?: number;
  sharpness?: number;
  kmeans?: KMeansFigures;
  /** K-means on a 2-D UMAP of the latents: an extra, not the answer. */
  kmeansUmap?: KMeansFigures;
}

export interface Q2aResult {
  runs: Q2aRunResult[];
  baseline?: { testImages: number; seed: number; kmeans: KMeansFigures };
  observations: string[];
}

/** The four K-means scores the tables show, without the contingency table. */
export const kmeansFigures = ({ purity, nmi, ari, accuracy }: PixelBaseline['kmeans']): KMeansFigures => ({ purity, nmi, ari, accuracy });

export async function runQ2a(setup: ExperimentSetup, ctx: JobContext): Promise<Q2aResult> {
  const runs: Q2aRunResult[] = [];
  const analyses: AutoencoderAnalysis[] = [];
  for (const config of setup.autoencoders) {
    if (ctx.signal.aborted) break;
    const { dir, reused } = await obtainRun({ kind: 'trainAutoencoder', config }, setup.sharpen.reuse, `L=${config.latent}`, ctx);
    const record = readRunRecord(dir);
    const analysis = readAnalysis(dir);
    if (analysis) analyses.push(analysis);
    runs.push({
      latent: config.latent,
      epochs: config.epochs,
      status: record.status,
      runId: record.id,
      runDir: dir,
      reused,
      testL1: analysis?.testL1,
      sharpness: analysis?.sharpness.ratio,
      kmeans: analysis && kmeansFigures(analysis.kmeans),
      kmeansUmap: analysis?.kmeansUmap && kmeansFigures(analysis.kmeansUmap),
    });
    if (record.status !== 'completed') break;
  }
  const first = setup.autoencoders[0];
  const baseline = first && readPixelBaseline(pixelBaselineFile(ctx.runsDir, first.testImages, first.seed));
  return {
    runs,
    baseline: baseline && { testImages: baseline.testImages, seed: baseline.seed, kmeans: kmeansFigures(baseline.kmeans) },
    observations: [...analyses.flatMap((a) => a.observations.map((o) => `L=${a.latent}: ${o}`)), ...compareLatents(analyses, baseline)],
  };
}

/** Whether every autoencoder of the setup finished. */
export const q2aComplete = (result: Q2aResult, setup: ExperimentSetup) => result.runs.length === setup.autoencoders.length && result.runs.every((r) => r.status === 'completed');
