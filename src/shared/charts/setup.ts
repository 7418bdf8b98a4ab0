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
 * A chart with the workbench's defaults on any canvas (an HTML canvas, or a headless one's 2D context).
 * `responsive` is the webview's choice: the report draws at a fixed size.
 */
export function createChart(target: ConstructorParameters<typeof Chart>[0], config: ChartConfiguration, palette: ChartPalette, responsive: boolean): Chart {
  applyPalette(palette);
  return new Chart(target, {
    ...config,
    plugins: [...(config.plugins ?? []), stepLabels],
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
