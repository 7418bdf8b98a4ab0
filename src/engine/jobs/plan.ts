/**
 * The plan of a composite job (shared/experiment/plan.ts), from the runs already on disk: a run that
 * exists with exactly the planned specification is reused; a (b) can be reused only when its (a) and
 * dis_net are, since its specification names them. The times come from measured costs per batch,
 * scaled to this machine by the newest finished Q2a run when there is one.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { ExperimentOverrides, ExperimentSetup, experimentSetups } from '../../shared/experiment/overrides';
import { ExperimentKind, Plan, PlanStep } from '../../shared/experiment/plan';
import { RunListItem } from '../../runs/schema';
import { RunStore, findCompletedIn } from '../../runs/store';
import { findReusable } from './obtain';
import { sharpenedConfig } from './q2b';
import { batchesPerEpoch } from '../../shared/jobs/specs';

const batchesOf = (c: { epochs: number; trainImages: number; batchSize: number }) => c.epochs * batchesPerEpoch(c);

/**
 * Seconds per batch relative to a Q2a batch, as measured on ONNX Runtime with 2 cores (seconds per
 * epoch of 235 batches with its evaluation: Q2a 5, dis_net 7, the judge 15, (b) frozen 8.5,
 * (b) alternating 21).
 */
const BATCH_COST = { q2a: 1, disNet: 1.4, judge: 3, frozen: 1.7, alternating: 4.2 };
/** A Q2a batch with its share of the epoch's evaluation, on 2 cores: 5 s / 235. */
const SECONDS_PER_BATCH = 5 / 235;
/** Analysis after training (K-means, UMAP above 2-D, the verdict), the pixel baseline, the report. */
const AFTER_SECONDS = { q2aSmall: 8, q2aLarge: 25, q2b: 10, baseline: 25, report: 30 };

/** This machine's speed against the 2 cores the costs were measured on, from the newest finished Q2a run. */
function speedFactor(items: RunListItem[]): { factor: number; basis: string } {
  for (const item of items) {
    if (!item.ok || item.run.status !== 'completed' || item.run.job.kind !== 'trainAutoencoder' || item.run.job.config.adversarial) continue;
    const perEpoch = item.run.summary?.kind === 'training' ? item.run.summary.secondsPerEpoch : undefined;
    const { config } = item.run.job;
    if (!perEpoch || config.architecture !== 'dense') continue;
    const factor = perEpoch / (batchesPerEpoch(config) * SECONDS_PER_BATCH);
    return { factor, basis: `timed by run ${item.run.id}` };
  }
  return { factor: 1, basis: 'as measured on 2 CPU cores' };
}

/** A short, stable key of a job's description (see PlanStep.job). */
const jobKey = (job: unknown) => createHash('sha256').update(JSON.stringify(job)).digest('hex').slice(0, 16);

