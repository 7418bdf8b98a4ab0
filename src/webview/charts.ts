/** The shared chart definitions on the webview's canvases, in the colours of the VS Code theme. */
import type { ChartConfiguration } from 'chart.js';
import { ChartPalette } from '../shared/charts/palette';
import { Chart, createChart as createSharedChart } from '../shared/charts/setup';

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export function themePalette(): ChartPalette {
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
    fontFamily: cssVar('--vscode-font-family', 'sans-serif'),
  };
}

/** A chart that fills its box; the caller keeps it and passes new configurations to `show`. */
export function createChart(canvas: HTMLCanvasElement, config: ChartConfiguration): Chart {
  return createSharedChart(canvas, config as ChartConfiguration, themePalette(), true);
}

/** Replaces a chart's data and axes with those of a freshly built configuration. */
export function show(chart: Chart, config: ChartConfiguration): void {
  chart.data = config.data;
  chart.options.scales = config.options?.scales;
  chart.update();
}

export type { Chart };
