/**
 * "Open Report in Browser": report.html, the self-contained page of the exported report, in the
 * system's browser, where it prints to PDF. Offered after every export; also in the palette.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { REPORT_FOLDER } from '../../shared/experiment/defaults';
import { z } from '../../shared/zod';
import { parseMessage } from '../../shared/validation';
import { Command } from './command';

const Args = z.object({ file: z.string().min(1) }).partial().strict();

export const openReportInBrowser: Command = {
  id: 'assignment2.openReportInBrowser',
  title: 'Open Report in Browser',
  async run(_deps, rawArgs?: unknown) {
    const args = parseMessage(Args, rawArgs ?? {});
    if (!args.ok) throw new Error(`Invalid arguments for Open Report in Browser: ${args.error}`);
    const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file');
    const file = args.value.file ?? (folder && path.join(folder.uri.fsPath, REPORT_FOLDER, 'report.html'));
    if (!file || !fs.existsSync(file)) throw new Error(`There is no ${file ?? `${REPORT_FOLDER}/report.html`} yet: run "Assignment2: Export Report" first.`);
    return openInBrowser(file);
  },
};

/** A report.html in the system's browser (the sweep reports' command too); returns the file. */
export async function openInBrowser(file: string): Promise<string> {
  const opened = await vscode.env.openExternal(vscode.Uri.file(file));
  if (!opened) throw new Error(`The browser did not open ${file}; open it from your file manager.`);
  return file;
}
