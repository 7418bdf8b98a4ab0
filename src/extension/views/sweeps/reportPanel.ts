/**
 * A sweep's report.html in a webview panel beside the editor (the workbench, say) it is read against,
 * one per sweep (opening it again reveals it), redrawn when the file changes. The page is
 * self-contained (its figures are data: URLs), so the panel runs no script and may load no file; a
 * policy allowing inline images and styles only is put first in its head, over whatever policy the
 * file itself carries.
 */
import * as fs from 'node:fs';
import * as vscode from 'vscode';

const VIEW_TYPE = 'assignment2.sweepReport';
const POLICY = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`;

interface Shown {
  panel: vscode.WebviewPanel;
  file: string;
  /** The file's time when it was drawn. */
  mtimeMs: number;
}

const panels = new Map<string, Shown>();

/** The page as the panel shows it; a file that is not an HTML page is refused. */
function pageOf(file: string): string {
  const html = fs.readFileSync(file, 'utf8');
  if (!/<head\b[^>]*>/i.test(html)) throw new Error(`${file} is not an HTML page (it has no <head>); write it again with npx assignment2 sweep-report.`);
  return html.replace(/<head\b[^>]*>/i, (head) => `${head}${POLICY}`);
}

function draw(shown: Shown): void {
  shown.mtimeMs = fs.statSync(shown.file).mtimeMs;
  shown.panel.webview.html = pageOf(shown.file);
}

/** Opens (or reveals, and redraws) the report of the sweep in `dir`. */
export function showSweepReport(dir: string, file: string, label: string): void {
  const open = panels.get(dir);
  if (open) {
    open.file = file;
    draw(open);
    open.panel.reveal();
    return;
  }
  const html = pageOf(file);
  const panel = vscode.window.createWebviewPanel(VIEW_TYPE, `Sweep report: ${label}`, vscode.ViewColumn.Beside, { enableScripts: false, localResourceRoots: [] });
  const shown: Shown = { panel, file, mtimeMs: fs.statSync(file).mtimeMs };
  panel.webview.html = html;
  panels.set(dir, shown);
  panel.onDidDispose(() => panels.delete(dir));
}

/** Redraws each open report whose file has changed since it was drawn; one that is gone stays as it was. */
export function refreshSweepReports(log: (line: string) => void): void {
  for (const shown of panels.values()) {
    if (!fs.existsSync(shown.file)) continue;
    try {
      if (fs.statSync(shown.file).mtimeMs !== shown.mtimeMs) draw(shown);
    } catch (err) {
      log(`Sweep report ${shown.file} not redrawn: ${(err as Error).message}`);
    }
  }
}
