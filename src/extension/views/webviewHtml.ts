/**
 * The page of every webview of the extension: a Content-Security-Policy with a fresh nonce per load,
 * no remote sources, and only files from the extension (the callers' localResourceRoots).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPage {
  title: string;
  /** Path segments under the extension folder, e.g. ['media', 'workbench.css']. */
  stylesheets: string[][];
  script: string[];
  loadingText: string;
}

export function localResourceRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')];
}

export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const asset = (parts: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...parts)).toString();
  const nonce = randomBytes(16).toString('base64');
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource} 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  // The codicon stylesheet's id is how @vscode-elements finds the icon font.
  const links = page.stylesheets.map((parts) => `<link rel="stylesheet" href="${asset(parts)}"${parts.at(-1) === 'codicon.css' ? ' id="vscode-codicon-stylesheet"' : ''}>`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  ${links.join('\n  ')}
  <title>${page.title}</title>
</head>
<body>
  <main id="app" aria-live="polite">${page.loadingText}</main>
  <script nonce="${nonce}" src="${asset(page.script)}"></script>
</body>
</html>`;
}
