/** The written answers to Q1 (1) and (2), generated from the simulation's own numbers. */
import type { OptimizerRun } from './simulate';
import type { Q1StudyData } from './studyTypes';

/** Short decimals for prose: 0.30000000000000004 reads as 0.3. */
export function num(x: number, digits = 4): string {
  return String(Number(x.toFixed(digits)));
}

function settleText(run: OptimizerRun, steps: number): string {
  const tail = run.cycle ? run.cycle.points : run.x.slice(-50);
  const range = `x between ${num(Math.min(...tail))} and ${num(Math.max(...tail))}`;
  return run.cycle
    ? `a cycle of period ${run.cycle.period} (${range}) from step ${run.cycle.from}, confirmed at step ${run.certainAt}`
    : `an oscillation (${range}) that does not repeat exactly within ${steps} steps`;
}

export function answerPart1(study: Q1StudyData): string {
  const { params, landscape: land, runs, maxEscape } = study;
  const { lr } = params.optimizers;
  const { start, L, approachSlope, h, reading } = params.landscape;
  const gd = runs.gd;
  const step = lr * approachSlope;
  const halfWidth = land.peak - L;
  const shown = gd.cycle ? gd.cycle.from + gd.cycle.period : Math.min(gd.x.length - 1, 8);
  const parts: string[] = [
    `Plain gradient descent with a = ${num(lr)} starts at o = ${num(start)}. Left of the minimum f' = −${num(approachSlope)}, so every step there moves right by a·${num(approachSlope)} = ${num(step)}; it visits x = ${gd.x
      .slice(0, shown + 1)
      .map((x) => num(x))
      .join(', ')}, …`,
  ];
  if (gd.outcome === 'stuck' && gd.cycle) {
    const left = gd.cycle.points.filter((x) => x < L);
    const inBump = gd.cycle.points.filter((x) => x >= L && x < land.peak);
    parts.push(
      `From step ${gd.cycle.from} on it repeats ${gd.cycle.points.map((x) => num(x)).join(' → ')} forever, a cycle of period ${gd.cycle.period}: gradient descent has no memory, so once an x repeats, everything after it repeats (certain at step ${gd.certainAt}).`,
    );
    if (left.length && inBump.length) {
      parts.push(
        `From x = ${num(left[0])}, left of L = ${num(L)}, the step lands at ${num(inBump[0])} on the rising side of the bump (L ≤ x < ${num(land.peak)}), where f' = +${num(land.pieces[1].slope)} and the next step points back left.`,
      );
    }
  } else if (gd.outcome === 'escaped') {
    parts.push(`It passes the peak at x = ${num(land.peak)} on step ${gd.crossedAt} and keeps going.`);
  } else if (gd.outcome === 'diverged') {
    parts.push(`Its iterates leave the finite numbers at step ${gd.certainAt}: the learning rate is too large.`);
  } else {
    parts.push(`It stays left of the peak: ${settleText(gd, params.optimizers.steps)}.`);
  }
  const readingText = reading === 'h-high-2h-wide' ? `h = ${num(h)} > a = ${num(lr)}` : `h/2 = ${num(h / 2)} > a = ${num(lr)}`;
  if (halfWidth > step) {
    parts.push(
      `It cannot cross: to pass the bump one step must carry it from the left of L to the peak ${num(halfWidth)} past L, but a step that starts left of L ends before L + a·${num(approachSlope)} = ${num(L + step)}; ` +
        `and on the rising side the gradient points back. With slopes of 1 this is the condition ${readingText}. GD stays in the basin of the local minimum, bouncing around x = L.`,
    );
  } else {
    parts.push(
      `Here a step (${num(step)}) is at least the bump's half-width (${num(halfWidth)}), so whether GD jumps over depends on where its last approach step lands.`,
    );
  }
  const gdMax = maxEscape.gd;
  if (gdMax.h !== null) {
    parts.push(`From this start GD escapes only bumps up to h = ${num(gdMax.h, 6)}: that is how far past L its last approach step lands.`);
  }
  return parts.join(' ');
}

