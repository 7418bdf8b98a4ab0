// Runs the Mocha integration suite in desktop VS Code through @vscode/test-electron. It downloads
// VS Code on first use, so it needs internet access; offline, use run-code-server.ts instead.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { findRepoRoot, requireFile } from './harness/repo';

async function main(): Promise<number> {
  const root = findRepoRoot();
  const buildHint = 'Run `node esbuild.mjs` (or `npm run build`) first.';
  requireFile(path.join(root, 'dist', 'extension.js'), buildHint);
  const extensionTestsPath = requireFile(path.join(root, 'dist', 'test', 'integration', 'index.js'), buildHint);
  // A fresh folder per run: the extension writes run folders into its workspace.
  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-workspace-'));
  try {
    return await runTests({
      version: process.env.VSCODE_TEST_VERSION ?? 'stable',
      extensionDevelopmentPath: root,
      extensionTestsPath,
      launchArgs: [
        workspace,
        // Other installed extensions would slow the run and could interfere with it.
        '--disable-extensions',
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
    });
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`Integration tests failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
