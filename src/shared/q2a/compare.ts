/** Observations across latent sizes, written from the runs' own figures (for the Q2a tab and report). */
import type { AutoencoderAnalysis, PixelBaseline } from '../../runs/schema';

function trend(values: { latent: number; value: number }[], what: string, digits: number, lowerIsBetter: boolean): string {
  const list = values.map((v) => `L=${v.latent} ${v.value.toFixed(digits)}`).join(', ');
  const rising = values.every((v, i) => i === 0 || v.value > values[i - 1].value);
  const falling = values.every((v, i) => i === 0 || v.value < values[i - 1].value);
  const direction = rising ? 'rises' : falling ? 'falls' : 'is not monotone';
  const better = (rising && !lowerIsBetter) || (falling && lowerIsBetter);
  return `${what} ${direction} as the latent grows (${list})${rising || falling ? (better ? ': larger codes keep more of the image' : ': larger codes do worse here') : ''}.`;
}

export function compareLatents(analyses: AutoencoderAnalysis[], baseline?: PixelBaseline): string[] {
  const runs = [...analyses].sort((a, b) => a.latent - b.latent);
  if (runs.length < 2) return [];
  const notes = [
    trend(runs.map((a) => ({ latent: a.latent, value: a.testL1 })), 'Test L1', 4, true),
    trend(runs.map((a) => ({ latent: a.latent, value: a.sharpness.ratio })), 'Sharpness (reconstructions over originals)', 2, false),
    trend(runs.map((a) => ({ latent: a.latent, value: a.confusions.changed })), 'The share of reconstructions that a class-mean classifier labels differently from their originals', 3, true),
  ];
  const best = runs.reduce((b, a) => (a.kmeans.nmi > b.kmeans.nmi ? a : b));
  notes.push(
    `K-means clusters the L=${best.latent} latents best (accuracy ${best.kmeans.accuracy.toFixed(3)}, NMI ${best.kmeans.nmi.toFixed(3)})` +
      (baseline ? `; raw pixels give accuracy ${baseline.kmeans.accuracy.toFixed(3)}, NMI ${baseline.kmeans.nmi.toFixed(3)}.` : '.'),
  );
  return notes;
}

/** Observations comparing two runs, (a) and (b), from their analyses. */
export function compareRuns(a: AutoencoderAnalysis, b: AutoencoderAnalysis): string[] {
  const change = (x: number, y: number) => `${x.toFixed(3)} → ${y.toFixed(3)}`;
  const l1 = (100 * (b.testL1 - a.testL1)) / a.testL1;
  const notes = [
    `Test L1 ${change(a.testL1, b.testL1)}: (b) is ${l1 >= 0 ? `${l1.toFixed(1)}% worse` : `${(-l1).toFixed(1)}% better`} at reconstructing pixel by pixel.`,
    `Sharpness ${change(a.sharpness.ratio, b.sharpness.ratio)}: (b)'s reconstructions have ${b.sharpness.ratio > a.sharpness.ratio ? 'stronger edges than' : b.sharpness.ratio < a.sharpness.ratio ? 'weaker edges than' : 'the same edge strength as'} (a)'s (1 = as strong as the originals).`,
    `K-means accuracy on the latents ${change(a.kmeans.accuracy, b.kmeans.accuracy)}, NMI ${change(a.kmeans.nmi, b.kmeans.nmi)}.`,
  ];
  if (a.disNetClearScore !== undefined && b.disNetClearScore !== undefined) {
    notes.splice(2, 0, `dis_net's clear score ${change(a.disNetClearScore, b.disNetClearScore)}: dis_net finds (b) ${b.disNetClearScore > a.disNetClearScore ? 'clearer' : 'no clearer'}.`);
  }
  return notes;
}
