/** One-line descriptions shared by the command line, the output channel and the runs view. */
import { EpochMetrics, Spread, isAutoencoderEpoch } from '../runs/schema';

/** A figure for a table cell: '—' where there is none yet. */
export function fixed(value: number | undefined, digits: number): string {
  return value === undefined ? '—' : value.toFixed(digits);
}

/** A figure over seeds: mean ± sample standard deviation. */
export function meanSd(x: Spread, digits: number): string {
  return `${x.mean.toFixed(digits)} ± ${x.sd.toFixed(digits)}`;
}

export function describeEpoch(m: EpochMetrics): string {
  return isAutoencoderEpoch(m)
    ? `epoch ${m.epoch}: train L1 ${m.trainL1.toFixed(4)}, test L1 ${m.testL1.toFixed(4)}, ${m.seconds.toFixed(1)} s${m.collapse ? ', COLLAPSED' : ''}`
    : `epoch ${m.epoch}: train loss ${m.trainLoss.toFixed(4)}, test accuracy ${(100 * m.testAccuracy).toFixed(3)}%, ${m.seconds.toFixed(1)} s`;
}
