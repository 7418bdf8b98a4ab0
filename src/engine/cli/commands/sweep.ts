/**
 * sweep: Q2b over a grid. Any q2b setting given as a comma-separated list is an axis
 * (--lambda 0.001,0.005,0.02), --seeds a list or range (1-8); each point of settings × seeds is one
 * task, the q2b command line of that point. --plan prints every task's plan and starts nothing; else
 * the tasks run on this machine, --jobs at a time, or (--executor slurm) are submitted as a Slurm job
 * array, and the sweep's folder records them. When they have all ended the sweep's report is written.
 */
import { DEFAULT_AUTOENCODER } from '../../../shared/experiment/defaults';
import { ExperimentOverrides, experimentSetups, overridesFrom } from '../../../shared/experiment/overrides';
import { clock, describePlan } from '../../../shared/experiment/plan';
import { SweepAxis, SweepGrid, SweepTask, parseSeeds, settingText, sweepTasks } from '../../../shared/experiment/sweep';
import { planExperiment } from '../../jobs/plan';
import { PlannedTask, runSweepLocally } from '../../sweep/localExecutor';
import { describeSweepReport, writeSweepReport } from '../../sweep/report/writeSweepReport';
import { submitSweepToSlurm } from '../../sweep/slurmExecutor';
import { slurmOptionsOf } from '../../sweep/slurmScript';
import { openSweep, peekSweep } from '../../sweep/sweepFolder';
import { CliCommand, Invocation } from '../command';
import { Flag, UsageError, valuesOf, withFlagNames } from '../flags';
import { LATENTS_FLAG, SHARPEN_FLAGS, TRAINING_FLAGS } from '../tables';
import { Q2B_FLAGS } from './composite';

/** The q2b settings a sweep takes, each a single value or a list to sweep over. */
const SWEPT_FLAGS: Flag[] = [...TRAINING_FLAGS.filter((f) => f.name !== '--seed'), LATENTS_FLAG, ...SHARPEN_FLAGS];
const SWEEP_FLAGS: Flag[] = [
  { name: '--seeds', path: 'options.seeds', kind: 'string', value: '<list>', help: `Seeds, e.g. 1-8 or 1,3,5; one task per seed and setting [${DEFAULT_AUTOENCODER.seed}]` },
  { name: '--jobs', path: 'options.jobs', kind: 'string', value: '<n>', help: 'Tasks run at once on this machine (each trains on every core) [1]' },
  { name: '--plan', path: 'options.plan', kind: 'boolean', help: "Print every task's plan and the total estimate; start nothing" },
  { name: '--executor', path: 'options.executor', kind: 'string', value: '<name>', help: 'local (run here) | slurm (submit a job array with sbatch) [local]' },
];
/** Passed to sbatch; only with --executor slurm. */
const SLURM_FLAGS: Flag[] = [
  { name: '--partition', path: 'options.partition', kind: 'string', value: '<name>', help: "Slurm partition [the cluster's default]" },
  { name: '--time', path: 'options.time', kind: 'string', value: '<limit>', help: "Each array task's time limit, e.g. 2:00:00 or 1-12 [the partition's]" },
  { name: '--cpus-per-task', path: 'options.cpusPerTask', kind: 'string', value: '<n>', help: "Cores per array task; its training uses that many threads [the cluster's default]" },
  { name: '--gres', path: 'options.gres', kind: 'string', value: '<list>', help: 'Generic resources per array task, e.g. gpu:1' },
  { name: '--sbatch', path: 'options.sbatch', kind: 'string', value: '<options>', help: 'More sbatch options, written after an = sign: --sbatch="--mem=8G --qos=short"; may be repeated' },
  { name: '--dry-run', path: 'options.dryRun', kind: 'boolean', help: 'Print the sbatch scripts and commands; submit nothing' },
];

/** The grid the flags give: lists are axes, single values and switches go to every task. */
function gridOf(values: Invocation['values']): SweepGrid {
  const base: string[] = [];
  const axes: SweepAxis[] = [];
  for (const flag of SWEPT_FLAGS) {
    const given = values[flag.name.slice(2)];
    if (given === undefined || given === false) continue;
    if (given === true) {
      base.push(flag.name);
      continue;
    }
    // --latent already takes a list: its sizes are trained together in each task.
    const list = flag === LATENTS_FLAG ? [given] : given.split(',').map((v) => v.trim());
    if (list.some((v) => v === '')) throw new UsageError(`${flag.name} ${given} has an empty value: separate the values with single commas.`);
    if (new Set(list).size < list.length) throw new UsageError(`${flag.name} ${given} gives a value twice.`);
    if (list.length === 1) base.push(flag.name, list[0]);
    else axes.push({ flag: flag.name, values: list });
  }
  const seedsText = values.seeds === undefined ? String(DEFAULT_AUTOENCODER.seed) : String(values.seeds);
  const seeds = parseSeeds(seedsText);
  if (!seeds) throw new UsageError(`--seeds ${seedsText} is not allowed: give whole numbers and ranges, each seed once, e.g. 1-8 or 1,3,5.`);
  return { base, axes, seeds };
}

