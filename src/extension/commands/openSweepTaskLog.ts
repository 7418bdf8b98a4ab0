/** "Open Task Log": a sweep task's output (its q2b command line first) in an editor. */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { fileInSweep, taskLabel } from '../views/sweeps/sweepList';
import { Command } from './command';
import { taskArg } from './sweepArgs';

export const openSweepTaskLog: Command = {
  id: 'assignment2.openSweepTaskLog',
  title: 'Open Task Log',
  async run(deps, raw?: unknown) {
    const args = await taskArg(deps, raw, 'Open Task Log');
    if (!args) return undefined;
    const { dir, task } = args;
    const file = fileInSweep(dir, task.log, 'The log');
    if (!fs.existsSync(file)) {
      // A task whose runs were all trained already is marked done without a process, so without output.
      const why = task.status === 'pending' ? 'it has not started' : task.status === 'completed' ? 'its runs were trained already, so no process ran' : 'its process wrote none';
      throw new Error(`${taskLabel(task)} has no log (${file}): ${why}.`);
    }
    await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
    return file;
  },
};
