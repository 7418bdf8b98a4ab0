/**
 * The columns of the runs tables: every configuration field of the run's job, how and where it ran,
 * and its final figures. A column gives a cell's value (what sorting reads) and its text (what the
 * table shows and the filter matches); figure columns are results, shown against a pinned baseline.
 */
import { RunListItem, isAutoencoderEpoch } from '../../runs/schema';
import { lastCollapse } from '../q2a/collapse';
import { configLabel, flattenConfig } from './configFields';

export type Run = Extract<RunListItem, { ok: true }>;
export type AutoencoderRun = Run & { run: { job: { kind: 'trainAutoencoder' } } };
export type ClassifierRun = Run & { run: { job: { kind: 'trainDisNet' | 'trainJudge' } } };
/** The runs the tables list: trained ones, which have a configuration and epochs. */
export type TrainingRun = AutoencoderRun | ClassifierRun;

/** Absent (undefined) where the run has no such value yet: such cells sort last. */
export type CellValue = string | number | undefined;

export interface Column<R> {
  id: string;
  label: string;
  value(row: R): CellValue;
  /** The cell's text, where it is not the value as it is. */
  text?(row: R): string;
  /** Decimals of a number. */
  digits?: number;
  /** Shown as a percentage. */
  percent?: boolean;
  /** A result of the run: with a baseline pinned, the other rows show their difference from it. */
  figure?: boolean;
}

const MISSING = '—';

function numberText(column: Column<never>, value: number): string {
  if (column.percent) return `${(100 * value).toFixed(column.digits ?? 1)}%`;
  return column.digits === undefined ? String(value) : value.toFixed(column.digits);
}

export function cellText<R>(column: Column<R>, row: R): string {
  if (column.text) return column.text(row);
  const value = column.value(row);
  if (value === undefined) return MISSING;
  return typeof value === 'number' ? numberText(column, value) : value;
}

/** "+0.0012", "−3.000%", "±0": a figure against the baseline's, at the column's precision. */
export function differenceText<R>(column: Column<R>, row: R, baseline: R): string | undefined {
  const [value, base] = [column.value(row), column.value(baseline)];
  if (!column.figure || typeof value !== 'number' || typeof base !== 'number') return undefined;
  const text = numberText(column, Math.abs(value - base));
  if (Number(text.replace('%', '')) === 0) return '±0';
  return `${value > base ? '+' : '−'}${text}`;
}

