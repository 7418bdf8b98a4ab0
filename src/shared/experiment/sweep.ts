/**
 * A sweep: Q2b over a grid of settings × seeds, each point one task that runs the same command line
 * (`assignment2 q2b <flags> --seed <s>`), so that any executor (this machine, a cluster) runs the same
 * thing and the runs folder's reuse and per-job locks make a task whose runs are done a no-op.
 */
import { shellQuote } from '../shellQuote';
import { z } from '../zod';

/** A swept flag and its values, as given (e.g. --lambda 0.001,0.005,0.02). */
export const SweepAxis = z.object({ flag: z.string().regex(/^--[a-z][a-z-]*$/), values: z.array(z.string().min(1)).min(2) });
export type SweepAxis = z.infer<typeof SweepAxis>;

export const SweepGrid = z.object({
  /** The flags every task gets, as given (e.g. ['--mode', 'alternating', '--latent', '16']). */
  base: z.array(z.string()),
  axes: z.array(SweepAxis),
  seeds: z.array(z.number().int().min(0)).min(1),
});
export type SweepGrid = z.infer<typeof SweepGrid>;

export interface SweepTask {
  /** Its place in the grid, from 0: settings vary slowest, seeds fastest. */
  index: number;
  seed: number;
  /** The swept flags' values of this point, by flag. */
  setting: Record<string, string>;
  /** The q2b command line's flags for this point. */
  flags: string[];
}

/** Every point of the grid: each combination of the axes' values, for each seed. */
export function sweepTasks(grid: SweepGrid): SweepTask[] {
  let settings: Record<string, string>[] = [{}];
  for (const axis of grid.axes) settings = settings.flatMap((s) => axis.values.map((v) => ({ ...s, [axis.flag]: v })));
  return settings.flatMap((setting, i) =>
    grid.seeds.map((seed, j) => ({
      index: i * grid.seeds.length + j,
      seed,
      setting,
      flags: [...grid.base, ...Object.entries(setting).flat(), '--seed', String(seed)],
    })),
  );
}

/** A swept flag as people write it: λ and σ by their letters, others without their dashes. */
export function axisName(flag: string): string {
  return { '--lambda': 'λ', '--sigma': 'σ' }[flag] ?? flag.slice(2);
}

/** A point of the grid in words: "λ 0.02, seed 2". */
export function settingText(point: { setting: Record<string, string>; seed: number }): string {
  return [...Object.entries(point.setting).map(([flag, value]) => `${axisName(flag)} ${value}`), `seed ${point.seed}`].join(', ');
}

/** The seeds in few words: "seeds 1–8" for a run of them, else "seeds 1, 3, 5". */
function seedsText(seeds: number[]): string {
  const sorted = [...seeds].sort((a, b) => a - b);
  const contiguous = sorted.length > 2 && sorted.every((s, i) => s === sorted[0] + i);
  return `${sorted.length === 1 ? 'seed' : 'seeds'} ${contiguous ? `${sorted[0]}–${sorted.at(-1)}` : sorted.join(', ')}`;
}

/** What a grid sweeps, for a title: "λ 0.001, 0.02 × seeds 1–8". */
export function sweepLabel(grid: SweepGrid): string {
  return [...grid.axes.map((a) => `${axisName(a.flag)} ${a.values.join(', ')}`), seedsText(grid.seeds)].join(' × ');
}

/** "1-8", "1,3,5" or "1-3,7": whole numbers, each once; `null` when the text is none of these. */
export function parseSeeds(text: string): number[] | null {
  const seeds: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const range = part.match(/^(\d+)(?:-(\d+))?$/);
    if (!range) return null;
    const [from, to] = [Number(range[1]), Number(range[2] ?? range[1])];
    if (to < from) return null;
    for (let s = from; s <= to; s++) seeds.push(s);
  }
  return new Set(seeds).size === seeds.length ? seeds : null;
}

export const SWEEP_TASK_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;

/** sweep.json: the grid, and each task's state, log and runs. Written by whoever executes the sweep. */
export const SweepRecord = z.object({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^sweep-[0-9a-f]{10}$/),
  createdAt: z.string(),
  /** The command line that made it: its arguments after `npx assignment2` (see sweepCommand). */
  argv: z.array(z.string()).min(1),
  /** The runs folder its tasks train into, relative to the sweep's folder (so that the two move together). */
  runsDir: z.string().min(1),
  /** When the last submission's tasks had all ended (a cluster's finishing job sets it; a new submission clears it). */
  finishedAt: z.string().optional(),
  grid: SweepGrid,
  tasks: z.array(
    z.object({
      index: z.number().int().min(0),
      seed: z.number().int().min(0),
      setting: z.record(z.string(), z.string()),
      status: z.enum(SWEEP_TASK_STATUSES),
      /** The task's output, relative to the sweep folder. */
      log: z.string(),
      runIds: z.array(z.string()),
      error: z.string().optional(),
    }),
  ),
});
export type SweepRecord = z.infer<typeof SweepRecord>;
export const SweepTaskState = SweepRecord.shape.tasks.element;
export type SweepTaskState = z.infer<typeof SweepTaskState>;

/** The command line that made the sweep, quoted for a shell: running it again runs what is missing. */
export const sweepCommand = (record: Pick<SweepRecord, 'argv'>) => ['npx', 'assignment2', ...record.argv].map(shellQuote).join(' ');
