/**
 * "Export Report": the engine writes assignment2-report/ from the newest runs of each part, then the
 * report opens in the Markdown preview, with report.html offered in the browser. Missing parts are named, with an offer to run them
 * ("Run Missing Parts": the same composite job as `npx assignment2 all`).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { REPORT_FOLDER } from '../../shared/experiment/defaults';
import { z } from '../../shared/zod';
import { parseMessage } from '../../shared/validation';
import { ReportSummary } from '../../engine/report/schema';
import { Command } from './command';

const RUN_MISSING = 'Run Missing Parts';
const OPEN_IN_BROWSER = 'Open Report in Browser';

/**
 * The report in the Markdown preview, and a notification offering report.html in the browser; when
 * parts are missing it names them, with the offer to run them if a user (not a caller) asked.
 */
export async function showReport(summary: ReportSummary, offerMissing: boolean): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(summary.reportFile));
  const { missing } = summary;
  const actions = [OPEN_IN_BROWSER, ...(missing.length && offerMissing ? [RUN_MISSING] : [])];
  const shown = missing.length
    ? vscode.window.showWarningMessage(`Assignment 2: the report lacks ${missing.length} part${missing.length > 1 ? 's' : ''}: ${missing.map((m) => m.message).join(' ')}`, ...actions)
    : vscode.window.showInformationMessage(`Assignment 2: the report is in ${summary.outDir}.`, ...actions);
  void shown.then((pick) => {
    if (pick === RUN_MISSING) void vscode.commands.executeCommand('assignment2.runMissingParts');
    if (pick === OPEN_IN_BROWSER) void vscode.commands.executeCommand('assignment2.openReportInBrowser', { file: summary.htmlFile });
  });
}

/** Arguments when called programmatically: where the folder goes (default: the workspace). */
const Args = z.object({ outDir: z.string().min(1) }).partial().strict();

/** The report folder in the workspace, or where the user picks when no folder is open. */
export async function reportFolder(): Promise<string | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder?.uri.scheme === 'file') return path.join(folder.uri.fsPath, REPORT_FOLDER);
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: `Write ${REPORT_FOLDER} here`, title: 'Export Report: no folder is open' });
  return picked?.[0] && path.join(picked[0].fsPath, REPORT_FOLDER);
}

export const exportReport: Command = {
  id: 'assignment2.exportReport',
  title: 'Export Report',
  async run(deps, rawArgs?: unknown) {
    const args = parseMessage(Args, rawArgs ?? {});
    if (!args.ok) throw new Error(`Invalid arguments for Export Report: ${args.error}`);
    const outDir = args.value.outDir ?? (await reportFolder());
    if (!outDir) return undefined;
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Assignment 2: exporting the report', cancellable: true },
      async (progress, token) => {
        const { jobId, done } = deps.engine.exportReport(deps.runsDir(), outDir, (event) => {
          if (event.type === 'log') progress.report({ message: event.message });
        });
        const cancel = token.onCancellationRequested(() => deps.engine.cancel(jobId));
        try {
          return await done;
        } finally {
          cancel.dispose();
        }
      },
    );
    await showReport(summary, rawArgs === undefined);
    return summary;
  },
};
