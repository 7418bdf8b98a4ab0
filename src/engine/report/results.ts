/**
 * results.json: every number the report shows, computed once from the chosen runs. report.md, the
 * CSV files and the extension's summary are all written from this object.
 */
import { AutoencoderConfig, DisNetConfig } from '../../shared/jobs/specs';
import { BackendPreference } from '../../shared/backends';
import { KMeansScores, Q2aSeedRow, Q2bSeedRow } from '../../runs/schema';
import { MissingPart } from './schema';
import { Q1Params } from '../../shared/q1/params';
import { lastCollapse } from '../../shared/q2a/collapse';
import { compareLatents } from '../../shared/q2a/compare';
import { OPTIMIZER_NAMES, OptimizerName } from '../../shared/q1/optimizers';
import { describeOutcome } from '../../shared/q1/report';
import { runQ1Study } from '../../shared/q1/study';
import type { Q1Study } from '../../shared/q1/studyTypes';
import { kmeansFigures } from '../jobs/q2a';
import { verdictFor } from '../jobs/verdict';
import { Q2bVerdict } from '../../shared/q2b/verdict';
import type { SharpenRecipe } from '../../shared/experiment/defaults';
import { AnalysedAutoencoder, ReportInputs } from './inputs';
import { q2aSeeds, q2bSeeds } from '../../runs/seeds';

type KMeansFigures = Pick<KMeansScores, 'purity' | 'nmi' | 'ari' | 'accuracy'>;
type Classifier = { runId: string; config: DisNetConfig; testAccuracy?: number; confusion?: [[number, number], [number, number]] };

function classifier(item: ReportInputs['judge']): Classifier | undefined {
  if (!item) return undefined;
  const summary = item.item.run.summary?.kind === 'disnet' ? item.item.run.summary : undefined;
  return { runId: item.item.run.id, config: item.config, testAccuracy: summary?.testAccuracy, confusion: summary?.confusion };
}

export interface AutoencoderFigures {
  runId: string;
  latent: number;
  config: AutoencoderConfig;
  epochs: number;
  finalTrainL1?: number;
  testL1: number;
  secondsPerEpoch?: number;
  sharpness: number;
  perDigitL1: number[];
  kmeans: KMeansFigures;
  kmeansUmap?: KMeansFigures;
  projection: 'latent' | 'pca';
  reconstructionAccuracy: number;
  /** Why the finished model outputs the same image for every input, if it does. */
  collapse?: string;
}

export interface ReportResults {
  generatedAt: string;
  versions: Record<string, string>;
  missing: MissingPart[];
  q1?: {
    runId: string;
    params: Q1Params;
    outcomes: Record<OptimizerName, { outcome: string; description: string; furthest: number; certainAt: number | null }>;
    largestEscapedH: Record<OptimizerName, number | null>;
    answers: { part1: string; part2: string };
  };
  q2a?: {
    runs: AutoencoderFigures[];
    /** The same configurations over every seed that was run. */
    seeds: Q2aSeedRow[];
    baseline?: { testImages: number; seed: number; kmeans: KMeansFigures };
    observations: string[];
  };
  q2b?: {
    disNet: Classifier;
    judge?: Classifier;
    comparison: (Q2bVerdict & { recipe: SharpenRecipe; epochs: number; startedFrom?: string })[];
    seeds: Q2bSeedRow[];
    observations: string[];
  };
}

export function autoencoderFigures({ item, metrics, analysis }: AnalysedAutoencoder): AutoencoderFigures {
  const summary = item.run.summary?.kind === 'training' ? item.run.summary : undefined;
  return {
    runId: item.run.id,
    latent: analysis.latent,
    config: item.run.job.config,
    epochs: metrics.length,
    finalTrainL1: metrics.at(-1)?.trainL1,
    testL1: analysis.testL1,
    secondsPerEpoch: summary?.secondsPerEpoch,
    sharpness: analysis.sharpness.ratio,
    perDigitL1: analysis.perDigitL1,
    kmeans: kmeansFigures(analysis.kmeans),
    kmeansUmap: analysis.kmeansUmap && kmeansFigures(analysis.kmeansUmap),
    projection: analysis.projection.method,
    reconstructionAccuracy: analysis.confusions.reconstructionAccuracy,
    collapse: lastCollapse(metrics),
  };
}

/** The Q1 study, recomputed from the saved run's parameters (a fraction of a second, and always current). */
export function q1StudyOf(inputs: ReportInputs): Q1Study | undefined {
  const job = inputs.q1?.run.job;
  return job?.kind === 'q1Study' ? runQ1Study(job.params) : undefined;
}

export async function reportResults(inputs: ReportInputs, study: Q1Study | undefined, versions: Record<string, string>, backend: BackendPreference, signal: AbortSignal): Promise<ReportResults> {
  const results: ReportResults = { generatedAt: new Date().toISOString(), versions, missing: inputs.missing };
  if (inputs.q1 && study) {
    const outcomes = Object.fromEntries(
      OPTIMIZER_NAMES.map((n) => {
        const r = study.runs[n];
        return [n, { outcome: r.outcome, description: describeOutcome(r), furthest: r.furthest, certainAt: r.certainAt }];
      }),
    ) as NonNullable<ReportResults['q1']>['outcomes'];
    const largestEscapedH = Object.fromEntries(OPTIMIZER_NAMES.map((n) => [n, study.maxEscape[n].h])) as Record<OptimizerName, number | null>;
    results.q1 = { runId: inputs.q1.run.id, params: study.params, outcomes, largestEscapedH, answers: study.answer };
  }
  if (inputs.q2a.length) {
    const { baseline } = inputs;
    results.q2a = {
      runs: inputs.q2a.map(autoencoderFigures),
      seeds: q2aSeeds(inputs.completed, inputs.q2a.map((r) => r.item.run.job.config)),
      baseline: baseline && { testImages: baseline.testImages, seed: baseline.seed, kmeans: kmeansFigures(baseline.kmeans) },
      observations: [...inputs.q2a.flatMap((r) => r.analysis.observations.map((o) => `L=${r.analysis.latent}: ${o}`)), ...compareLatents(inputs.q2a.map((r) => r.analysis), baseline)],
    };
  }
  if (inputs.disNet) {
    const judgeDir = inputs.judge?.item.dir;
    const comparison: NonNullable<ReportResults['q2b']>['comparison'] = [];
    for (const { latent, mode, a, b } of judgeDir ? inputs.q2b : []) {
      if (signal.aborted) throw new Error('Report export was cancelled.');
      const { disNetRunId: _, initRunId, ...recipe } = b.item.run.job.config.adversarial!;
      const testImages = b.item.run.job.config.testImages;
      comparison.push({
        recipe,
        epochs: b.metrics.length,
        startedFrom: initRunId,
        ...(await verdictFor(a.item.dir, b.item.dir, latent, mode, { disNetDir: inputs.disNet.item.dir, judgeDir: judgeDir!, testImages, backend })),
      });
    }
    const seeds = q2bSeeds(inputs.completed, inputs.q2b.map((r) => r.b.item.run.job.config));
    results.q2b = { disNet: classifier(inputs.disNet)!, judge: classifier(inputs.judge), comparison, seeds, observations: comparison.map((c) => c.observation) };
  }
  return results;
}
