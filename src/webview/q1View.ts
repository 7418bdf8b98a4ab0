/**
 * The Q1 tab: every parameter in a form that reruns the study as it changes (the simulator is pure
 * float64 TypeScript, so it runs right here), the landscape with numbered GD and Adam steps and a step
 * slider, x_t over t, the h and learning-rate sweeps, the verdicts and the written answers.
 * "Save as run" sends the parameters to the host, which runs the same study in the engine and keeps it.
 */
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { Q1Params, Q1_READINGS } from '../shared/q1/params';
import { RunListItem } from '../runs/schema';
import type { WebviewState } from '../extension/views/workbench/protocol';
import { num } from '../shared/q1/answer';
import { OPTIMIZER_LABELS, OPTIMIZER_NAMES } from '../shared/q1/optimizers';
import { describeOutcome } from '../shared/q1/report';
import { DEFAULT_Q1_PARAMS, runQ1Study } from '../shared/q1/study';
import type { Q1Study } from '../shared/q1/studyTypes';
import { PRIMARY_OPTIMIZERS, q1LandscapeChart, q1SweepHChart, q1SweepLrChart, q1TrajectoryChart } from '../shared/charts/q1Charts';
import { Chart, createChart, onThemeChange, show, themePalette } from './charts';
import { button, el } from './dom';
import { persist, restored } from './viewState';

type Group = keyof Q1Params;
interface Field {
  group: Group;
  key: string;
  label: string;
  hint?: string;
}

const FIELDS: Field[] = [
  { group: 'landscape', key: 'start', label: 'Start o' },
  { group: 'landscape', key: 'L', label: 'Minimum at L' },
  { group: 'landscape', key: 'approachSlope', label: 'Approach slope', hint: 'f′ = −slope left of L' },
  { group: 'landscape', key: 'h', label: 'Bump h' },
  { group: 'landscape', key: 'bumpWidth', label: 'Bump width', hint: 'blank: 2h (h in the other reading)' },
  { group: 'landscape', key: 'afterSlope', label: 'Slope after the bump', hint: 'negative: f rises again' },
  { group: 'optimizers', key: 'lr', label: 'Learning rate a' },
  { group: 'optimizers', key: 'beta1', label: 'Adam β1' },
  { group: 'optimizers', key: 'beta2', label: 'Adam β2' },
  { group: 'optimizers', key: 'eps', label: 'Adam ε', hint: 'the assignment uses 0' },
  { group: 'optimizers', key: 'momentum', label: 'Momentum μ' },
  { group: 'optimizers', key: 'rho', label: 'RMSProp ρ' },
  { group: 'optimizers', key: 'steps', label: 'Steps (horizon)' },
];

const READING_LABELS: Record<(typeof Q1_READINGS)[number], string> = {
  'h-high-2h-wide': 'bump h high, 2h wide (slopes ±1)',
  'h-wide-2h-high': 'bump 2h high, h wide (slopes ±4)',
};

/** The form as typed: each field's text by `group.key`, and the reading. */
type FormText = NonNullable<WebviewState['q1Form']>;

