/** "Run Q1 Optimizer Study": the defaults, or the given parameters, studied in the engine and saved as a run. */
import { Q1Params } from '../shared/q1/params';
import { RunQ1StudyArgs } from './commands/args';
import { parseMessage } from '../shared/validation';
import { DEFAULT_Q1_PARAMS } from '../shared/q1/study';
import { EngineClient, JobOutcome } from './engineClient';
import { WorkbenchState } from './workbenchState';

/** Merges the arguments over the defaults; both the arguments and the result are validated. */
export function q1ParamsFrom(rawArgs: unknown): Q1Params {
  const args = parseMessage(RunQ1StudyArgs, rawArgs ?? {});
  if (!args.ok) throw new Error(`Invalid arguments for Run Q1 Optimizer Study: ${args.error}`);
  const merged = {
    landscape: { ...DEFAULT_Q1_PARAMS.landscape, ...args.value.landscape },
    optimizers: { ...DEFAULT_Q1_PARAMS.optimizers, ...args.value.optimizers },
  };
  const params = parseMessage(Q1Params, merged);
  if (!params.ok) throw new Error(`Invalid Q1 parameters: ${params.error}`);
  return params.value;
}

export async function runQ1Study(engine: EngineClient, state: WorkbenchState, runsDir: string, rawArgs?: unknown): Promise<JobOutcome> {
  const params = q1ParamsFrom(rawArgs);
  const { done } = engine.startJob({ kind: 'q1Study', params }, runsDir, () => undefined);
  try {
    return await done;
  } finally {
    state.refreshRuns();
  }
}
