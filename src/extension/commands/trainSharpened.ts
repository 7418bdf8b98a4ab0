/**
 * "Train Sharpened Autoencoder": Q2b as the engine's composite job, the same one `npx assignment2 q2b`
 * runs: the Q2a runs, dis_net and the judge (reused when they exist, trained when not), then (b) in the
 * chosen mode, judged against its (a), the verdict stored with (b).
 */
import { ExperimentOverrides, experimentSetups, mergeOverrides } from '../../shared/experiment/overrides';
import { settingsOverrides } from '../settings';
import { namingSettings } from '../settingsOverrides';
import { askSharpened, confirmPlan } from './ask';
import { argsFrom, Command } from './command';

export const trainSharpened: Command = {
  id: 'assignment2.trainSharpened',
  title: 'Train Sharpened Autoencoder',
  async run(deps, rawArgs?: unknown) {
    if (deps.runner.refuseWhileBusy()) return undefined;
    const args = await argsFrom(rawArgs, ExperimentOverrides, askSharpened, 'Train Sharpened Autoencoder');
    if (!args) return undefined;
    const overrides = mergeOverrides(settingsOverrides(), args);
    namingSettings(() => experimentSetups(overrides));
    // From the palette, the plan first: it may train Q2a runs, dis_net and the judge as well.
    if (rawArgs === undefined && !(await confirmPlan(await deps.engine.planExperiment(deps.runsDir(), 'q2b', overrides), 'Q2b'))) return undefined;
    const outcome = await deps.runner.runExperiment({ kind: 'q2b', overrides }, 'Q2b');
    deps.showPanel('q2b');
    return outcome;
  },
};
