/** A shared chart definition rendered to PNG at a fixed size, on white, as the report shows it. */
import type { ChartConfiguration, Plugin } from 'chart.js';
import { ChartPalette } from '../../shared/charts/palette';
import { createChart } from '../../shared/charts/setup';
import { napiCanvas } from './canvas';

const whiteBackground: Plugin = {
  id: 'whiteBackground',
  beforeDraw(chart) {
    const { ctx, width, height } = chart;
    ctx.save();
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.restore();
  },
};

export interface ChartImageOptions {
  title: string;
  width?: number;
  height?: number;
}

/**
 * The PNG bytes of `config`. Datasets the workbench starts hidden (extra optimizers, bracketing runs)
 * are left out: a static image cannot reveal them, and struck-through legend entries only distract.
 */
export function chartPng(config: ChartConfiguration, palette: ChartPalette, { title, width = 900, height = 540 }: ChartImageOptions): Buffer {
  const { createCanvas } = napiCanvas();
  const canvas = createCanvas(width, height);
  const shown: ChartConfiguration = {
    ...config,
    data: { ...config.data, datasets: config.data.datasets.filter((d) => !d.hidden) },
    plugins: [...(config.plugins ?? []), whiteBackground],
    options: { ...config.options, plugins: { ...config.options?.plugins, title: { display: true, text: title, font: { size: 16 } } } },
  };
  // chart.js only needs the 2D context; the napi context implements the parts it draws with.
  const chart = createChart(canvas.getContext('2d') as unknown as CanvasRenderingContext2D, shown, palette, false);
  try {
    return canvas.toBuffer('image/png');
  } finally {
    chart.destroy();
  }
}
