/**
 * The report's PNG figures, drawn from the same chart definitions as the workbench. Each function
 * writes its files under `figures/` and returns their paths relative to the report folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChartConfiguration, ChartData, ChartType } from 'chart.js';
import { DIGIT_COLORS, REPORT_PALETTE } from '../../shared/charts/palette';
import { PRIMARY_OPTIMIZERS, q1LandscapeChart, q1SweepHChart, q1SweepLrChart, q1TrajectoryChart } from '../../shared/charts/q1Charts';
import { CurveSeries, disNetChart, l1CurvesChart, latentScatterChart, projectionAxes } from '../../shared/charts/q2Charts';
import type { Q1Study } from '../../shared/q1/studyTypes';
import { writeFileAtomic } from '../../runs/store';
import { chartPng } from './chartImage';
import { DigitRow, digitGridPng } from './digitGrid';
import { DecodedManifold, manifoldImage } from './manifold';
import { overManifold } from '../../shared/charts/manifold';
import { AnalysedAutoencoder, ReportInputs, firstOfItsSize } from './inputs';

export const FIGURES_DIR = 'figures';

export class FigureWriter {
  readonly written: string[] = [];

  constructor(
    private readonly outDir: string,
    private readonly signal: AbortSignal,
  ) {
    fs.mkdirSync(path.join(outDir, FIGURES_DIR), { recursive: true });
  }

  private write(name: string, png: Buffer): string {
    if (this.signal.aborted) throw new Error('Report export was cancelled.');
    const relative = `${FIGURES_DIR}/${name}`;
    writeFileAtomic(path.join(this.outDir, relative), png);
    this.written.push(relative);
    return relative;
  }

  chart<T extends ChartType>(name: string, config: ChartConfiguration<T, ChartData<T>['datasets'][number]['data']>, title: string, size?: { width: number; height: number }): string {
    return this.write(name, chartPng(config as unknown as ChartConfiguration, REPORT_PALETTE, { title, ...size }));
  }

  digits(name: string, rows: DigitRow[], title: string): string {
    return this.write(name, digitGridPng(rows, title));
  }
}

const bytes = (base64: string) => new Uint8Array(Buffer.from(base64, 'base64'));
const lastImages = (run: AnalysedAutoencoder) => run.snapshots?.epochs.at(-1);

export function q1Figures(figures: FigureWriter, study: Q1Study) {
  const p = REPORT_PALETTE;
  // Up to a few steps past the furthest point of either: later steps only repeat a cycle, and their labels pile up.
  const upTo = Math.max(...PRIMARY_OPTIMIZERS.map((n) => study.runs[n].furthestAt)) + 4;
  return {
    landscape: figures.chart('q1-landscape.png', q1LandscapeChart(study, p, upTo), `Q1: the landscape f(x) with steps 0–${upTo} of GD and Adam (numbered)`),
    trajectories: figures.chart('q1-trajectories.png', q1TrajectoryChart(study, p), 'Q1: x_t over the steps t'),
    sweepH: figures.chart('q1-sweep-h.png', q1SweepHChart(study, p), 'Q1: how far past L each optimizer gets, per bump height h (filled: escaped)'),
    sweepLr: figures.chart('q1-sweep-lr.png', q1SweepLrChart(study, p), 'Q1: the largest escapable h per learning rate'),
  };
}

export const MANIFOLD_FIGURE_SIZE = { width: 760, height: 700 };

export function q2aFigures(figures: FigureWriter, runs: AnalysedAutoencoder[], decoded?: DecodedManifold) {
  const series: CurveSeries[] = runs.map((r, i) => ({ label: `L=${r.analysis.latent}`, color: DIGIT_COLORS[i % 10], metrics: r.metrics }));
  const loss = figures.chart('q2a-loss.png', l1CurvesChart(series, true), 'Q2a: L1 per epoch, test (solid) and train (dashed)');
  const scatters = runs.flatMap((r) => {
    if (!r.points) return [];
    const L = r.analysis.latent;
    const axes = projectionAxes(r.analysis);
    const what = r.analysis.projection.method === 'latent' ? `the ${L}-D latents` : `PCA of the ${L}-D latents`;
    const square = { width: 760, height: 700 };
    return [{
      latent: L,
      digit: figures.chart(`q2a-latent-${L}-by-digit.png`, latentScatterChart(r.points, 'digit', ...axes), `Q2a: ${what}, coloured by digit`, square),
      cluster: figures.chart(`q2a-latent-${L}-by-cluster.png`, latentScatterChart(r.points, 'cluster', ...axes), `Q2a: ${what}, coloured by K-means cluster`, square),
    }];
  });
  const withImages = runs.filter((r) => lastImages(r));
  const reconstructions = withImages.length
    ? figures.digits(
        'q2a-reconstructions.png',
        [
          { label: 'original', images: bytes(withImages[0].snapshots!.originals) },
          ...withImages.map((r) => ({ label: `L=${r.analysis.latent}, epoch ${lastImages(r)!.epoch}`, images: bytes(lastImages(r)!.images) })),
        ],
        'Q2a: two test digits of each class and their reconstructions',
      )
    : undefined;
  // The headless canvas stands in for the DOM's: chart.js only hands it to drawImage.
  const manifold = decoded && figures.chart(
    'q2a-latent-2-manifold.png',
    overManifold(latentScatterChart(decoded.run.points!, 'digit', ...projectionAxes(decoded.run.analysis)), { image: manifoldImage(decoded) as unknown as CanvasImageSource, x: decoded.x, y: decoded.y }),
    `Q2a: the decoder's manifold, ${decoded.n}×${decoded.n} digits decoded over the 2-D latent plane, under the test codes`,
    MANIFOLD_FIGURE_SIZE,
  );
  return { loss, scatters, reconstructions, manifold };
}

export function q2bFigures(figures: FigureWriter, inputs: ReportInputs) {
  const disNet = inputs.disNet!;
  const curve = figures.chart('q2b-disnet.png', disNetChart(disNet.metrics, REPORT_PALETTE), 'Q2b: dis_net training', { width: 900, height: 420 });
  const samples = disNet.blurSamples;
  const blurGrid = samples
    ? figures.digits('q2b-blur-samples.png', [{ label: 'clear', images: bytes(samples.clear) }, { label: `blurred (σ = ${disNet.config.blur.sigma})`, images: bytes(samples.blurred) }], 'Q2b: what dis_net tells apart')
    : undefined;
  if (!inputs.q2b.length) return { curve, blurGrid };
  // (b) continues from (a) when warm-started, so its epochs are drawn after (a)'s.
  const series: CurveSeries[] = inputs.q2b
    .flatMap(({ latent, mode, a, b }, i) => {
      const offset = b.item.run.job.config.adversarial?.initRunId === a.item.run.id ? a.metrics.length : 0;
      const bSeries = { label: `(b) ${mode} L=${latent}`, metrics: b.metrics.map((m) => ({ ...m, epoch: m.epoch + offset })) };
      return firstOfItsSize(inputs.q2b, i) ? [{ label: `(a) L=${latent}`, metrics: a.metrics }, bSeries] : [bSeries];
    })
    .map((s, i) => ({ ...s, color: DIGIT_COLORS[i % 10] }));
  const loss = figures.chart('q2b-loss.png', l1CurvesChart(series, false, 'test L1'), 'Q2b: test L1 per epoch of (a) and of (b), which continues from (a)');
  const first = inputs.q2b.find((c) => c.a.snapshots && lastImages(c.a) && lastImages(c.b));
  let comparison: string | undefined;
  if (first) {
    const rows: DigitRow[] = [{ label: 'original', images: bytes(first.a.snapshots!.originals) }];
    if (samples && JSON.stringify(samples.indices) === JSON.stringify(first.a.snapshots!.indices)) rows.push({ label: 'blurred original', images: bytes(samples.blurred) });
    for (const [i, { latent, mode, a, b }] of inputs.q2b.entries()) {
      if (!lastImages(a) || !lastImages(b)) continue;
      if (firstOfItsSize(inputs.q2b, i)) rows.push({ label: `(a) L=${latent}`, images: bytes(lastImages(a)!.images) });
      rows.push({ label: `(b) ${mode} L=${latent}`, images: bytes(lastImages(b)!.images) });
    }
    comparison = figures.digits('q2b-comparison.png', rows, 'Q2b: the same test digits, (a) L1 only against (b) L1 + dis_net loss');
  }
  return { curve, blurGrid, loss, comparison };
}
