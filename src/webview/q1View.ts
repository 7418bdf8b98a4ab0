/**
 * The Q1 tab: every parameter in a form that reruns the study as it changes (the simulator is pure
 * float64 TypeScript, so it runs right here), the landscape with numbered GD and Adam steps and a step
 * slider, x_t over t, the h and learning-rate sweeps, the verdicts and the written answers.
 * "Save as run" sends the parameters to the host, which runs the same study in the engine and keeps it.
 */
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { Q1Params, Q1_READINGS, RunListItem } from '../shared/protocol';
import { num } from '../shared/q1/answer';
import { buildLandscape } from '../shared/q1/landscape';
import { OPTIMIZER_LABELS, OPTIMIZER_NAMES, OptimizerName } from '../shared/q1/optimizers';
import { describeOutcome } from '../shared/q1/report';
import { DEFAULT_Q1_PARAMS, Q1Study, runQ1Study } from '../shared/q1/study';
import { Chart, createChart, themeColors } from './charts';
import { el } from './dom';

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

/** Shown by default; momentum SGD and RMSProp start hidden (click the legend to show them). */
const PRIMARY: OptimizerName[] = ['gd', 'adam'];

function optimizerColor(name: OptimizerName): string {
  const c = themeColors();
  return { gd: c.blue, adam: c.orange, momentum: c.green, rmsprop: c.purple }[name];
}

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
    const play = el('vscode-button', { textContent: 'Play' });
    play.setAttribute('secondary', '');
    play.addEventListener('click', () => this.togglePlay(play));
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
    this.charts = {
      landscape: createChart(canvases.landscape, { type: 'scatter', data: { datasets: [] }, options: { scales: { x: { title: { display: true, text: 'x' } }, y: { title: { display: true, text: 'f(x)' } } } } }),
      xt: createChart(canvases.xt, { type: 'line', data: { datasets: [] }, options: { scales: { x: { type: 'linear', title: { display: true, text: 'step t' } }, y: { title: { display: true, text: 'x_t' } } } } }),
      sweepH: createChart(canvases.sweepH, { type: 'scatter', data: { datasets: [] }, options: { scales: { x: { title: { display: true, text: 'h' } }, y: { title: { display: true, text: 'furthest x − L' } } } } }),
      sweepLr: createChart(canvases.sweepLr, { type: 'line', data: { datasets: [] }, options: { scales: { x: { type: 'linear', title: { display: true, text: 'learning rate a' } }, y: { title: { display: true, text: 'largest escapable h' } } } } }),
    };
    this.fillForm();
    this.recompute();
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
    const reset = el('vscode-button', { textContent: 'Reset to defaults' });
    reset.setAttribute('secondary', '');
    reset.addEventListener('click', () => {
      this.params = DEFAULT_Q1_PARAMS;
      this.edited = true;
      this.fillForm();
      this.recompute();
    });
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
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.readForm(), 250);
  }

  /** Validates the form with the same schema the engine uses; a bad field is marked and named. */
  private readForm(): void {
    const candidate: Record<Group, Record<string, unknown>> = { landscape: {}, optimizers: {} };
    for (const f of FIELDS) {
      const text = this.inputs.get(`${f.group}.${f.key}`)!.value.trim();
      candidate[f.group][f.key] = f.key === 'bumpWidth' && text === '' ? null : text === '' ? NaN : Number(text);
    }
    candidate.landscape.reading = this.reading.value;
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
    const longest = Math.max(...PRIMARY.map((n) => this.study!.runs[n].x.length - 1));
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
    const study = this.study!;
    const land = buildLandscape(study.params.landscape);
    const upTo = Number(this.slider.value);
    this.sliderLabel.textContent = `steps 0–${upTo}`;
    const shown = OPTIMIZER_NAMES.map((n) => study.runs[n].x.slice(0, upTo + 1));
    const xs = shown.filter((_, i) => PRIMARY.includes(OPTIMIZER_NAMES[i])).flat();
    const left = Math.min(study.params.landscape.start, ...xs) - 0.2;
    const right = Math.min(Math.max(land.bumpEnd + 0.5, ...xs) + 0.2, land.bumpEnd + 5);
    const c = themeColors();
    const curve = [left, land.minimum, land.peak, land.bumpEnd, right].map((x) => ({ x, y: land.f(x) }));
    this.charts.landscape.data.datasets = [
      { label: 'f(x)', data: curve, showLine: true, borderColor: c.muted, pointRadius: 0, borderWidth: 2 },
      ...OPTIMIZER_NAMES.map((n, i) => ({
        label: OPTIMIZER_LABELS[n],
        data: shown[i].filter((x) => x <= right).map((x, step) => ({ x, y: land.f(x), step })),
        showLine: true,
        borderColor: optimizerColor(n),
        backgroundColor: optimizerColor(n),
        borderWidth: 1,
        pointRadius: 3,
        hidden: !PRIMARY.includes(n),
        stepLabels: true,
      })),
    ];
    this.charts.landscape.options.scales!.x!.min = left;
    this.charts.landscape.options.scales!.x!.max = right;
    this.charts.landscape.update();
  }

  private drawXt(): void {
    const study = this.study!;
    const last = Math.max(...PRIMARY.map((n) => study.runs[n].x.length - 1));
    const c = themeColors();
    const hline = (label: string, y: number, color: string) => ({ label, data: [{ x: 0, y }, { x: last, y }], borderColor: color, borderDash: [4, 4], pointRadius: 0, borderWidth: 1 });
    this.charts.xt.data.datasets = [
      ...OPTIMIZER_NAMES.map((n) => ({
        label: OPTIMIZER_LABELS[n],
        data: study.runs[n].x.slice(0, last + 1).map((x, t) => ({ x: t, y: x })),
        borderColor: optimizerColor(n),
        backgroundColor: optimizerColor(n),
        pointRadius: 1.5,
        borderWidth: 1.5,
        hidden: !PRIMARY.includes(n),
      })),
      ...(['below', 'above'] as const).flatMap((side) => {
        const max = study.maxEscape.adam;
        const run = max[side];
        if (!run || !max.bracket) return [];
        return [{
          label: `Adam at h = ${num(max.bracket[side === 'below' ? 0 : 1], 9)} (just ${side} h*)`,
          data: run.x.slice(0, last + 1).map((x, t) => ({ x: t, y: x })),
          borderColor: side === 'below' ? c.yellow : c.red,
          borderDash: [2, 2],
          pointRadius: 0,
          borderWidth: 1.5,
          hidden: true,
        }];
      }),
      hline('minimum L', study.landscape.minimum, c.muted),
      hline('peak', study.landscape.peak, c.red),
    ];
    const top = study.landscape.bumpEnd + 1;
    this.charts.xt.options.scales!.y!.max = Math.max(top, ...PRIMARY.map((n) => Math.min(study.runs[n].furthest, top)));
    this.charts.xt.update();
  }

  private drawSweeps(): void {
    const study = this.study!;
    const { h, escaped, furthest } = study.sweepH;
    const L = study.params.landscape.L;
    const peakOffset = (hh: number) => buildLandscape({ ...study.params.landscape, h: hh }).peak - L;
    const cap = 2 * peakOffset(h.at(-1)!);
    const c = themeColors();
    this.charts.sweepH.data.datasets = [
      { label: 'peak − L (escape line)', data: h.map((x) => ({ x, y: peakOffset(x) })), showLine: true, borderColor: c.red, borderDash: [4, 4], pointRadius: 0, borderWidth: 1 },
      ...OPTIMIZER_NAMES.map((n) => ({
        label: OPTIMIZER_LABELS[n],
        // An escaping run is drawn on the escape line (it reached the peak); a stuck one at its coast.
        data: h.map((x, i) => ({ x, y: escaped[n][i] ? peakOffset(x) : Math.min(furthest[n][i] - L, cap) })),
        borderColor: optimizerColor(n),
        backgroundColor: h.map((_, i) => (escaped[n][i] ? optimizerColor(n) : 'transparent')),
        pointRadius: 2.5,
        hidden: !PRIMARY.includes(n),
      })),
    ];
    this.charts.sweepH.update();
    const { lr, maxH } = study.sweepLr;
    this.charts.sweepLr.data.datasets = (['gd', 'adam'] as const).map((n) => ({
      label: OPTIMIZER_LABELS[n],
      data: lr.flatMap((x, i) => (maxH[n][i] === null ? [] : [{ x, y: maxH[n][i]! }])),
      borderColor: optimizerColor(n),
      backgroundColor: optimizerColor(n),
      pointRadius: 2,
      borderWidth: 1.5,
    }));
    this.charts.sweepLr.update();
  }
}
