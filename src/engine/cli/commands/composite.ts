/**
 * q2a, q2b and all: the composite jobs of the engine (jobs/experiment.ts) with the flags as overrides.
 * --plan prints the engine's plan and starts nothing.
 */
import { experimentSetups } from '../../../shared/experiment/overrides';
import { ExperimentKind, clock, describePlan } from '../../../shared/experiment/plan';
import { progressPrinter } from '../../cliProgress';
import { ExperimentResult, runExperiment } from '../../jobs/experiment';
import { planExperiment, progressPlanOf } from '../../jobs/plan';
import { CliCommand, Invocation } from '../command';
import { describeQ2a, describeQ2aSeeds, describeQ2b, describeQ2bSeeds, describeReport } from '../describe';
import { Flag, withFlagNames } from '../flags';
import { COMPOSITE_FLAGS, LATENTS_FLAG, OUT_FLAG, SHARPEN_FLAGS, TRAINING_FLAGS } from '../tables';
import { outDirOf, overridesOf } from './overrides';

const overSeeds = 'Over seeds (mean ± sample standard deviation):';

function describeResult(result: ExperimentResult): string {
  const many = result.bySeed.length > 1;
  if (result.kind === 'all') return result.report ? describeReport(result.report) : '';
  const parts = result.bySeed.map(({ seed, q2a, q2b }) => `${many ? `Seed ${seed}\n` : ''}${q2b ? describeQ2b(q2b) : describeQ2a(q2a)}`);
  if (result.kind === 'q2a' && many) parts.push(`${overSeeds}\n${describeQ2aSeeds(result.q2aSeeds)}`);
  if (result.kind === 'q2b' && result.q2bSeeds.some((r) => r.seeds.length > 1)) parts.push(`${overSeeds}\n${describeQ2bSeeds(result.q2bSeeds)}`);
  return parts.join('\n\n') + '\n';
}

async function runComposite(kind: ExperimentKind, flags: Flag[], inv: Invocation): Promise<number> {
  const { overrides, options } = overridesOf(flags, inv);
  // Every seed's configurations are made (and so checked) before the plan or anything else.
  withFlagNames(flags, inv.values, () => experimentSetups(overrides));
  const outDir = outDirOf(options);
  const plan = planExperiment(kind, overrides, inv.runsDir);
  if (options.plan) {
    inv.out(inv.json ? JSON.stringify(plan, null, 2) + '\n' : describePlan(plan).join('\n') + '\n');
    return 0;
  }
  const started = Date.now();
  const command = ['npx assignment2', ...inv.argv].join(' ');
  const result = await runExperiment({ kind, overrides, outDir, command }, inv.context(progressPrinter(progressPlanOf(plan))));
  if (!result.completed) {
    inv.err('Cancelled; the finished runs are kept and reused next time.\n');
    return 130;
  }
  inv.err(`Done in ${clock((Date.now() - started) / 1000)}.\n`);
  inv.out(inv.json ? JSON.stringify(result, null, 2) + '\n' : describeResult(result));
  return 0;
}

const Q2A_FLAGS = [...TRAINING_FLAGS, LATENTS_FLAG, ...COMPOSITE_FLAGS];
export const Q2B_FLAGS = [...Q2A_FLAGS, ...SHARPEN_FLAGS];
const ALL_FLAGS = [...Q2B_FLAGS, OUT_FLAG];

export const q2a: CliCommand = {
  name: 'q2a',
  summary: 'Q2a: one autoencoder per latent size, each analysed (K-means, projection, sharpness, reconstructions), compared with K-means on raw pixels.',
  flags: Q2A_FLAGS,
  run: (inv) => runComposite('q2a', Q2A_FLAGS, inv),
};

export const q2b: CliCommand = {
  name: 'q2b',
  summary: "Q2b: the Q2a runs, dis_net and the judge, then autoencoders trained with L1 + λ × dis_net loss, each judged against its (a).",
  flags: Q2B_FLAGS,
  run: (inv) => runComposite('q2b', Q2B_FLAGS, inv),
};

export const all: CliCommand = {
  name: 'all',
  summary: 'The whole assignment: Q1, Q2a and Q2b on the defaults, then the report folder (report.md, figures, results.json, CSV files). Reuses finished runs.',
  flags: ALL_FLAGS,
  run: (inv) => runComposite('all', ALL_FLAGS, inv),
};
