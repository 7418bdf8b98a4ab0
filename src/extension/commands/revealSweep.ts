/** "Reveal Sweep Folder": the sweep's folder (sweep.json, logs/, report/) in the system's file manager. */
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { Command } from './command';
import { sweepDirArg } from './sweepArgs';

export const revealSweep: Command = {
  id: 'assignment2.revealSweep',
  title: 'Reveal Sweep Folder',
  async run(deps, raw?: unknown) {
    const dir = await sweepDirArg(deps, raw, 'Reveal Sweep Folder');
    if (dir === undefined) return;
    if (!fs.existsSync(dir)) throw new Error(`${dir} is gone.`);
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(dir));
  },
};