/** A task's flags as parseArgs would give them, for the q2b flag table. */
function valuesOfFlags(flags: string[]): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (let i = 0; i < flags.length; i++) {
    const next = flags[i + 1];
    if (next === undefined || next.startsWith('--')) values[flags[i].slice(2)] = true;
    else values[flags[i].slice(2)] = flags[++i];
  }
  return values;
}

/** Every task's overrides, made (and so checked) before anything starts; an impossible value names its flag. */
export function plannedTasks(tasks: SweepTask[]): PlannedTask[] {
  return tasks.map((task) => {
    const values = valuesOfFlags(task.flags);
    const overrides: ExperimentOverrides = withFlagNames(Q2B_FLAGS, values, () => overridesFrom(valuesOf(Q2B_FLAGS, values).overrides));
    withFlagNames(Q2B_FLAGS, values, () => experimentSetups(overrides));
    return { task, overrides };
  });
}

/**
 * Each task's plan, and the total: a run that several tasks share (the (a), dis_net and judge of a seed,
 * for tasks that differ only in (b)'s settings) has one job key, and is counted once.
 */
function describeSweepPlan(planned: PlannedTask[], runsDir: string): { text: string; json: unknown } {
  const counted = new Set<string>();
  let seconds = 0;
  const lines: string[] = [];
  const plans = planned.map(({ task, overrides }) => {
    const plan = planExperiment('q2b', overrides, runsDir);
    for (const step of plan.steps) {
      if (step.action === 'train' && !counted.has(step.job)) seconds += step.seconds;
      counted.add(step.job);
    }
    lines.push(`task ${task.index}: ${settingText(task)}`, ...describePlan(plan).map((l) => `  ${l}`));
    return { task, plan };
  });
  lines.push(`${planned.length} tasks: about ${clock(seconds)} on this machine, one task at a time, each shared run trained once.`);
  return { text: lines.join('\n') + '\n', json: { tasks: plans, seconds } };
}

/** The flags of this command line that every task's process gets too (the backend, the threads). */
export function taskCommonFlags(values: Invocation['values']): string[] {
  return [...(typeof values.backend === 'string' ? ['--backend', values.backend] : []), ...(typeof values.threads === 'string' ? ['--threads', values.threads] : [])];
}

function parseJobs(values: Invocation['values']): number {
  const text = values.jobs === undefined ? '1' : String(values.jobs);
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 64) throw new UsageError(`--jobs ${text} is not allowed: give a whole number from 1 to 64.`);
  return Number(text);
}

/** Every value given to a flag that may be repeated (parseArgs keeps only the last). */
function repeated(argv: string[], name: string): string[] {
  return argv.flatMap((arg, i) => (arg === name && i + 1 < argv.length ? [argv[i + 1]] : arg.startsWith(`${name}=`) ? [arg.slice(name.length + 1)] : []));
}

function parseExecutor(values: Invocation['values']): 'local' | 'slurm' {
  const executor = values.executor === undefined ? 'local' : String(values.executor);
  if (executor !== 'local' && executor !== 'slurm') throw new UsageError(`--executor ${executor} is not allowed: give local or slurm.`);
  const misplaced = executor === 'local' ? SLURM_FLAGS.find((f) => values[f.name.slice(2)] !== undefined) : values.jobs !== undefined ? SWEEP_FLAGS.find((f) => f.name === '--jobs') : undefined;
  if (misplaced) throw new UsageError(`${misplaced.name} is for --executor ${executor === 'local' ? 'slurm' : 'local'} only.`);
  return executor;
}

