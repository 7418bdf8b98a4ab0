/** The Q1 study as Markdown a student can hand in: parameters, verdicts, the two answers. */
import { num } from './answer';
import { OPTIMIZER_LABELS, OPTIMIZER_NAMES } from './optimizers';
import type { OptimizerRun } from './simulate';
import type { Q1Study } from './studyTypes';

export function describeOutcome(run: OptimizerRun): string {
  if (run.outcome === 'escaped') {
    return `escaped (passes the peak at step ${run.crossedAt}${run.cycle ? `, then settles into a cycle of period ${run.cycle.period} right of the bump` : ''})`;
  }
  if (run.outcome === 'diverged') return `diverged at step ${run.certainAt}`;
  return run.cycle ? `stuck: cycle of period ${run.cycle.period} from step ${run.cycle.from}` : 'stuck (no exact cycle)';
}

export function q1AnswerMarkdown(study: Q1Study): string {
  const { landscape: l, optimizers: o } = study.params;
  const land = study.landscape;
  const rows = OPTIMIZER_NAMES.map((n) => {
    const r = study.runs[n];
    const max = study.maxEscape[n];
    return `| ${OPTIMIZER_LABELS[n]} | ${describeOutcome(r)} | ${r.certainAt ?? '—'} | ${num(r.furthest)} | ${max.h === null ? max.note : num(max.h, 6)} |`;
  });
  return [
    '# Q1: gradient descent against Adam on a bump',
    '',
    '## Setting',
    '',
    `Landscape: start o = ${num(l.start)}, minimum at L = ${num(l.L)}, approach slope −${num(l.approachSlope)}, bump h = ${num(l.h)} ` +
      `(${l.reading === 'h-high-2h-wide' ? 'height h, width 2h' : 'height 2h, width h'}${l.bumpWidth === null ? '' : `, width set to ${num(l.bumpWidth)}`}): ` +
      `height ${num(land.height)}, peak at x = ${num(land.peak)}, bump ends at x = ${num(land.bumpEnd)}, then slope −${num(l.afterSlope)}. ` +
      'Each kink belongs to the piece that starts there: the peak counts as the falling side, the minimum as the rising side.',
    '',
    `Optimizers: a = ${num(o.lr)}; Adam β1 = ${num(o.beta1)}, β2 = ${num(o.beta2)}, ε = ${o.eps}; momentum ${num(o.momentum)}; RMSProp ρ = ${num(o.rho)}; at most ${o.steps} steps.`,
    '',
    '| Optimizer | Outcome at this h | Certain at step | Furthest x | Largest h it escapes |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    '## (1) What standard gradient descent does',
    '',
    study.answer.part1,
    '',
    '## (2) The largest bump Adam escapes (ε = 0)',
    '',
    study.answer.part2,
    '',
  ].join('\n');
}
