/**
 * The command line that finishes a sweep: the one that made it, run again (it runs only the tasks with
 * something left to train). sweep.json may be written by anyone and this text goes to a shell, so it
 * must be a sweep's command line, and every word is quoted. Free of the vscode module.
 */
import * as path from 'node:path';
import { SweepRecord, sweepCommand } from '../../../shared/experiment/sweep';

/**
 * The sweep's command for a terminal in `cwd` (the workspace folder, if any), given the sweep's runs
 * folder: a command that names no runs folder (it was run elsewhere) gets that one, unless it is the
 * command line's default in `cwd` (`<cwd>/.assignment2/runs`).
 */
export function rerunCommand(record: SweepRecord, runsDir: string, cwd: string | undefined): string {
  if (record.argv[0] !== 'sweep') throw new Error(`The command recorded in sweep ${record.id} (${sweepCommand(record)}) is not an "npx assignment2 sweep" command line; run the sweep yourself in a terminal.`);
  const namesRunsDir = record.argv.some((word) => word === '--runs-dir' || word.startsWith('--runs-dir='));
  if (namesRunsDir || (cwd !== undefined && path.resolve(cwd, '.assignment2', 'runs') === path.resolve(runsDir))) return sweepCommand(record);
  return sweepCommand({ argv: [...record.argv, '--runs-dir', runsDir] });
}
