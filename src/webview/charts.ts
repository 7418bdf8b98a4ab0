/**
 * Chart.js set up for the webview: only the pieces the workbench uses, colours from the VS Code theme,
 * no animation (charts redraw on every parameter change), and a plugin that numbers trajectory points.
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

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, Title, Filler);

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function themeColors() {
  return {
    foreground: cssVar('--vscode-foreground', '#cccccc'),
    muted: cssVar('--vscode-descriptionForeground', '#999999'),
    grid: cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.3)'),
    blue: cssVar('--vscode-charts-blue', '#3794ff'),
    orange: cssVar('--vscode-charts-orange', '#d18616'),
    green: cssVar('--vscode-charts-green', '#89d185'),
    purple: cssVar('--vscode-charts-purple', '#b180d7'),
    red: cssVar('--vscode-charts-red', '#f14c4c'),
    yellow: cssVar('--vscode-charts-yellow', '#cca700'),
  };
}

/**
 * Datasets that set `stepLabels: true` get each point numbered with its `step`. A position visited
 * again (a cycle) gets one label listing its first visits, e.g. "3,5,7…", instead of a smudge.
 */
const stepLabels: Plugin = {
  id: 'stepLabels',
  afterDatasetsDraw(chart) {
    const { ctx } = chart;
    ctx.save();
    ctx.font = `10px ${cssVar('--vscode-font-family', 'sans-serif')}`;
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
      ctx.fillStyle = String(dataset.borderColor ?? themeColors().foreground);
      const dy = i % 2 ? 14 : -7; // alternate datasets above and below their points
      for (const { x, y, steps } of labels.values()) {
        const text = steps.length > 3 ? `${steps.slice(0, 3).join(',')}…` : steps.join(',');
        ctx.fillText(text, x, y + dy);
      }
    });
    ctx.restore();
  },
};

/** A chart with the workbench's defaults; the caller keeps it and calls update() on new data. */
export function createChart(canvas: HTMLCanvasElement, config: ChartConfiguration): Chart {
  const c = themeColors();
  Chart.defaults.color = c.foreground;
  Chart.defaults.borderColor = c.grid;
  Chart.defaults.font.family = cssVar('--vscode-font-family', 'sans-serif');
  return new Chart(canvas, {
    ...config,
    plugins: [...(config.plugins ?? []), stepLabels],
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      ...config.options,
    },
  });
}

export type { Chart };
