import * as path from 'node:path';
import { disNetConfigOf } from '../../../shared/experiment/overrides';
import { progressPrinter } from '../../cliProgress';
import { runJob } from '../../jobs/runJob';
import { CliCommand } from '../command';
import { withFlagNames } from '../flags';
import { DISNET_FLAGS } from '../tables';
import { overridesOf } from './overrides';

export const disnet: CliCommand = {
  name: 'disnet',
  summary: 'Q2b: train dis_net, the blur discriminator (clear vs Gaussian-blurred MNIST), and report its test accuracy and confusion matrix.',
  flags: DISNET_FLAGS,
  async run(inv) {
    const { overrides } = overridesOf(DISNET_FLAGS, inv);
    const config = withFlagNames(DISNET_FLAGS, inv.values, () => disNetConfigOf(overrides));
    const record = await runJob({ kind: 'trainDisNet', config }, inv.context(progressPrinter()));
    const summary = record.summary?.kind === 'disnet' ? record.summary : undefined;
    const runDir = path.join(inv.runsDir, record.id);
    if (inv.json) inv.out(JSON.stringify({ runId: record.id, runDir, status: record.status, config, testAccuracy: summary?.testAccuracy, confusion: summary?.confusion }, null, 2) + '\n');
    else {
      const [[cc, cb], [bc, bb]] = summary?.confusion ?? [[0, 0], [0, 0]];
      inv.out(
        `${record.status}: test accuracy ${((summary?.testAccuracy ?? 0) * 100).toFixed(3)}% on ${config.testImages} clear + ${config.testImages} blurred test images\n` +
          `                 says clear  says blurred\n  clear        ${String(cc).padStart(10)}  ${String(cb).padStart(12)}\n  blurred      ${String(bc).padStart(10)}  ${String(bb).padStart(12)}\nRun folder: ${runDir}\n`,
      );
    }
    return record.status === 'cancelled' ? 130 : 0;
  },
};
