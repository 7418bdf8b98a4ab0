/**
 * The figures of a sweep, from the verdicts its (b) runs were judged with (verdict.json: (a)'s and
 * (b)'s test L1, |1 − sharpness| and the judge's clear score, all on held-out images), gathered per
 * task and summarised per setting over the seeds. Every number the sweep's report shows is here.
 */
import * as path from 'node:path';
import type { Spread } from '../../../runs/schema';
import { readVerdict } from '../../../runs/files';
import { spread } from '../../../runs/seeds';
import { SweepRecord, axisName, settingText, sweepCommand } from '../../../shared/experiment/sweep';
import type { Q2bFigures } from '../../../shared/q2b/verdict';

export const SWEEP_MODELS = ['(a)', '(b) frozen', '(b) alternating'] as const;
export type SweepModel = (typeof SWEEP_MODELS)[number];

/** The figures the sweep's report follows over seeds and settings. */
export const SWEEP_METRICS = [
  { key: 'testL1', label: 'test L1', file: 'test-l1' },
  { key: 'sharpnessDistance', label: '|1 − sharpness|', file: 'sharpness-distance' },
  { key: 'judgeClearScore', label: "judge's clear score", file: 'judge-score' },
] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number]['key'];

/** One model of one task: (a), or a (b) with the verdict against it. */
export interface SweepRun {
  task: number;
  setting: Record<string, string>;
  seed: number;
  latent: number;
  model: SweepModel;
  runId: string;
  figures: Pick<Q2bFigures, SweepMetric | 'sharpness' | 'disNetClearScore'>;
  collapsed: boolean;
  /** For a (b): whether it is truly sharper than its (a). */
  trulySharper?: boolean;
}

/** One setting's model over the seeds. */
export interface SweepRow {
  setting: Record<string, string>;
  latent: number;
  model: SweepModel;
  seeds: number[];
  metrics: Record<SweepMetric, Spread>;
  collapsed: number;
  /** For a (b): in how many seeds it is truly sharper than its (a). */
  trulySharper?: number;
}

export interface SweepResults {
  generatedAt: string;
  id: string;
  command: string;
  /** The swept flags, in the grid's order, and their values. */
  axes: SweepRecord['grid']['axes'];
  base: string[];
  seeds: number[];
  tasks: { total: number; completed: number };
  rows: SweepRow[];
  runs: SweepRun[];
  /** What the report lacks, and why: unfinished tasks (with their logs) and runs that cannot be read. */
  gaps: string[];
}

const modelOf = (mode: 'frozen' | 'alternating'): SweepModel => (mode === 'frozen' ? '(b) frozen' : '(b) alternating');

function sweepRun(task: SweepRecord['tasks'][number], latent: number, model: SweepModel, figures: Q2bFigures, trulySharper?: boolean): SweepRun {
  const { testL1, sharpness, sharpnessDistance, disNetClearScore, judgeClearScore } = figures;
  return { task: task.index, setting: task.setting, seed: task.seed, latent, model, runId: figures.runId, figures: { testL1, sharpness, sharpnessDistance, disNetClearScore, judgeClearScore }, collapsed: Boolean(figures.collapse), trulySharper };
}

/** Every completed task's (a) and (b) runs, by their verdicts; what cannot be read is named in `gaps`. */
function gatherRuns(dir: string, record: SweepRecord, runsDir: string, gaps: string[]): SweepRun[] {
  const runs: SweepRun[] = [];
  for (const task of record.tasks) {
    const where = `task ${task.index} (${settingText(task)})`;
    if (task.status !== 'completed') {
      gaps.push(`${where} is ${task.status}${task.error ? `: ${task.error}` : `; see ${path.join(dir, task.log)}`}`);
      continue;
    }
    const verdicts = task.runIds.flatMap((id) => {
      const verdict = readVerdict(path.join(runsDir, id));
      return verdict ? [verdict] : [];
    });
    if (!verdicts.length) gaps.push(`${where}: none of its runs (${task.runIds.join(', ')}) has a verdict in ${runsDir}; run the sweep again to train what is missing.`);
    const seenA = new Set<string>();
    for (const v of verdicts) {
      // Two modes of one task start from the same (a): it counts once.
      if (!seenA.has(v.a.runId)) runs.push(sweepRun(task, v.latent, '(a)', v.a));
      seenA.add(v.a.runId);
      runs.push(sweepRun(task, v.latent, modelOf(v.mode), v.b, v.trulySharper));
    }
  }
  return runs;
}

/** One row per setting, latent size and model, in the grid's order: (a) before its (b) runs. */
function summarise(runs: SweepRun[]): SweepRow[] {
  const groups = new Map<string, SweepRun[]>();
  const modelOrder = (m: SweepModel) => SWEEP_MODELS.indexOf(m);
  for (const run of runs) {
    const key = JSON.stringify([run.setting, run.latent, run.model]);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  const rows = [...groups.values()].map((group): SweepRow => {
    const { setting, latent, model } = group[0];
    const isB = model !== '(a)';
    return {
      setting,
      latent,
      model,
      seeds: group.map((r) => r.seed).sort((a, b) => a - b),
      metrics: Object.fromEntries(SWEEP_METRICS.map(({ key }) => [key, spread(group.map((r) => r.figures[key]))])) as SweepRow['metrics'],
      collapsed: group.filter((r) => r.collapsed).length,
      trulySharper: isB ? group.filter((r) => r.trulySharper).length : undefined,
    };
  });
  // Settings in the order of their first task (the order runs were gathered in); within one, by latent size and model.
  const firstRowOf = new Map<string, number>();
  rows.forEach((r, i) => {
    const key = JSON.stringify(r.setting);
    if (!firstRowOf.has(key)) firstRowOf.set(key, i);
  });
  const settingOrder = (r: SweepRow) => firstRowOf.get(JSON.stringify(r.setting))!;
  return rows.sort((x, y) => settingOrder(x) - settingOrder(y) || x.latent - y.latent || modelOrder(x.model) - modelOrder(y.model));
}

export function sweepResults(dir: string, record: SweepRecord, runsDir: string): SweepResults {
  const gaps: string[] = [];
  const runs = gatherRuns(dir, record, runsDir, gaps);
  return {
    generatedAt: new Date().toISOString(),
    id: record.id,
    command: sweepCommand(record),
    axes: record.grid.axes,
    base: record.grid.base,
    seeds: record.grid.seeds,
    tasks: { total: record.tasks.length, completed: record.tasks.filter((t) => t.status === 'completed').length },
    rows: summarise(runs),
    runs,
    gaps,
  };
}

/** The setting as the report's tables show it: one cell per swept flag. */
export const settingCells = (results: Pick<SweepResults, 'axes'>, setting: Record<string, string>) => results.axes.map((a) => setting[a.flag]);
export const axisHeaders = (results: Pick<SweepResults, 'axes'>) => results.axes.map((a) => axisName(a.flag));