/** Submits the sweep's missing tasks as a job array (or, with --dry-run, prints how). */
async function submitSweep(inv: Invocation, grid: SweepGrid, planned: PlannedTask[], common: string[]): Promise<number> {
  const options = slurmOptionsOf(inv.values, repeated(inv.argv, '--sbatch'));
  const dryRun = inv.values['dry-run'] === true;
  const { dir, record } = dryRun ? peekSweep(inv.runsDir, grid, inv.argv) : openSweep(inv.runsDir, grid, inv.argv);
  // The cores Slurm gives a task are all its training may use (ONNX Runtime would take the node's).
  const threads = options.cpusPerTask && !common.includes('--threads') ? ['--threads', String(options.cpusPerTask)] : [];
  const submitted = await submitSweepToSlurm({ dir, record, planned, runsDir: inv.runsDir, common: [...common, ...threads], options, dryRun, out: inv.out });
  // Nothing missing: the report is redrawn here, from the runs as they are, since no finishing job will.
  const report = !submitted.indices.length && !dryRun ? writeSweepReport(dir, record, inv.runsDir, inv.signal) : undefined;
  const summary = !submitted.indices.length
    ? `Sweep ${record.id}: nothing is missing, all ${record.tasks.length} tasks are done; nothing submitted (${dir}).${report ? `\n${describeSweepReport(report).trimEnd()}` : ''}`
    : dryRun
      ? `Sweep ${record.id}: would submit ${submitted.indices.length} of ${record.tasks.length} tasks (${submitted.indices.join(', ')}); nothing submitted.`
      : `Sweep ${record.id}: submitted ${submitted.indices.length} of ${record.tasks.length} tasks (${submitted.indices.join(', ')}) as job array ${submitted.arrayJobId}, and job ${submitted.finishJobId} after it; logs in ${dir}/logs.`;
  if (inv.json) inv.out(JSON.stringify({ dir, id: record.id, submitted: submitted.indices, arrayJobId: submitted.arrayJobId, finishJobId: submitted.finishJobId, dryRun, report: report?.html }, null, 2) + '\n');
  else if (dryRun) inv.err(summary + '\n');
  else inv.out(summary + '\n');
  return 0;
}

async function runSweep(inv: Invocation): Promise<number> {
  const grid = gridOf(inv.values);
  const executor = parseExecutor(inv.values);
  const jobs = parseJobs(inv.values);
  const planned = plannedTasks(sweepTasks(grid));
  if (inv.values.plan === true) {
    const { text, json } = describeSweepPlan(planned, inv.runsDir);
    inv.out(inv.json ? JSON.stringify(json, null, 2) + '\n' : text);
    return 0;
  }
  const common = taskCommonFlags(inv.values);
  if (executor === 'slurm') return submitSweep(inv, grid, planned, common);
  const { dir, record } = openSweep(inv.runsDir, grid, inv.argv);
  const done = record.tasks.filter((t) => t.status === 'completed').length;
  inv.err(`Sweep ${record.id} in ${dir}: ${record.tasks.length} tasks${done ? `, ${done} done before` : ''}.\n`);
  const ended = await runSweepLocally(dir, record, planned, {
    jobs,
    runsDir: inv.runsDir,
    common,
    signal: inv.signal,
    onEnd: (t) => inv.err(`task ${t.index} ${t.status}: ${settingText(t)}${t.error ? ` (${t.error})` : ''}\n`),
  });
  // Written over what has finished, failed tasks named in it: a sweep with a failed task still reports the rest.
  // A cancelled one stops at once instead; the same command carries it on, and writes the report then.
  const report = inv.signal.aborted ? undefined : writeSweepReport(dir, ended, inv.runsDir, inv.signal);
  const failed = ended.tasks.filter((t) => t.status !== 'completed');
  if (inv.json) inv.out(JSON.stringify({ dir, ...ended, report: report?.html }, null, 2) + '\n');
  else {
    const lines = [`Sweep ${ended.id}: ${ended.tasks.length - failed.length} of ${ended.tasks.length} tasks completed (${dir}).`, ...failed.map((t) => `  task ${t.index} ${t.status}: ${t.error ?? ''}`)];
    inv.out(lines.join('\n') + '\n' + (report ? describeSweepReport(report) : 'Cancelled: run the same command again to carry on.\n'));
  }
  if (inv.signal.aborted) return 130;
  return failed.length ? 1 : 0;
}

export const sweep: CliCommand = {
  name: 'sweep',
  summary: 'Q2b over a grid: settings given as lists (--lambda 0.001,0.005) × --seeds (1-8), one task per point, run here --jobs at a time or as a Slurm job array (--executor slurm), then a report of mean ± sd per setting; re-running it runs only what is missing.',
  flags: [...SWEPT_FLAGS, ...SWEEP_FLAGS, ...SLURM_FLAGS],
  run: (inv) => runSweep(inv),
};
