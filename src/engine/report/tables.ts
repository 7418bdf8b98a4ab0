/**
 * The report's tables, written as CSV files (shared/csv.ts) and as Markdown (for report.md) from the
 * same rows, so the two never disagree.
 */
import type { Q2aSeedRow, Q2bSeedRow, Spread } from '../../runs/schema';
import { Cell, Table } from '../../shared/csv';
import { OPTIMIZER_NAMES } from '../../shared/q1/optimizers';
import type { Q1Study } from '../../shared/q1/studyTypes';
import type { Q2bFigures } from '../../shared/q2b/verdict';
import { ReportInputs, firstOfItsSize } from './inputs';
import { ReportResults } from './results';


/** Numbers keep 4 decimals and flags read yes/no in Markdown; the CSV keeps full precision and true/false. */
function mdCell(value: Cell): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(4);
  if (typeof value === 'boolean') return value ? '**yes**' : 'no';
  return String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function toMarkdown({ header, rows }: Table): string {
  // Header cells are escaped like the rest: a "|1 − sharpness|" column would otherwise split the header and unmake the table.
  return [`| ${header.map(mdCell).join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`)].join('\n');
}

export function q1Tables(study: Q1Study): Record<string, Table> {
  const longest = Math.max(...OPTIMIZER_NAMES.map((n) => study.runs[n].x.length));
  return {
    'q1-trajectories.csv': {
      header: ['step', ...OPTIMIZER_NAMES.map((n) => `x_${n}`)],
      rows: Array.from({ length: longest }, (_, t) => [t, ...OPTIMIZER_NAMES.map((n) => study.runs[n].x[t])]),
    },
    'q1-sweep-h.csv': {
      header: ['h', ...OPTIMIZER_NAMES.flatMap((n) => [`escaped_${n}`, `furthest_${n}`])],
      rows: study.sweepH.h.map((h, i) => [h, ...OPTIMIZER_NAMES.flatMap((n) => [study.sweepH.escaped[n][i], study.sweepH.furthest[n][i]])]),
    },
    'q1-sweep-lr.csv': {
      header: ['lr', 'largest_h_gd', 'largest_h_adam'],
      rows: study.sweepLr.lr.map((lr, i) => [lr, study.sweepLr.maxH.gd[i], study.sweepLr.maxH.adam[i]]),
    },
  };
}

export function kmeansTable(q2a: NonNullable<ReportResults['q2a']>): Table {
  const rows: Cell[][] = q2a.runs.map((r) => [`${r.latent}-D latents`, r.kmeans.accuracy, r.kmeans.nmi, r.kmeans.ari, r.kmeans.purity]);
  for (const r of q2a.runs) if (r.kmeansUmap) rows.push([`extra: a 2-D UMAP of the ${r.latent}-D latents`, r.kmeansUmap.accuracy, r.kmeansUmap.nmi, r.kmeansUmap.ari, r.kmeansUmap.purity]);
  if (q2a.baseline) rows.unshift([`raw pixels (baseline)`, q2a.baseline.kmeans.accuracy, q2a.baseline.kmeans.nmi, q2a.baseline.kmeans.ari, q2a.baseline.kmeans.purity]);
  return { header: ['Clustered', 'Accuracy (Hungarian)', 'NMI', 'ARI', 'Purity'], rows };
}

const meanSd = (name: string) => [`${name} mean`, `${name} sd`];
const spreadCells = (x: Spread): Cell[] => [x.mean, x.sd];

/** Q2a over seeds: mean and standard deviation of each figure, and how many seeds collapsed. */
export function q2aSeedsTable(rows: Q2aSeedRow[]): Table {
  return {
    header: ['Latent', 'Seeds', ...meanSd('Test L1'), ...meanSd('K-means accuracy'), ...meanSd('NMI'), 'Collapsed'],
    rows: rows.map((r) => [r.latent, r.seeds.join(' '), ...spreadCells(r.testL1), ...spreadCells(r.kmeansAccuracy), ...spreadCells(r.kmeansNmi), `${r.collapsed} of ${r.seeds.length}`]),
  };
}

