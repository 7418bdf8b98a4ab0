/**
 * The sbatch scripts of a sweep, as text: a job array with one array task per sweep task still to run,
 * each running `assignment2 sweep-task <dir> <index>`, and a finishing job that runs after the array
 * (`--dependency=afterany`, so that it runs even when a task failed). Pure: the options are checked
 * here, each against its flag, before anything is written or submitted.
 */
import { shellQuote } from '../../shared/shellQuote';
import { UsageError } from '../cli/flags';

export interface SlurmOptions {
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  gres?: string;
  /** Free sbatch options, each one `#SBATCH` line (e.g. --mem=8G, --qos=short). */
  extra: string[];
}

export interface SweepScripts {
  /** The job array's script and the finishing job's, the latter to be submitted depending on the former. */
  array: string;
  finish: string;
}

export interface ScriptInputs {
  /** The sweep's folder (absolute). */
  dir: string;
  sweepId: string;
  /** The sweep tasks the array runs, by index. */
  indices: number[];
  /** Node and the CLI's bin/assignment2.js, as absolute paths the cluster's nodes share. */
  node: string;
  cli: string;
  /** Flags each sweep-task gets after the task (the runs folder, the backend, the threads). */
  common: string[];
  options: SlurmOptions;
}

// Slurm's time formats: minutes, minutes:seconds, hours:minutes:seconds, days-hours,
// days-hours:minutes, days-hours:minutes:seconds.
const TIME = /^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|infinite|unlimited)$/;
const NAMES = /^[\w.-]+(,[\w.-]+)*$/;
const GRES = /^[\w.-]+(:[\w.-]+)*(,[\w.-]+(:[\w.-]+)*)*$/;
/** What the sweep sets itself: given through --sbatch, they would break the array or its logs. */
const OWN_OPTIONS = ['--array', '-a', '--output', '-o', '--error', '-e', '--dependency', '-d', '--job-name', '-J', '--open-mode', '--parsable'];

/** The Slurm options the flags give (values as parseArgs returns them, --sbatch as often as given); a bad one names its flag. */
export function slurmOptionsOf(values: Record<string, string | boolean | undefined>, sbatch: string[]): SlurmOptions {
  const text = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const partition = text('partition');
  if (partition !== undefined && !NAMES.test(partition)) throw new UsageError(`--partition ${partition} is not allowed: give a partition name, or several separated by commas.`);
  const time = text('time');
  if (time !== undefined && !TIME.test(time)) throw new UsageError(`--time ${time} is not allowed: give minutes, minutes:seconds, hours:minutes:seconds, days-hours, days-hours:minutes or days-hours:minutes:seconds (e.g. 30, 2:00:00, 1-12).`);
  const cpus = text('cpus-per-task');
  if (cpus !== undefined && (!/^\d+$/.test(cpus) || Number(cpus) < 1 || Number(cpus) > 4096)) throw new UsageError(`--cpus-per-task ${cpus} is not allowed: give a whole number from 1 to 4096.`);
  const gres = text('gres');
  if (gres !== undefined && !GRES.test(gres)) throw new UsageError(`--gres ${gres} is not allowed: give generic resources as Slurm writes them, e.g. gpu:1 or gpu:a100:2.`);
  const extra = sbatch.flatMap((given) => {
    const options = given.trim().split(/\s+/).filter(Boolean);
    if (!options.length) throw new UsageError('--sbatch "" is not allowed: give sbatch options, e.g. --sbatch="--mem=8G --qos=short".');
    for (const option of options) {
      if (!/^--?[A-Za-z]/.test(option)) throw new UsageError(`--sbatch "${given}" is not allowed: "${option}" is not an sbatch option; write each as --name=value, e.g. --mem=8G.`);
      const name = option.split('=')[0];
      if (OWN_OPTIONS.includes(name) || (/^-[aoedJ]./.test(option) && OWN_OPTIONS.includes(option.slice(0, 2)))) throw new UsageError(`--sbatch "${given}" is not allowed: the sweep sets ${name} itself.`);
    }
    return options;
  });
  return { partition, time, cpusPerTask: cpus === undefined ? undefined : Number(cpus), gres, extra };
}

/** `1,3,5-7`: the indices as Slurm's --array takes them, runs of three or more as ranges. */
export function arraySpec(indices: number[]): string {
  const sorted = [...new Set(indices)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i >= 2) parts.push(`${sorted[i]}-${sorted[j]}`);
    else parts.push(...sorted.slice(i, j + 1).map(String));
    i = j + 1;
  }
  return parts.join(',');
}

/** A value on an #SBATCH line: sbatch reads double quotes and backslash escapes there, not the shell's quoting. */
function sbatchValue(value: string): string {
  return /^[^\s"\\]+$/.test(value) ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

function resourceLines(options: SlurmOptions): string[] {
  return [
    ...(options.partition ? [`--partition=${options.partition}`] : []),
    ...(options.time ? [`--time=${options.time}`] : []),
    ...(options.cpusPerTask ? [`--cpus-per-task=${options.cpusPerTask}`] : []),
    ...(options.gres ? [`--gres=${options.gres}`] : []),
    ...options.extra,
  ];
}

function script(directives: string[], command: string, why: string): string {
  return ['#!/bin/bash', `# ${why}`, ...directives.map((d) => `#SBATCH ${d}`), '', `exec ${command}`, ''].join('\n');
}

export function sweepScripts(inputs: ScriptInputs): SweepScripts {
  const { dir, sweepId, indices, node, cli, common, options } = inputs;
  if (!indices.length) throw new Error('a job array needs at least one task');
  const logs = (name: string) => sbatchValue(`${dir}/logs/${name}`);
  const array = script(
    [`--job-name=${sweepId}`, `--array=${arraySpec(indices)}`, `--output=${logs('task-%a.log')}`, '--open-mode=append', ...resourceLines(options)],
    [...[node, cli, 'sweep-task', dir].map(shellQuote), '"$SLURM_ARRAY_TASK_ID"', ...common.map(shellQuote)].join(' '),
    `Sweep ${sweepId}: one array task per sweep task; each records its state in tasks/<index>.json.`,
  );
  // The finishing step reads files only: it needs neither the array's time nor its devices.
  const finishOptions = [...(options.partition ? [`--partition=${options.partition}`] : []), ...options.extra];
  const finish = script(
    [`--job-name=${sweepId}-finish`, `--output=${logs('finish.log')}`, '--open-mode=append', '--time=10', ...finishOptions],
    [node, cli, 'sweep-task', dir, '--finish', ...common].map(shellQuote).join(' '),
    `Sweep ${sweepId}: after every array task has ended, gathers the tasks' states into sweep.json and writes the sweep's report.`,
  );
  return { array, finish };
}
