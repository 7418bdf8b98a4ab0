/**
 * Chart.js with only the pieces the workbench draws, registered once, and the plugin that numbers
 * trajectory points. Free of the DOM, so the webview and the headless report render the same charts.
 */
import {
  Chart,
  ChartConfiguration,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  Plugin,
  PointElement,
  ScatterController,
  Title,
  Tooltip,
} from 'chart.js';
import { ChartPalette } from './palette';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Title, Filler);

/**
 * Datasets that set `stepLabels: true` get each point numbered with its `step`. A position visited
 * again (a cycle) gets one label listing its first visits, e.g. "3,5,7…", instead of a smudge.
 */
const stepLabels: Plugin = {
  id: 'stepLabels',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = `10px ${Chart.defaults.font.family}`;
    ctx.textAlign = 'center';
    chart.data.datasets.forEach((dataset, i) => {
      if (!(dataset as { stepLabels?: boolean }).stepLabels || !chart.isDatasetVisible(i)) return;
      const labels = new Map<string, { x: number; y: number; steps: number[] }>();
      chart.getDatasetMeta(i).data.forEach((point, j) => {
        const step = (dataset.data[j] as { step?: number }).step;
        if (step === undefined) return;
        const key = `${Math.round(point.x)},${Math.round(point.y)}`;
        const label = labels.get(key) ?? { x: point.x, y: point.y, steps: [] };
        label.steps.push(step);
        labels.set(key, label);
      });
      ctx.fillStyle = String(dataset.borderColor ?? Chart.defaults.color);
      const dy = i % 2 ? 14 : -7; // alternate datasets above and below their points
      for (const { x, y, steps } of labels.values()) {
        const text = steps.length > 3 ? `${steps.slice(0, 3).join(',')}…` : steps.join(',');
        ctx.fillText(text, x, y + dy);
      }
    });
    ctx.restore();
  },
};

/**
 * Datasets that set `errorBars: true` get a vertical bar of ±`sd` with caps through each point
 * (mean ± standard deviation over seeds), in the dataset's colour.
 */
const errorBars: Plugin = {
  id: 'errorBars',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    chart.data.datasets.forEach((dataset, i) => {
      if (!(dataset as { errorBars?: boolean }).errorBars || !chart.isDatasetVisible(i)) return;
      const meta = chart.getDatasetMeta(i);
      const y = chart.scales[meta.yAxisID ?? 'y'];
      ctx.strokeStyle = String(dataset.borderColor ?? Chart.defaults.color);
      ctx.lineWidth = 1.5;
      meta.data.forEach((point, j) => {
        const { y: mean, sd } = dataset.data[j] as { y: number; sd?: number };
        if (!sd) return;
        const [top, bottom] = [y.getPixelForValue(mean + sd), y.getPixelForValue(Math.max(mean - sd, y.min))];
        ctx.beginPath();
        ctx.moveTo(point.x, top);
        ctx.lineTo(point.x, bottom);
        for (const end of [top, bottom]) {
          ctx.moveTo(point.x - 4, end);
          ctx.lineTo(point.x + 4, end);
        }
        ctx.stroke();
      });
    });
    ctx.restore();
  },
};

/**
 * A chart with the workbench's defaults on any canvas (an HTML canvas, or a headless one's 2D context).
 * `responsive` is the webview's choice: the report draws at a fixed size.
 */
export function createChart(target: ConstructorParameters<typeof Chart>[0], config: ChartConfiguration, palette: ChartPalette, responsive: boolean): Chart {
  applyPalette(palette);
  return new Chart(target, {
    ...config,
    plugins: [...(config.plugins ?? []), stepLabels, errorBars],
    options: {
      animation: false,
      responsive,
      maintainAspectRatio: !responsive,
      parsing: false,
      normalized: true,
      ...(responsive ? {} : { devicePixelRatio: 1 }),
      ...config.options,
    },
  });
}

/** Text, grid and font of every chart drawn from now on (and of live charts at their next update). */
export function applyPalette(palette: ChartPalette): void {
  Chart.defaults.color = palette.foreground;
  Chart.defaults.borderColor = palette.grid;
  Chart.defaults.font.family = palette.fontFamily;
}

export { Chart };
