/**
 * "Export Report": the engine writes assignment2-report/ into the workspace from the newest runs of each
 * part, then the report opens in the Markdown preview. Missing parts are named, with an offer to run
 * them on the same defaults as `npx assignment2 all` and export again.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ExportReportArgs } from './commands/args';
import { MissingPart, ReportSummary } from '../engine/report/schema';
import { SHARPEN_MODES, SharpenMode } from '../shared/jobs/specs';
import { parseMessage } from '../shared/validation';
import { DEFAULT_SHARPEN_EPOCHS } from '../shared/q2b/defaults';
import { EngineClient, JobOutcome } from './engineClient';

export const REPORT_FOLDER = 'assignment2-report';
const RUN_MISSING = 'Run Missing Parts';

async function chooseOutDir(rawArgs: unknown): Promise<string | undefined> {
  const args = parseMessage(ExportReportArgs, rawArgs ?? {});
  if (!args.ok) throw new Error(`Invalid arguments for Export Report: ${args.error}`);
  if (args.value.outDir) return args.value.outDir;
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder?.uri.scheme === 'file') return path.join(folder.uri.fsPath, REPORT_FOLDER);
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: `Write ${REPORT_FOLDER} here`, title: 'Export Report: no folder is open' });
  return picked?.[0] && path.join(picked[0].fsPath, REPORT_FOLDER);
}

/** The commands that produce the missing parts, in the order the report needs them. */
async function runMissing(missing: MissingPart[]): Promise<boolean> {
  const latents = (part: MissingPart['part'], mode?: SharpenMode) => missing.filter((m) => m.part === part && m.latent !== undefined && m.mode === mode).map((m) => m.latent!);
  const steps: [string, unknown][] = [];
  if (missing.some((m) => m.part === 'q1')) steps.push(['assignment2.runQ1Study', undefined]);
  if (latents('q2a').length) steps.push(['assignment2.trainAutoencoder', { latents: latents('q2a') }]);
  // Training dis_net trains a judge with it; a dis_net from before judges existed needs one of its own.
  if (missing.some((m) => m.part === 'disNet')) steps.push(['assignment2.trainDisNet', undefined]);
  else if (missing.some((m) => m.part === 'judge')) steps.push(['assignment2.trainJudge', undefined]);
  for (const mode of SHARPEN_MODES) {
    if (latents('q2b', mode).length) steps.push(['assignment2.trainSharpened', { latents: latents('q2b', mode), mode, start: 'q2a', epochs: DEFAULT_SHARPEN_EPOCHS }]);
  }
  for (const [command, args] of steps) {
    const outcome = (await vscode.commands.executeCommand(command, args)) as JobOutcome | JobOutcome[] | undefined;
    const outcomes = outcome === undefined ? [] : Array.isArray(outcome) ? outcome : [outcome];
    if (!outcomes.length || outcomes.some((o) => o.status !== 'completed')) return false;
  }
  return true;
}

export class ReportExporter {
  constructor(
    private readonly engine: EngineClient,
    private readonly runsDir: () => string,
  ) {}

  /** Returns the summary (for callers such as tests), or undefined when the user backed out. */
  async export(rawArgs?: unknown): Promise<ReportSummary | undefined> {
    const outDir = await chooseOutDir(rawArgs);
    if (!outDir) return undefined;
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Assignment 2: exporting the report', cancellable: true },
      async (progress, token) => {
        const { jobId, done } = this.engine.exportReport(this.runsDir(), outDir, (event) => {
          if (event.type === 'log') progress.report({ message: event.message });
        });
        const cancel = token.onCancellationRequested(() => this.engine.cancel(jobId));
        try {
          return await done;
        } finally {
          cancel.dispose();
        }
      },
    );
    await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.file(summary.reportFile));
    if (summary.missing.length && !rawArgs) void this.offerMissing(summary.missing, outDir);
    return summary;
  }

  private async offerMissing(missing: MissingPart[], outDir: string): Promise<void> {
    const pick = await vscode.window.showWarningMessage(
      `Assignment 2: the report lacks ${missing.length} part${missing.length > 1 ? 's' : ''}: ${missing.map((m) => m.message).join(' ')}`,
      RUN_MISSING,
    );
    if (pick === RUN_MISSING && (await runMissing(missing))) await this.export({ outDir });
  }
}