/** "42 s", "3 min 5 s", "1 h 12 min". */
export function durationText(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

function localTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

function configColumn<R extends TrainingRun>(key: string): Column<R> {
  return { id: `config.${key}`, label: configLabel(key), value: (r) => flattenConfig(r.run.job.config).get(key) };
}

function meanSeconds(r: Run): number | undefined {
  return r.metrics.length ? r.metrics.reduce((s, m) => s + m.seconds, 0) / r.metrics.length : undefined;
}

/** What every run has: its name and status, and where, when and how long it trained. */
function runColumns<R extends Run>(): { head: Column<R>[]; tail: Column<R>[] } {
  return {
    head: [
      { id: 'name', label: 'Run', value: (r) => r.run.name },
      // The status word with "collapsed" after it, as runStatus draws it, so the filter finds collapsed runs.
      { id: 'status', label: 'Status', value: (r) => (lastCollapse(r.metrics) ? `${r.run.status} collapsed` : r.run.status) },
    ],
    tail: [
      { id: 'secondsPerEpoch', label: 's / epoch', value: meanSeconds, digits: 1, figure: true },
      { id: 'backend', label: 'Backend', value: (r) => r.run.backend },
      { id: 'engine', label: 'Engine', value: (r) => r.run.engine && `${r.run.engine.provider}, ${r.run.engine.threads} threads` },
      { id: 'versions', label: 'Versions', value: (r) => Object.entries(r.run.versions).map(([k, v]) => `${k} ${v}`).join(', ') || undefined },
      { id: 'started', label: 'Started', value: (r) => Date.parse(r.run.createdAt) || undefined, text: (r) => (Date.parse(r.run.createdAt) ? localTime(Date.parse(r.run.createdAt)) : MISSING) },
      {
        id: 'duration',
        label: 'Duration',
        value: (r) => (r.run.endedAt ? (Date.parse(r.run.endedAt) - Date.parse(r.run.createdAt)) / 1000 || undefined : undefined),
        text: (r) => (r.run.endedAt ? durationText((Date.parse(r.run.endedAt) - Date.parse(r.run.createdAt)) / 1000) : MISSING),
      },
      { id: 'id', label: 'Run id', value: (r) => r.run.id },
    ],
  };
}

function epochsColumn<R extends TrainingRun>(): Column<R> {
  return { id: 'epochs', label: 'Epochs', value: (r) => r.metrics.length, text: (r) => `${r.metrics.length} / ${r.run.job.config.epochs}` };
}

const AUTOENCODER_CONFIG = ['architecture', 'latent', 'adversarial.lambda', 'adversarial.mode', 'adversarial.initRunId', 'adversarial.disNetRunId', 'adversarial.disNetLearningRate', 'adversarial.clearLabel', 'seed', 'learningRate', 'batchSize', 'warmupSteps', 'outputInit', 'trainImages', 'testImages'];
const CLASSIFIER_CONFIG = ['blur.sigma', 'blur.kernelSize', 'seed', 'learningRate', 'batchSize', 'trainImages', 'testImages'];

export function autoencoderColumns(): Column<AutoencoderRun>[] {
  const summary = (r: AutoencoderRun) => (r.run.summary?.kind === 'training' ? r.run.summary : undefined);
  const last = (r: AutoencoderRun) => r.metrics.filter(isAutoencoderEpoch).at(-1);
  const { head, tail } = runColumns<AutoencoderRun>();
  return [
    ...head,
    ...AUTOENCODER_CONFIG.map((key) => configColumn<AutoencoderRun>(key)),
    { id: 'start', label: 'Start', value: (r) => (r.run.job.config.adversarial?.initRunId ? 'Q2a run' : 'scratch') },
    epochsColumn(),
    { id: 'trainL1', label: 'Train L1', value: (r) => last(r)?.trainL1, digits: 4, figure: true },
    { id: 'testL1', label: 'Test L1', value: (r) => last(r)?.testL1, digits: 4, figure: true },
    { id: 'adversarial', label: 'Adversarial', value: (r) => last(r)?.trainAdversarial, digits: 4, figure: true },
    { id: 'sharpness', label: 'Sharpness', value: (r) => summary(r)?.sharpnessRatio, digits: 2, figure: true },
    { id: 'disNetClearScore', label: 'dis_net clear score', value: (r) => summary(r)?.disNetClearScore, digits: 3, figure: true },
    { id: 'kmeansAccuracy', label: 'K-means acc.', value: (r) => summary(r)?.kmeansAccuracy, digits: 3, figure: true },
    { id: 'kmeansNmi', label: 'NMI', value: (r) => summary(r)?.kmeansNmi, digits: 3, figure: true },
    ...tail,
  ];
}

export function classifierColumns(): Column<ClassifierRun>[] {
  const summary = (r: ClassifierRun) => (r.run.summary?.kind === 'disnet' ? r.run.summary : undefined);
  const confusion = (truth: 0 | 1, predicted: 0 | 1, label: string): Column<ClassifierRun> => ({
    id: `confusion.${truth}${predicted}`,
    label,
    value: (r) => summary(r)?.confusion?.[truth][predicted],
    figure: true,
  });
  const { head, tail } = runColumns<ClassifierRun>();
  return [
    ...head,
    ...CLASSIFIER_CONFIG.map((key) => configColumn<ClassifierRun>(key)),
    epochsColumn(),
    { id: 'trainLoss', label: 'Train loss', value: (r) => { const m = r.metrics.at(-1); return m && !isAutoencoderEpoch(m) ? m.trainLoss : undefined; }, digits: 4, figure: true },
    { id: 'testAccuracy', label: 'Test accuracy', value: (r) => summary(r)?.testAccuracy, digits: 3, percent: true, figure: true },
    confusion(0, 0, 'clear → clear'),
    confusion(0, 1, 'clear → blurred'),
    confusion(1, 0, 'blurred → clear'),
    confusion(1, 1, 'blurred → blurred'),
    ...tail,
  ];
}

/** A table's columns: its defaults first, in the order given, then every other column (hidden at first). */
export function tableColumns<R>(all: Column<R>[], defaults: string[]): { columns: Column<R>[]; defaults: string[] } {
  const byId = new Map(all.map((c) => [c.id, c]));
  const missing = defaults.filter((id) => !byId.has(id));
  if (missing.length) throw new Error(`no such runs-table column: ${missing.join(', ')}`);
  return { columns: [...defaults.map((id) => byId.get(id)!), ...all.filter((c) => !defaults.includes(c.id))], defaults };
}
