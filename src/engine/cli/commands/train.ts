import * as path from 'node:path';
import { DEFAULT_AUTOENCODER } from '../../../shared/experiment/defaults';
import { autoencoderConfigOf } from '../../../shared/experiment/overrides';
import { progressPrinter } from '../../cliProgress';
import { runJob } from '../../jobs/runJob';
import { CliCommand } from '../command';
import { UsageError, withFlagNames } from '../flags';
import { LATENT_FLAG, TRAINING_FLAGS } from '../tables';
import { overridesOf } from './overrides';

const flags = [LATENT_FLAG, ...TRAINING_FLAGS];

export const train: CliCommand = {
  name: 'train',
  summary: 'Train one MNIST autoencoder (L1 loss, Adam) and save it as a run folder.',
  flags,
  async run(inv) {
    const { overrides } = overridesOf(flags, inv);
    if ((overrides.latents?.length ?? 1) !== 1) throw new UsageError('--latent takes one size for train; q2a trains several.');
    const config = withFlagNames(flags, inv.values, () => autoencoderConfigOf(overrides, overrides.latents?.[0] ?? DEFAULT_AUTOENCODER.latent));
    const record = await runJob({ kind: 'trainAutoencoder', config }, inv.context(progressPrinter()));
    const runDir = path.join(inv.runsDir, record.id);
    const summary = record.summary?.kind === 'training' ? record.summary : undefined;
    if (inv.json) inv.out(JSON.stringify({ runId: record.id, runDir, status: record.status, backend: record.backend, config, summary }, null, 2) + '\n');
    else inv.err(`${record.status}: test L1 ${summary?.finalTestL1?.toFixed(4) ?? '—'} after ${summary?.epochsCompleted ?? 0} epochs. Run folder: ${runDir}\n`);
    return record.status === 'cancelled' ? 130 : 0;
  },
};
