/**
 * The sweep report's tables, as CSV (every figure at full precision, mean and sd in columns of their
 * own) and as Markdown (mean ± sd in one cell), both from the same results.
 */
import type { Spread } from '../../../runs/schema';
import { Table } from '../../../shared/csv';
import { SWEEP_METRICS, SweepResults, axisHeaders, settingCells } from './sweepResults';

const seedList = (seeds: number[]) => seeds.join(' ');

/** Per setting, latent size and model: each figure's mean and sd over the seeds. */
export function summaryTable(results: SweepResults): Table {
  return {
    header: [...axisHeaders(results), 'latent', 'model', 'seeds', 'n', ...SWEEP_METRICS.flatMap((m) => [`${m.label} mean`, `${m.label} sd`]), 'truly sharper', 'collapsed'],
    rows: results.rows.map((r) => [
      ...settingCells(results, r.setting),
      r.latent,
      r.model,
      seedList(r.seeds),
      r.seeds.length,
      ...SWEEP_METRICS.flatMap((m) => [r.metrics[m.key].mean, r.metrics[m.key].sd]),
      r.trulySharper,
      r.collapsed,
    ]),
  };
}

const meanSd = ({ mean, sd }: Spread, n: number) => (n > 1 ? `${mean.toFixed(4)} ± ${sd.toFixed(4)}` : mean.toFixed(4));

/** The summary as report.md shows it. */
export function summaryMarkdownTable(results: SweepResults): Table {
  return {
    header: [...axisHeaders(results), 'latent', 'model', 'seeds', ...SWEEP_METRICS.map((m) => m.label), 'truly sharper', 'collapsed'],
    rows: results.rows.map((r) => [
      ...settingCells(results, r.setting),
      r.latent,
      r.model,
      seedList(r.seeds),
      ...SWEEP_METRICS.map((m) => meanSd(r.metrics[m.key], r.seeds.length)),
      r.trulySharper === undefined ? '' : `${r.trulySharper} of ${r.seeds.length}`,
      r.collapsed,
    ]),
  };
}

/** Every run of the sweep, one line each. */
export function runsTable(results: SweepResults): Table {
  return {
    header: ['task', ...axisHeaders(results), 'seed', 'latent', 'model', 'run', 'test L1', 'sharpness', '|1 − sharpness|', "judge's clear score", "dis_net's clear score", 'truly sharper', 'collapsed'],
    rows: results.runs.map((r) => [
      r.task,
      ...settingCells(results, r.setting),
      r.seed,
      r.latent,
      r.model,
      r.runId,
      r.figures.testL1,
      r.figures.sharpness,
      r.figures.sharpnessDistance,
      r.figures.judgeClearScore,
      r.figures.disNetClearScore,
      r.trulySharper,
      r.collapsed,
    ]),
  };
}
