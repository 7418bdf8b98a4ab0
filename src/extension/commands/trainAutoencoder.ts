/** "Train Autoencoder": one run per latent size, on the settings, fresh (not reused), analysed as it finishes. */
import { autoencoderConfigOf, ExperimentOverrides, mergeOverrides } from '../../shared/experiment/overrides';
import { DEFAULT_AUTOENCODER } from '../../shared/experiment/defaults';
import { settingsOverrides } from '../settings';
import { namingSettings } from '../settingsOverrides';
import { askAutoencoders } from './ask';
import { argsFrom, Command } from './command';

export const trainAutoencoder: Command = {
  id: 'assignment2.trainAutoencoder',
  title: 'Train Autoencoder',
  async run(deps, rawArgs?: unknown) {
    if (deps.runner.refuseWhileBusy()) return undefined;
    const settings = settingsOverrides();
    const args = await argsFrom(rawArgs, ExperimentOverrides, () => askAutoencoders(settings), 'Train Autoencoder');
    if (!args) return undefined;
    const overrides = mergeOverrides(settings, args);
    // Every configuration is made (and so validated) before anything starts.
    const jobs = (overrides.latents ?? [DEFAULT_AUTOENCODER.latent]).map((latent) => ({ label: `L=${latent}`, spec: { kind: 'trainAutoencoder' as const, config: namingSettings(() => autoencoderConfigOf(overrides, latent)) } }));
    return deps.runner.runJobs(jobs);
  },
};
