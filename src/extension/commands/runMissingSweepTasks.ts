/**
 * "Run Missing Tasks": the sweep's own command line again, in a terminal in the workspace folder, where
 * it plans every task and runs only those with something to train (here, or submitted to Slurm as it
 * was). The command is shown, and asked about, first.
 */
import * as vscode from 'vscode';
import { runsDirOf } from '../../engine/sweep/sweepFolder';
import { rerunCommand } from '../views/sweeps/rerun';
import { Command } from './command';
import { sweepArg } from './sweepArgs';

export const runMissingSweepTasks: Command = {
  id: 'assignment2.runMissingSweepTasks',
  title: 'Run Missing Tasks',
  async run(deps, raw?: unknown) {
    const sweep = await sweepArg(deps, raw, 'Run Missing Tasks');
    if (!sweep) return undefined;
    const cwd = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri.fsPath;
    const command = rerunCommand(sweep.record, runsDirOf(sweep.dir, sweep.record), cwd);
    const answer = await vscode.window.showInformationMessage(
      `Run the missing tasks of sweep ${sweep.record.id} in a terminal?`,
      { modal: true, detail: `${command}\n\nRun again, the sweep runs only the tasks with something left to train.` },
      'Run in Terminal',
    );
    if (answer !== 'Run in Terminal') return undefined;
    const terminal = vscode.window.createTerminal({ name: `Assignment2 ${sweep.record.id}`, cwd });
    terminal.show();
    terminal.sendText(command);
    return command;
  },
};
