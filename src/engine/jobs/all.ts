/**
 * The main job: Q1, Q2a and Q2b on their defaults, then the report folder made from exactly those
 * runs. Finished runs with the same configuration are reused unless the caller asks for fresh ones.
 */
import * as path from 'node:path';
import { AutoencoderConfig, DisNetConfig } from '../../shared/jobs/specs';
import { Q1Params } from '../../shared/q1/params';
import { ReportSummary } from '../report/schema';
import { judgeConfigOf } from '../../shared/q2b/defaults';
import { RunStore } from '../../runs/store';
import { PlannedJob, ProgressPlan } from '../cliProgress';
import { exportReport } from '../report/exportReport';
import { collectReportInputs } from '../report/inputs';
import { packageVersions } from '../versions';
import { findReusable } from './q2a';
import { Q2bResult, SharpenOptions, q2bComplete, runQ2b, sharpenedConfig } from './q2b';
import { JobContext, runJob } from './runJob';

export interface AllOptions {
  q1: Q1Params;
  autoencoders: AutoencoderConfig[];
  disNet: DisNetConfig;
  sharpen: SharpenOptions;
  outDir: string;
  /** The command line, quoted in the report as the way to regenerate it. */
  command: string;
}

export interface AllResult {
  q1RunId: string;
  q2b: Q2bResult;
  report?: ReportSummary;
}

const batchesOf = (c: { epochs: number; trainImages: number; batchSize: number }) => c.epochs * Math.ceil(c.trainImages / c.batchSize);

/**
 * Seconds per batch relative to a Q2a batch, as measured on ONNX Runtime with 2 cores (seconds per
 * epoch of 235 batches with its evaluation: Q2a 5, dis_net 7, the judge 15, (b) frozen 8.5,
 * (b) alternating 21).
 */
const BATCH_COST = { autoencoder: 1, trainDisNet: 1.4, trainJudge: 3, frozen: 1.7, alternating: 4.2 };

/** The training ahead, in the order it starts, for the ETA: runs that will be reused cost nothing. */
export function planAll(options: AllOptions, runsDir: string): ProgressPlan {
  const store = new RunStore(runsDir);
  const reuse = options.sharpen.reuse;
  const jobs: PlannedJob[] = [];
  const aRunIds = options.autoencoders.map((config) => {
    const found = reuse ? findReusable(store, config) : undefined;
    if (!found) jobs.push({ batches: batchesOf(config), cost: BATCH_COST.autoencoder });
    return found && path.basename(found);
  });
  const plannedClassifier = (kind: 'trainDisNet' | 'trainJudge') => {
    const config = kind === 'trainJudge' ? judgeConfigOf(options.disNet) : options.disNet;
    const found = reuse ? store.findCompleted({ kind, config }) : undefined;
    if (!found) jobs.push({ batches: batchesOf(config), cost: BATCH_COST[kind] });
    return found?.run.id;
  };
  const disNetRunId = plannedClassifier('trainDisNet');
  plannedClassifier('trainJudge');
  // A (b) can be reused only if the (a) and the dis_net it is built on are.
  options.autoencoders.forEach((config, i) => {
    for (const recipe of options.sharpen.recipes) {
      const aRunId = aRunIds[i];
      const reusable = aRunId && disNetRunId && findReusable(store, sharpenedConfig(config, recipe, disNetRunId, aRunId, options.sharpen));
      if (!reusable) jobs.push({ batches: batchesOf({ ...config, epochs: options.sharpen.epochs }), cost: BATCH_COST[recipe.mode] });
    }
  });
  return { jobs };
}

export async function answerAll(options: AllOptions, ctx: JobContext): Promise<AllResult> {
  const cancelled = () => ctx.signal.aborted;
  const store = new RunStore(ctx.runsDir);
  const q1Job = { kind: 'q1Study' as const, params: options.q1 };
  const q1Found = options.sharpen.reuse ? store.findCompleted(q1Job) : undefined;
  if (q1Found) ctx.emit({ type: 'log', level: 'info', message: `Q1: reusing ${q1Found.dir}` });
  const q1RunId = q1Found?.run.id ?? (await runJob(q1Job, ctx)).id;
  const q2b = await runQ2b(options.autoencoders, options.disNet, options.sharpen, ctx);
  if (cancelled() || !q2bComplete(q2b, options.autoencoders, options.sharpen)) return { q1RunId, q2b };
  ctx.emit({ type: 'log', level: 'info', message: `Writing the report to ${path.resolve(options.outDir)}` });
  const inputs = collectReportInputs(ctx.runsDir, {
    q1: q1RunId,
    q2a: q2b.q2a.runs.map((r) => r.runId),
    disNet: q2b.disNet.runId,
    judge: q2b.judge.runId,
    q2b: q2b.comparison.map((c) => c.b.runId),
  });
  const report = await exportReport(inputs, options.outDir, {
    signal: ctx.signal,
    backend: ctx.backend,
    versions: packageVersions(),
    command: options.command,
    log: (message) => ctx.emit({ type: 'log', level: 'info', message }),
  });
  return { q1RunId, q2b, report };
}