/** Q2b over seeds: (a) and (b) by the figures that training never saw. */
export function q2bSeedsTable(rows: Q2bSeedRow[]): Table {
  return {
    header: ['Latent', 'Model', 'Seeds', ...meanSd('Test L1'), ...meanSd('|1 − sharpness|'), ...meanSd("Judge's clear score"), 'Collapsed'],
    rows: rows.map((r) => [r.latent, r.model, r.seeds.join(' '), ...spreadCells(r.testL1), ...spreadCells(r.sharpnessDistance), ...spreadCells(r.judgeClearScore), `${r.collapsed} of ${r.seeds.length}`]),
  };
}

export function q2aTables(inputs: ReportInputs, q2a: NonNullable<ReportResults['q2a']>): Record<string, Table> {
  return {
    'q2a-curves.csv': {
      header: ['latent', 'run_id', 'epoch', 'train_l1', 'test_l1', 'seconds'],
      rows: inputs.q2a.flatMap((r) => r.metrics.map((m) => [r.analysis.latent, r.item.run.id, m.epoch, m.trainL1, m.testL1, m.seconds])),
    },
    'q2a-kmeans.csv': kmeansTable(q2a),
    'q2a-seeds.csv': q2aSeedsTable(q2a.seeds),
    'q2a-runs.csv': {
      header: ['latent', 'run_id', 'epochs', 'final_train_l1', 'test_l1', 'seconds_per_epoch', 'sharpness_ratio', 'reconstruction_classifier_accuracy', 'collapsed'],
      rows: q2a.runs.map((r) => [r.latent, r.runId, r.epochs, r.finalTrainL1, r.testL1, r.secondsPerEpoch, r.sharpness, r.reconstructionAccuracy, r.collapse !== undefined]),
    },
  };
}

function comparisonRow(latent: number, model: string, x: Q2bFigures): Cell[] {
  return [latent, model, x.testL1, x.sharpness, x.sharpnessDistance, x.judgeClearScore, x.disNetClearScore, x.kmeans.accuracy, x.kmeans.nmi, x.collapse !== undefined];
}

/** (a) once per latent size, then its (b) of each mode. */
export function comparisonTable(q2b: NonNullable<ReportResults['q2b']>): Table {
  return {
    header: ['Latent', 'Model', 'Test L1', 'Sharpness ratio', '|1 − sharpness|', "Judge's clear score", "dis_net's clear score", 'K-means accuracy', 'NMI', 'Collapsed'],
    rows: q2b.comparison.flatMap(({ latent, mode, a, b }, i) => [
      ...(firstOfItsSize(q2b.comparison, i) ? [comparisonRow(latent, '(a) L1', a)] : []),
      comparisonRow(latent, `(b) ${mode}, λ = ${q2b.comparison[i].recipe.lambda}`, b),
    ]),
  };
}

export function q2bTables(inputs: ReportInputs, q2b: NonNullable<ReportResults['q2b']>): Record<string, Table> {
  return {
    'q2b-disnet-curve.csv': {
      header: ['epoch', 'train_cross_entropy', 'test_accuracy', 'seconds'],
      rows: inputs.disNet!.metrics.map((m) => [m.epoch, m.trainLoss, m.testAccuracy, m.seconds]),
    },
    'q2b-curves.csv': {
      header: ['latent', 'model', 'run_id', 'epoch', 'train_l1', 'test_l1', 'train_adversarial'],
      rows: inputs.q2b.flatMap(({ latent, mode, a, b }, i) => [
        ...(firstOfItsSize(inputs.q2b, i) ? a.metrics.map((m) => [latent, 'a', a.item.run.id, m.epoch, m.trainL1, m.testL1, m.trainAdversarial]) : []),
        ...b.metrics.map((m) => [latent, `b ${mode}`, b.item.run.id, m.epoch, m.trainL1, m.testL1, m.trainAdversarial]),
      ]),
    },
    'q2b-comparison.csv': comparisonTable(q2b),
    'q2b-seeds.csv': q2bSeedsTable(q2b.seeds),
  };
}
