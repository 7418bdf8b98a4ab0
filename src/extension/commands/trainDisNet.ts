/** "Train Blur Discriminator": dis_net, then the judge that scores Q2b's comparison with the same settings and its own seed. */
import { judgeConfigOf } from '../../shared/experiment/defaults';
import { disNetConfigOf, mergeOverrides, overridesFrom } from '../../shared/experiment/overrides';
import { settingsOverrides } from '../settings';
import { namingSettings } from '../settingsOverrides';
import { Command } from './command';

/** dis_net's configuration from the settings and any arguments (overrides). */
export const disNetFromArgs = (rawArgs: unknown) => namingSettings(() => disNetConfigOf(mergeOverrides(settingsOverrides(), rawArgs === undefined ? {} : overridesFrom(rawArgs))));

export const trainDisNet: Command = {
  id: 'assignment2.trainDisNet',
  title: 'Train Blur Discriminator',
  async run(deps, rawArgs?: unknown) {
    if (deps.runner.refuseWhileBusy()) return undefined;
    const config = disNetFromArgs(rawArgs);
    const outcomes = await deps.runner.runJobs([
      { label: 'dis_net', spec: { kind: 'trainDisNet', config } },
      { label: 'judge', spec: { kind: 'trainJudge', config: judgeConfigOf(config) } },
    ]);
    deps.showPanel('q2b');
    return outcomes;
  },
};

/** The judge alone, for runs whose dis_net was trained before judges existed. */
export const trainJudge: Command = {
  id: 'assignment2.trainJudge',
  title: 'Train Judge',
  async run(deps, rawArgs?: unknown) {
    if (deps.runner.refuseWhileBusy()) return undefined;
    const outcomes = await deps.runner.runJobs([{ label: 'judge', spec: { kind: 'trainJudge', config: judgeConfigOf(disNetFromArgs(rawArgs)) } }]);
    deps.showPanel('q2b');
    return outcomes;
  },
};