function sameParams(a: Q1Params, b: Q1Params): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export class Q1View {
  readonly root = el('section', { className: 'q1' });
  private readonly inputs = new Map<string, HTMLElement & { value: string; invalid?: boolean }>();
  private readonly reading = el('vscode-single-select') as HTMLElement & { value: string };
  private readonly formError = el('p', { className: 'form-error' });
  private readonly status = el('div', { className: 'q1-status' });
  private readonly verdicts = el('div');
  private readonly answers = el('div', { className: 'answers' });
  private readonly slider = el('input', { type: 'range', min: '0', value: '0', className: 'step-slider' });
  private readonly sliderLabel = el('span', { className: 'muted' });
  private readonly charts: Record<'landscape' | 'xt' | 'sweepH' | 'sweepLr', Chart>;
  private params: Q1Params = DEFAULT_Q1_PARAMS;
  private study?: Q1Study;
  private saved?: { id: string; name: string; params: Q1Params };
  private edited = false;
  private timer?: ReturnType<typeof setTimeout>;
  private playing?: ReturnType<typeof setInterval>;

  constructor(private readonly save: (params: Q1Params) => void) {
    const canvases = { landscape: el('canvas'), xt: el('canvas'), sweepH: el('canvas'), sweepLr: el('canvas') };
    const box = (title: string, canvas: HTMLCanvasElement, extra: Node[] = []) =>
      el('figure', { className: 'chart' }, [el('figcaption', { textContent: title }), el('div', { className: 'chart-box' }, [canvas]), ...extra]);
    const play = button('Play', () => this.togglePlay(play), { secondary: true });
    this.slider.addEventListener('input', () => this.drawLandscape());

    this.root.append(
      el('div', { className: 'toolbar' }, [el('h2', { textContent: 'Q1 — gradient descent against Adam on a bump' }), this.status]),
      this.form(),
      this.formError,
      this.verdicts,
      el('div', { className: 'chart-grid' }, [
        box('Landscape f(x) with the numbered steps', canvases.landscape, [el('div', { className: 'slider-row' }, [play, this.slider, this.sliderLabel])]),
        box('x_t over the steps t', canvases.xt),
        box('Sweep over h: how far past L each optimizer gets (filled: escaped, on the peak line; hollow: stuck)', canvases.sweepH),
        box('Sweep over the learning rate: largest escapable h', canvases.sweepLr),
      ]),
      this.answers,
    );
    const empty = { data: { datasets: [] } };
    this.charts = {
      landscape: createChart(canvases.landscape, { type: 'scatter', ...empty }),
      xt: createChart(canvases.xt, { type: 'line', ...empty }),
      sweepH: createChart(canvases.sweepH, { type: 'scatter', ...empty }),
      sweepLr: createChart(canvases.sweepLr, { type: 'line', ...empty }),
    };
    this.fillForm();
    if (!this.restoreForm()) this.recompute();
    onThemeChange(() => {
      if (!this.study) return;
      this.drawLandscape();
      this.drawXt();
      this.drawSweeps();
    });
  }

  /** The form as the student left it before a reload; an edit that did not parse is restored as typed. */
  private restoreForm(): boolean {
    const saved = restored('q1Form');
    if (!saved) return false;
    for (const [key, text] of Object.entries(saved.fields)) {
      const input = this.inputs.get(key);
      if (input) input.value = text;
    }
    this.reading.value = saved.reading;
    this.edited = true;
    // Parsed from the saved text: the select takes its value only once it is on the page.
    this.readForm(saved);
    // A form that no longer parses still shows its error, over the defaults' charts.
    if (!this.study) this.recompute();
    return true;
  }

  /** Whether this tab shows the run: it follows the newest saved study. */
  shows(item: RunListItem): boolean {
    return item.ok && item.run.job.kind === 'q1Study';
  }

  /** New runs arrived: show the newest saved study unless the student is editing. */
  setRuns(runs: RunListItem[]): void {
    const newest = runs.find((r): r is Extract<RunListItem, { ok: true }> => r.ok && r.run.job.kind === 'q1Study' && r.run.status === 'completed');
    this.saved = newest && newest.run.job.kind === 'q1Study' ? { id: newest.run.id, name: newest.run.name, params: newest.run.job.params } : undefined;
    if (this.saved && !this.edited && !sameParams(this.saved.params, this.params)) {
      this.params = this.saved.params;
      this.fillForm();
      this.recompute();
    }
    this.renderStatus();
  }

  private form(): HTMLElement {
    const group = (title: string, which: Group) =>
      el('fieldset', {}, [
        el('legend', { textContent: title }),
        ...FIELDS.filter((f) => f.group === which).map((f) => {
          const input = el('vscode-textfield') as HTMLElement & { value: string; invalid?: boolean };
          input.setAttribute('aria-label', f.label);
          input.dataset.field = `${f.group}.${f.key}`;
          if (f.hint) input.setAttribute('placeholder', f.key === 'bumpWidth' ? 'auto' : '');
          input.addEventListener('input', () => this.onEdit());
          this.inputs.set(`${f.group}.${f.key}`, input);
          return el('label', { className: 'field', title: f.hint ?? '' }, [el('span', { textContent: f.label }), input]);
        }),
        ...(which === 'landscape'
          ? [el('label', { className: 'field wide' }, [el('span', { textContent: 'Reading of the lost figure' }), this.reading])]
          : []),
      ]);
    for (const r of Q1_READINGS) {
      const option = el('vscode-option', { textContent: READING_LABELS[r] });
      option.setAttribute('value', r);
      this.reading.append(option);
    }
    this.reading.addEventListener('change', () => this.onEdit());
    const reset = button('Reset to defaults', () => {
      this.params = DEFAULT_Q1_PARAMS;
      this.edited = true;
      this.fillForm();
      this.rememberForm();
      this.recompute();
    }, { secondary: true });
    return el('form', { className: 'q1-form' }, [group('Landscape', 'landscape'), group('Optimizers', 'optimizers'), el('div', { className: 'actions' }, [reset])]);
  }

  private fillForm(): void {
    for (const f of FIELDS) {
      const value = (this.params[f.group] as Record<string, unknown>)[f.key];
      this.inputs.get(`${f.group}.${f.key}`)!.value = value === null ? '' : String(value);
    }
    this.reading.value = this.params.landscape.reading;
  }

  private onEdit(): void {
    this.edited = true;
    this.rememberForm();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.readForm(), 250);
  }

  /** The form's text as typed, field by field. */
  private typed(): FormText {
    return { fields: Object.fromEntries([...this.inputs].map(([key, input]) => [key, input.value])), reading: this.reading.value };
  }

  private rememberForm(): void {
    persist('q1Form', this.typed());
  }

  /** Validates the form with the same schema the engine uses; a bad field is marked and named. */
  private readForm(form: FormText = this.typed()): void {
    const candidate: Record<Group, Record<string, unknown>> = { landscape: {}, optimizers: {} };
    for (const f of FIELDS) {
      const text = (form.fields[`${f.group}.${f.key}`] ?? '').trim();
      candidate[f.group][f.key] = f.key === 'bumpWidth' && text === '' ? null : text === '' ? NaN : Number(text);
    }
    candidate.landscape.reading = form.reading;
    const parsed = Q1Params.safeParse(candidate);
    for (const input of this.inputs.values()) input.invalid = false;
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const key = issue.path.join('.');
      const input = this.inputs.get(key);
      if (input) input.invalid = true;
      const label = FIELDS.find((f) => `${f.group}.${f.key}` === key)?.label ?? key;
      this.formError.textContent = `${label}: ${issue.message}`;
      return;
    }
    this.formError.textContent = '';
    this.params = parsed.data;
    this.recompute();
  }

  private recompute(): void {
    try {
      this.study = runQ1Study(this.params);
    } catch (err) {
      this.formError.textContent = `The study failed: ${(err as Error).message}`;
      return;
    }
    const longest = Math.max(...PRIMARY_OPTIMIZERS.map((n) => this.study!.runs[n].x.length - 1));
    this.slider.max = String(longest);
    // The approach and Adam's coast into the bump fit in the first dozen steps.
    this.slider.value = String(Math.min(longest, 12));
    this.renderStatus();
    this.renderVerdicts();
    this.renderAnswers();
    this.drawLandscape();
    this.drawXt();
    this.drawSweeps();
  }

  private renderStatus(): void {
    const isSaved = this.saved && sameParams(this.saved.params, this.params);
    const children: Node[] = [];
    if (isSaved) {
      children.push(el('span', { className: 'muted', textContent: `Saved as run ${this.saved!.name} (${this.saved!.id}).` }));
    } else {
      const save = el('vscode-button', { textContent: 'Save as run' });
      save.addEventListener('click', () => this.save(this.params));
      children.push(el('span', { className: 'muted', textContent: 'These parameters are not saved as a run yet.' }), save);
    }
    this.status.replaceChildren(...children);
  }

  private renderVerdicts(): void {
    const study = this.study!;
    const header = ['Optimizer', `Outcome at h = ${num(study.params.landscape.h)}`, 'Certain at step', 'Furthest x', 'Largest h escaped'];
    const rows = OPTIMIZER_NAMES.map((n) => {
      const run = study.runs[n];
      const max = study.maxEscape[n];
      return el('tr', { className: `optimizer-${n}` }, [
        el('td', { textContent: OPTIMIZER_LABELS[n] }),
        el('td', { textContent: describeOutcome(run) + (run.guardHits ? ` (0/0 guard: ${run.guardHits} steps)` : '') }),
        el('td', { textContent: run.certainAt === null ? '— (horizon)' : String(run.certainAt) }),
        el('td', { textContent: num(run.furthest) }),
        el('td', { textContent: max.h === null ? max.note : num(max.h, 6), title: max.note }),
      ]);
    });
    const land = study.landscape;
    const kinks = land.kinks.map((k) => `x = ${num(k.x)} (${k.between}) belongs to the ${k.belongsTo} piece`).join('; ');
    this.verdicts.replaceChildren(
      el('table', { className: 'runs q1-verdicts' }, [el('thead', {}, [el('tr', {}, header.map((h) => el('th', { textContent: h })))]), el('tbody', {}, rows)]),
      el('p', { className: 'muted', textContent: `Kinks: ${kinks}. Bump height ${num(land.height)}, width ${num(land.width)}, peak at x = ${num(land.peak)}.` }),
    );
  }

  private renderAnswers(): void {
    const { part1, part2 } = this.study!.answer;
    this.answers.replaceChildren(
      el('h3', { textContent: '(1) What standard gradient descent does' }),
      el('p', { className: 'answer', textContent: part1 }),
      el('h3', { textContent: '(2) The largest bump Adam escapes (ε = 0)' }),
      el('p', { className: 'answer', textContent: part2 }),
    );
  }

  private togglePlay(button: HTMLElement): void {
    if (this.playing) {
      clearInterval(this.playing);
      this.playing = undefined;
      button.textContent = 'Play';
      return;
    }
    if (this.slider.value === this.slider.max) this.slider.value = '0';
    button.textContent = 'Pause';
    this.playing = setInterval(() => {
      const next = Number(this.slider.value) + 1;
      if (next > Number(this.slider.max)) return this.togglePlay(button);
      this.slider.value = String(next);
      this.drawLandscape();
    }, 200);
  }

  private drawLandscape(): void {
    const upTo = Number(this.slider.value);
    this.sliderLabel.textContent = `steps 0–${upTo}`;
    show(this.charts.landscape, q1LandscapeChart(this.study!, themePalette(), upTo));
  }

  private drawXt(): void {
    show(this.charts.xt, q1TrajectoryChart(this.study!, themePalette()));
  }

  private drawSweeps(): void {
    show(this.charts.sweepH, q1SweepHChart(this.study!, themePalette()));
    show(this.charts.sweepLr, q1SweepLrChart(this.study!, themePalette()));
  }
}
