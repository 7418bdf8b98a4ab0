/**
 * The shared chart definitions on the webview's canvases, in the colours of the VS Code theme. A theme
 * change restyles every live chart at once: axes, grid and legend take the new defaults, and views whose
 * series are coloured from the palette redraw through `onThemeChange`.
 */
import type { ChartConfiguration } from 'chart.js';
import { ChartPalette } from '../shared/charts/palette';
import { Chart, applyPalette, createChart as createSharedChart } from '../shared/charts/setup';

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

const themeListeners = new Set<() => void>();

/** Calls `redraw` after every theme change, once the defaults hold the new theme's colours. */
export function onThemeChange(redraw: () => void): void {
  themeListeners.add(redraw);
}

/**
 * VS Code announces a theme by changing the body's class (vscode-light, vscode-dark, …) and the
 * --vscode-* variables in the html element's style; either one is a new theme.
 */
function followTheme(): void {
  let key = '';
  const restyle = () => {
    const palette = themePalette();
    const next = JSON.stringify(palette);
    if (next === key) return;
    key = next;
    applyPalette(palette);
    for (const redraw of themeListeners) redraw();
    for (const chart of Object.values(Chart.instances)) chart.update();
    document.body.dataset.chartTheme = document.body.className.match(/vscode-[\w-]+/)?.[0] ?? '';
  };
  const observer = new MutationObserver(restyle);
  observer.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  restyle();
}

followTheme();

export type { Chart };
