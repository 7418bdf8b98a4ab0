/** Observations across latent sizes, written from the runs' own figures (for the Q2a tab and report). */
import type { AutoencoderAnalysis, PixelBaseline } from '../protocol';

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
