/**
 * sweep: Q2b over a grid. Any q2b setting given as a comma-separated list is an axis
 * (--lambda 0.001,0.005,0.02), --seeds a list or range (1-8); each point of settings × seeds is one
 * task, the q2b command line of that point. --plan prints every task's plan and starts nothing; else
 * the tasks run on this machine, --jobs at a time, and the sweep's folder records them.
 */
import { DEFAULT_AUTOENCODER } from '../../../shared/experiment/defaults';
import { ExperimentOverrides, experimentSetups, overridesFrom } from '../../../shared/experiment/overrides';
import { clock, describePlan } from '../../../shared/experiment/plan';
import { SweepAxis, SweepGrid, SweepTask, parseSeeds, sweepTasks } from '../../../shared/experiment/sweep';
import { planExperiment } from '../../jobs/plan';
import { PlannedTask, runSweepLocally } from '../../sweep/localExecutor';
import { openSweep } from '../../sweep/sweepFolder';
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
function plannedTasks(tasks: SweepTask[]): PlannedTask[] {
  return tasks.map((task) => {
    const values = valuesOfFlags(task.flags);
    const overrides: ExperimentOverrides = withFlagNames(Q2B_FLAGS, values, () => overridesFrom(valuesOf(Q2B_FLAGS, values).overrides));
    withFlagNames(Q2B_FLAGS, values, () => experimentSetups(overrides));
    return { task, overrides };
  });
}

const settingText = (task: SweepTask) => [...Object.entries(task.setting).map(([flag, value]) => `${flag} ${value}`), `seed ${task.seed}`].join(', ');

/**
 * Each task's plan, and the total: a run that several tasks share (the (a), dis_net and judge of a seed,
 * for tasks that differ only in (b)'s settings) is counted once, where the first task trains it.
 */
function describeSweepPlan(planned: PlannedTask[], runsDir: string): { text: string; json: unknown } {
  const sharpenFlags = new Set(SHARPEN_FLAGS.map((f) => f.name));
  const seen = new Set<string>();
  let seconds = 0;
  const lines: string[] = [];
  const plans = planned.map(({ task, overrides }) => {
    const plan = planExperiment('q2b', overrides, runsDir);
    const sharedSetting = Object.entries(task.setting).filter(([flag]) => !sharpenFlags.has(flag) || flag === '--sigma');
    for (const step of plan.steps) {
      const key = JSON.stringify([step.part, step.seed, step.label, step.part === 'q2b' ? task.setting : sharedSetting]);
      if (step.action === 'train' && !seen.has(key)) seconds += step.seconds;
      seen.add(key);
    }
    lines.push(`task ${task.index}: ${settingText(task)}`, ...describePlan(plan).map((l) => `  ${l}`));
    return { task, plan };
  });
  lines.push(`${planned.length} tasks: about ${clock(seconds)} on this machine, one task at a time, each shared run trained once.`);
  return { text: lines.join('\n') + '\n', json: { tasks: plans, seconds } };
}

function parseJobs(values: Invocation['values']): number {
  const text = values.jobs === undefined ? '1' : String(values.jobs);
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 64) throw new UsageError(`--jobs ${text} is not allowed: give a whole number from 1 to 64.`);
  return Number(text);
}

async function runSweep(inv: Invocation): Promise<number> {
  const grid = gridOf(inv.values);
  const jobs = parseJobs(inv.values);
  const planned = plannedTasks(sweepTasks(grid));
  if (inv.values.plan === true) {
    const { text, json } = describeSweepPlan(planned, inv.runsDir);
    inv.out(inv.json ? JSON.stringify(json, null, 2) + '\n' : text);
    return 0;
  }
  const { dir, record } = openSweep(inv.runsDir, grid, ['npx assignment2', ...inv.argv].join(' '));
  const done = record.tasks.filter((t) => t.status === 'completed').length;
  inv.err(`Sweep ${record.id} in ${dir}: ${record.tasks.length} tasks${done ? `, ${done} done before` : ''}.\n`);
  const common = [...(typeof inv.values.backend === 'string' ? ['--backend', inv.values.backend] : []), ...(typeof inv.values.threads === 'string' ? ['--threads', inv.values.threads] : [])];
  const ended = await runSweepLocally(dir, record, planned, {
    jobs,
    runsDir: inv.runsDir,
    common,
    signal: inv.signal,
    onEnd: (t) => inv.err(`task ${t.index} ${t.status}: ${settingText(planned[t.index].task)}${t.error ? ` (${t.error})` : ''}\n`),
  });
  const failed = ended.tasks.filter((t) => t.status !== 'completed');
  if (inv.json) inv.out(JSON.stringify({ dir, ...ended }, null, 2) + '\n');
  else inv.out([`Sweep ${ended.id}: ${ended.tasks.length - failed.length} of ${ended.tasks.length} tasks completed (${dir}).`, ...failed.map((t) => `  task ${t.index} ${t.status}: ${t.error ?? ''}`)].join('\n') + '\n');
  if (inv.signal.aborted) return 130;
  return failed.length ? 1 : 0;
}

export const sweep: CliCommand = {
  name: 'sweep',
  summary: 'Q2b over a grid: settings given as lists (--lambda 0.001,0.005) × --seeds (1-8), one task per point, run here --jobs at a time; re-running it runs only what is missing.',
  flags: [...SWEPT_FLAGS, ...SWEEP_FLAGS],
  run: (inv) => runSweep(inv),
};
