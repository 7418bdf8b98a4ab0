/**
 * "Run Missing Parts": the whole assignment as `npx assignment2 all` runs it, on the same defaults and
 * the settings: the engine's plan is shown first (what it trains, what it reuses, about how long), then
 * the engine trains what is missing and writes the report folder.
 */
import { ExperimentOverrides, experimentSetups, mergeOverrides } from '../../shared/experiment/overrides';
import { z } from '../../shared/zod';
import { parseMessage } from '../../shared/validation';
import { settingsOverrides } from '../settings';
import { namingSettings } from '../settingsOverrides';
import { confirmPlan } from './ask';
import { Command } from './command';
import { reportFolder, showReport } from './exportReport';

/** Programmatic calls (tests, the export's offer) give the overrides and the folder, and are not asked. */
const Args = z.object({ overrides: ExperimentOverrides.optional(), outDir: z.string().min(1).optional() }).strict();

export const runMissingParts: Command = {
  id: 'assignment2.runMissingParts',
  title: 'Run Missing Parts',
  async run(deps, rawArgs?: unknown) {
    if (deps.runner.refuseWhileBusy()) return undefined;
    const args = parseMessage(Args, rawArgs ?? {});
    if (!args.ok) throw new Error(`Invalid arguments for Run Missing Parts: ${args.error}`);
    const overrides = mergeOverrides(settingsOverrides(), args.value.overrides ?? {});
    namingSettings(() => experimentSetups(overrides));
    const outDir = args.value.outDir ?? (await reportFolder());
    if (!outDir) return undefined;
    if (rawArgs === undefined && !(await confirmPlan(await deps.engine.planExperiment(deps.runsDir(), 'all', overrides), 'the whole assignment'))) return undefined;
    const outcome = await deps.runner.runExperiment({ kind: 'all', overrides, outDir, command: '"Assignment2: Run Missing Parts" in VS Code' }, 'the whole assignment');
    if (outcome.report) await showReport(outcome.report, false);
    return outcome;
  },
};
