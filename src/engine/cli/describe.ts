/** The command line's text output: the results of each command in words and tables. */
import { BackendInfo } from '../../shared/backends';
import { meanSd } from '../../shared/format';
import { buildLandscape } from '../../shared/q1/landscape';
import { OPTIMIZER_NAMES } from '../../shared/q1/optimizers';
import { describeOutcome } from '../../shared/q1/report';
import type { Q1Study } from '../../shared/q1/studyTypes';
import { Q2aSeedRow, Q2bSeedRow } from '../../runs/schema';
import { Q2aResult } from '../jobs/q2a';
import { Q2bResult } from '../jobs/q2b';
import { ReportSummary } from '../report/schema';

export function describeQ2aSeeds(rows: Q2aSeedRow[]): string {
  return rows
    .map((r) => `L=${String(r.latent).padEnd(4)} seeds ${r.seeds.join(',')}: test L1 ${meanSd(r.testL1, 4)}  K-means acc ${meanSd(r.kmeansAccuracy, 3)}  NMI ${meanSd(r.kmeansNmi, 3)}  collapsed ${r.collapsed}/${r.seeds.length}`)
    .join('\n');
}

export function describeQ2bSeeds(rows: Q2bSeedRow[]): string {
  return rows
    .map((r) => `L=${String(r.latent).padEnd(4)} ${r.model} seeds ${r.seeds.join(',')}: test L1 ${meanSd(r.testL1, 4)}  |1 − sharpness| ${meanSd(r.sharpnessDistance, 3)}  judge ${meanSd(r.judgeClearScore, 3)}  collapsed ${r.collapsed}/${r.seeds.length}`)
    .join('\n');
}

export function describeQ2a(result: Q2aResult): string {
  const rows = result.runs.map(
    (r) =>
      `L=${String(r.latent).padEnd(4)} ${r.status.padEnd(9)} test L1 ${r.testL1?.toFixed(4) ?? '—'}  sharpness ${r.sharpness?.toFixed(2) ?? '—'}  ` +
      `K-means acc ${r.kmeans?.accuracy.toFixed(3) ?? '—'} NMI ${r.kmeans?.nmi.toFixed(3) ?? '—'}${r.reused ? '  (reused)' : ''}  ${r.runDir}`,
  );
  for (const r of result.runs) {
    if (r.kmeansUmap) rows.push(`L=${String(r.latent).padEnd(4)} extra: K-means on a 2-D UMAP of the latents: acc ${r.kmeansUmap.accuracy.toFixed(3)} NMI ${r.kmeansUmap.nmi.toFixed(3)}`);
  }
  const b = result.baseline?.kmeans;
  if (b) rows.push(`pixels   K-means acc ${b.accuracy.toFixed(3)} NMI ${b.nmi.toFixed(3)} purity ${b.purity.toFixed(3)} ARI ${b.ari.toFixed(3)}`);
  return [...rows, '', ...result.observations].join('\n');
}

export function describeQ2b(result: Q2bResult): string {
  const accuracy = (c?: { testAccuracy?: number }) => `${((c?.testAccuracy ?? 0) * 100).toFixed(3)}%`;
  return [`dis_net ${result.disNet?.runId}: test accuracy ${accuracy(result.disNet)}`, `judge ${result.judge?.runId}: test accuracy ${accuracy(result.judge)}`, ...result.observations].join('\n');
}

export function describeBackend(info: BackendInfo): string {
  const lines = [`Backend: ${info.chosen}${info.device ? ` (${info.device})` : ''}`];
  for (const c of info.candidates) lines.push(`  ${c.name.padEnd(15)} ${c.status.padEnd(12)} ${c.reason}`);
  if (info.onnx) {
    lines.push(`ONNX Runtime's provider: ${info.onnx.provider}, ${info.onnx.threads} thread${info.onnx.threads === 1 ? '' : 's'} (tfjs ${info.onnx.tfjs} for model files)`);
    for (const c of info.onnx.providers) lines.push(`  ${c.name.padEnd(15)} ${c.status.padEnd(12)} ${c.reason}`);
  }
  lines.push(`Versions: ${Object.entries(info.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  return lines.join('\n');
}

export function describeReport(summary: ReportSummary): string {
  const lines = [`Report: ${summary.reportFile}`, `  ${summary.figures.length} figures, ${summary.tables.length} CSV tables, results.json`, `  For a browser (and its print to PDF): ${summary.htmlFile}`];
  if (summary.missing.length) lines.push('Missing parts:', ...summary.missing.map((m) => `  ${m.message}`), 'Run "npx assignment2 all" to produce them.');
  return lines.join('\n') + '\n';
}

/** The Q1 study as JSON: per optimizer its verdict and trajectory (t, x, f), plus sweeps and answers. */
export function q1Json(study: Q1Study, runDir: string) {
  const land = buildLandscape(study.params.landscape);
  const optimizer = (name: (typeof OPTIMIZER_NAMES)[number]) => {
    const { x, ...run } = study.runs[name];
    return {
      ...run,
      verdict: describeOutcome(study.runs[name]),
      maxEscapeHeight: study.maxEscape[name].h,
      // The bisection's last escaping and first stuck height, with their runs.
      maxEscape: study.maxEscape[name],
      trajectory: x.map((xt, t) => ({ t, x: xt, f: land.f(xt) })),
    };
  };
  return {
    runDir,
    params: study.params,
    landscape: study.landscape,
    ...Object.fromEntries(OPTIMIZER_NAMES.map((n) => [n, optimizer(n)])),
    sweepH: study.sweepH,
    sweepLr: study.sweepLr,
    answer: study.answer,
  };
}
