/**
 * Colours the shared chart definitions draw with: the webview fills a palette from the VS Code theme,
 * the exported report uses a fixed light one so its PNG files read well on paper and on GitHub.
 */
import type { OptimizerName } from '../q1/optimizers';

export interface ChartPalette {
  foreground: string;
  muted: string;
  grid: string;
  blue: string;
  orange: string;
  green: string;
  purple: string;
  red: string;
  yellow: string;
  fontFamily: string;
}

/** Black on white with Tableau colours; the fonts are ones a headless canvas finds on Linux. */
export const REPORT_PALETTE: ChartPalette = {
  foreground: '#222222',
  muted: '#777777',
  grid: 'rgba(0,0,0,0.12)',
  blue: '#1f77b4',
  orange: '#ff7f0e',
  green: '#2ca02c',
  purple: '#9467bd',
  red: '#d62728',
  yellow: '#bcbd22',
  fontFamily: 'Liberation Sans, DejaVu Sans, Arial, sans-serif',
};

/** One colour per digit (Tableau 10), also used for per-run series. */
export const DIGIT_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

export function optimizerColor(name: OptimizerName, p: ChartPalette): string {
  return { gd: p.blue, adam: p.orange, momentum: p.green, rmsprop: p.purple }[name];
}
