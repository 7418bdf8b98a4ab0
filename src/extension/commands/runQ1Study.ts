/** "Run Q1 Optimizer Study": the defaults, or the given parameters, studied in the engine and saved as a run. */
import { ExperimentOverrides, q1ParamsOf } from '../../shared/experiment/overrides';
import { parseMessage } from '../../shared/validation';
import { Command } from './command';

/** Arguments: any landscape and optimizer parameters to change, as the overrides' q1 group. */
const Args = ExperimentOverrides.shape.q1.unwrap();

export const runQ1Study: Command = {
  id: 'assignment2.runQ1Study',
  title: 'Run Q1 Optimizer Study',
  async run(deps, rawArgs?: unknown) {
    const args = parseMessage(Args, rawArgs ?? {});
    if (!args.ok) throw new Error(`Invalid arguments for Run Q1 Optimizer Study: ${args.error}`);
    let params;
    try {
      params = q1ParamsOf({ q1: args.value });
    } catch (err) {
      throw new Error(`Invalid Q1 parameters: ${(err as Error).message}`);
    }
    const { done } = deps.engine.startJob({ kind: 'q1Study', params }, deps.runsDir(), () => undefined);
    const outcome = await done;
    deps.state.refreshRun(outcome.runId);
    deps.showPanel('q1');
    return outcome;
  },
};