export function answerPart2(study: Q1StudyData): string {
  const { params, landscape: land, runs, maxEscape, sweepLr } = study;
  const { lr, beta1, beta2, eps, steps } = params.optimizers;
  const { L, h, approachSlope, afterSlope } = params.landscape;
  const adam = runs.adam;
  const max = maxEscape.adam;
  const side = land.pieces[1].slope;
  const parts: string[] = [
    `Adam (Algorithm 1: α = ${num(lr)}, β1 = ${num(beta1)}, β2 = ${num(beta2)}, ε = ${eps}) steps by α·m̂/(√v̂ + ε), with m̂ and v̂ the bias-corrected averages of the gradients and of their squares.`,
  ];
  const unitSlopes = [approachSlope, side, Math.abs(afterSlope)].every((s) => s === approachSlope);
  if (unitSlopes) {
    parts.push(
      `Here |f'| = ${num(approachSlope)} everywhere, so v̂ = ${num(approachSlope ** 2)} exactly and every step is α·m̂${approachSlope === 1 ? '' : `/${num(approachSlope)}`}: α times a weighted average of past gradient signs. On the approach Adam moves exactly like GD, ${num(lr)} per step.`,
    );
  }
  // The coast: the run that turns back (this h if Adam is stuck here, else the one just above h*).
  const coast = adam.outcome === 'stuck' ? adam : max.above;
  if (coast) {
    const enter = coast.x.findIndex((x) => x >= L);
    parts.push(
      `It enters the bump at step ${enter} (x = ${num(coast.x[enter])}). There f' turns to +${num(side)}, but m̂ forgets the approach only geometrically (β1 = ${num(beta1)}), so Adam keeps climbing while m̂ < 0: it reaches x = ${num(coast.furthest)}, ${num(coast.furthest - L)} past L, at step ${coast.furthestAt}, then turns back.`,
    );
  }
  if (max.h !== null && max.below && max.above && max.bracket) {
    parts.push(
      `So Adam escapes exactly the bumps whose peak lies within that coast. The largest escapable height is h* = ${num(max.h, 6)} (bisection over h to ±${(max.bracket[1] - max.bracket[0]).toExponential(0)}; ${max.note}).`,
      `Just below, at h = ${num(max.bracket[0], 9)}, Adam passes the peak on step ${max.below.crossedAt} and keeps going; just above, at h = ${num(max.bracket[1], 9)}, it turns back at x = ${num(max.above.furthest)} and settles into ${settleText(max.above, steps)}.`,
    );
  } else {
    parts.push(`Adam ${max.note}.`);
  }
  parts.push(
    adam.escaped
      ? `With the chosen h = ${num(h)}, Adam escapes: it passes the peak on step ${adam.crossedAt}.`
      : `With the chosen h = ${num(h)}, Adam is stuck: ${settleText(adam, steps)}.`,
  );
  parts.push(
    adam.guardHits === 0
      ? `With ε = 0 the denominator was never 0 (no gradient on this landscape is 0), so the 0/0 guard never acted.`
      : `With ε = 0, on ${adam.guardHits} steps every gradient so far was 0, making m̂/√v̂ = 0/0; the guard took those steps as 0 (m̂ = 0 there, the limit as ε → 0).`,
  );
  const swept = sweepLr.lr.map((a, i) => ({ a, h: sweepLr.maxH.adam[i] })).filter((p): p is { a: number; h: number } => p.h !== null);
  if (swept.length > 1) {
    const low = swept.reduce((m, p) => (p.h < m.h ? p : m));
    const high = swept.reduce((m, p) => (p.h > m.h ? p : m));
    const rises = swept.slice(1).filter((p, i) => p.h > swept[i].h).length;
    parts.push(
      rises === swept.length - 1
        ? `Over α from ${num(swept[0].a)} to ${num(swept.at(-1)!.a)} the escapable height grows steadily, from ${num(swept[0].h)} to ${num(swept.at(-1)!.h)}.`
        : `h* is not monotone in α: it also depends on how far past L the last approach step lands, so over α from ${num(swept[0].a)} to ${num(swept.at(-1)!.a)} it saws between ${num(low.h)} (α = ${num(low.a)}) and ${num(high.h)} (α = ${num(high.a)}).`,
    );
  }
  if (maxEscape.gd.h !== null && max.h !== null) {
    parts.push(`Gradient descent at the same rate escapes only up to h = ${num(maxEscape.gd.h, 6)}: Adam's momentum carries it ${num(max.h / maxEscape.gd.h, 3)}× as high.`);
  }
  return parts.join(' ');
}