function seedSteps(kind: ExperimentKind, setup: ExperimentSetup, items: RunListItem[], scale: number, baselines: Set<string>): PlanStep[] {
  const { seed, sharpen } = setup;
  const reuse = sharpen.reuse;
  const steps: PlanStep[] = [];
  const add = (step: Omit<PlanStep, 'seed' | 'seconds'>, after: number) => {
    steps.push({ ...step, seed, seconds: step.action === 'reuse' ? 0 : step.batches * step.cost * SECONDS_PER_BATCH * scale + after * scale });
    return step.runId;
  };
  const aKeys = setup.autoencoders.map((config) => jobKey({ kind: 'trainAutoencoder', config }));
  const aRunIds = setup.autoencoders.map((config, i) => {
    const found = reuse ? findReusable(items, { kind: 'trainAutoencoder', config }) : undefined;
    const key = `${config.testImages}:${config.seed}`;
    const baseline = !found && !baselines.has(key) ? AFTER_SECONDS.baseline : 0;
    if (!found) baselines.add(key);
    const after = (config.latent > 2 ? AFTER_SECONDS.q2aLarge : AFTER_SECONDS.q2aSmall) + baseline;
    return add({ part: 'q2a', latent: config.latent, label: `Q2a L=${config.latent} (${config.architecture}, ${config.epochs} epochs)`, action: found ? 'reuse' : 'train', runId: found && path.basename(found), job: aKeys[i], batches: found ? 0 : batchesOf(config), cost: BATCH_COST.q2a }, after);
  });
  if (kind === 'q2a') return steps;
  const classifier = (part: 'disNet' | 'judge') => {
    const config = part === 'judge' ? setup.judge : setup.disNet;
    const found = reuse ? findReusable(items, { kind: part === 'judge' ? 'trainJudge' : 'trainDisNet', config }) : undefined;
    const label = `${part === 'judge' ? 'the judge' : 'dis_net'} (σ = ${config.blur.sigma}, ${config.epochs} epochs)`;
    return add({ part, label, action: found ? 'reuse' : 'train', runId: found && path.basename(found), job: jobKey({ kind: part, config }), batches: found ? 0 : batchesOf(config), cost: BATCH_COST[part] }, 0);
  };
  const disNetRunId = classifier('disNet');
  const disNetKey = steps.at(-1)!.job;
  classifier('judge');
  setup.autoencoders.forEach((config, i) => {
    for (const recipe of sharpen.recipes) {
      const aRunId = aRunIds[i];
      const found = aRunId && disNetRunId ? findReusable(items, { kind: 'trainAutoencoder', config: sharpenedConfig(config, recipe, disNetRunId, aRunId, sharpen) }) : undefined;
      const label = `Q2b (b) L=${config.latent} ${recipe.mode}, λ = ${recipe.lambda} (${sharpen.epochs} epochs${sharpen.fromQ2a ? ' on top of (a)' : ''})`;
      // Keyed by the keys of its (a) and dis_net where their run ids would be: it is the same run whether they exist yet or not.
      const job = jobKey({ kind: 'trainAutoencoder', config: sharpenedConfig(config, recipe, disNetKey, aKeys[i], sharpen) });
      add({ part: 'q2b', latent: config.latent, mode: recipe.mode, label, action: found ? 'reuse' : 'train', runId: found ? path.basename(found) : undefined, job, batches: found ? 0 : batchesOf({ ...config, epochs: sharpen.epochs }), cost: BATCH_COST[recipe.mode] }, AFTER_SECONDS.q2b);
    }
  });
  return steps;
}

export function planExperiment(kind: ExperimentKind, overrides: ExperimentOverrides, runsDir: string): Plan {
  // One listing of the runs folder serves every step's search.
  const items = new RunStore(runsDir).list();
  const { factor, basis } = speedFactor(items);
  const setups = experimentSetups(overrides);
  const baselines = new Set<string>();
  const steps: PlanStep[] = [];
  const first = setups[0];
  if (kind === 'all') {
    const q1 = first.sharpen.reuse ? findCompletedIn(items, { kind: 'q1Study', params: first.q1 }) : undefined;
    steps.push({ part: 'q1', seed: first.seed, label: 'Q1 study', action: q1 ? 'reuse' : 'train', runId: q1?.run.id, job: jobKey({ kind: 'q1Study', params: first.q1 }), batches: 0, cost: 0, seconds: q1 ? 0 : 1 });
  }
  for (const setup of setups) steps.push(...seedSteps(kind, setup, items, factor, baselines));
  if (kind === 'all') steps.push({ part: 'report', seed: first.seed, label: 'the report folder', action: 'write', job: 'report', batches: 0, cost: 0, seconds: AFTER_SECONDS.report * factor });
  return { kind, steps, seconds: steps.reduce((s, step) => s + step.seconds, 0), basis };
}

/** The training ahead, in the order it starts, for the command line's ETA. */
export const progressPlanOf = (plan: Plan) => ({ jobs: plan.steps.filter((s) => s.action === 'train' && s.batches > 0).map(({ batches, cost }) => ({ batches, cost })) });
