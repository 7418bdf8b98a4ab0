// Runs the Mocha integration suite (dist/test/integration) inside a real VS Code: code-server
// driven by headless Chromium. The same suite runs in desktop VS Code via run-electron.ts.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchChromium, onExit, startCodeServer, workbenchUrl, type CodeServer } from './harness/codeServer';
import { findRepoRoot, requireFile } from './harness/repo';

const TIMEOUT_MS = Number(process.env.A2_TEST_TIMEOUT_MS) || 10 * 60_000;
const VERBOSE = !!process.env.A2_TEST_VERBOSE;

// The workbench's own log shares the channel with the suite's console output; these messages are
// expected on an offline machine and would bury the test results. A2_TEST_VERBOSE=1 shows them.
const NOISE = [
  /^\[(AgentHost|AgentHost:remote|ChatModelSelection|AccountPolicyGate|Service Worker|reconnection-grace-time)\]/,
  /^(Resolving|Resolved) connection token/,
  /^Creating a socket/,
  /^Creation of workbench contribution/,
  /^Updating additional builtin extensions cache/,
  /ENOTFOUND|ECONNREFUSED|EAI_AGAIN/,
  /Timed out waiting for authentication provider/,
  /^Canceled(: Canceled)*$/,
];

async function main(): Promise<number> {
  const root = findRepoRoot();
  const buildHint = 'Run `node esbuild.mjs` (or `npm run build`) first.';
  requireFile(path.join(root, 'dist', 'extension.js'), buildHint);
  const testsPath = requireFile(path.join(root, 'dist', 'test', 'integration', 'index.js'), buildHint);

  const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-workspace-'));
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const started = Date.now();
  const removeExitHook = onExit(() => fs.rmSync(workspace, { recursive: true, force: true }));
  const cleanup = async () => {
    clearTimeout(timer);
    await browser?.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    fs.rmSync(workspace, { recursive: true, force: true });
    removeExitHook();
  };

  const printServerOutput = () => {
    if (!server) return;
    if (!VERBOSE) console.error('(Workbench log messages were filtered; rerun with A2_TEST_VERBOSE=1 to see them all.)');
    console.error('--- code-server output (tail) ---');
    console.error(server.output().slice(-20_000));
  };
  // Covers every step, including a hung start; exiting runs the exit hooks that kill code-server,
  // and Playwright kills Chromium on exit.
  const timer: NodeJS.Timeout = setTimeout(() => {
    console.error(`[run-code-server] FAILED: timed out after ${TIMEOUT_MS / 1000} s (${testsPath} did not finish)`);
    printServerOutput();
    process.exit(1);
  }, TIMEOUT_MS);

  let code: number;
  try {
    server = await startCodeServer({ smokeTestDriver: true });
    console.log(`[run-code-server] code-server ${server.url} up after ${elapsed(started)}`);
    browser = await launchChromium();
    const page = await browser.newPage();

    // The workbench looks for these on window when the smoke-test driver is on: the extension
    // host's console output goes to codeAutomationLog, and the suite's result to codeAutomationExit.
    let reportExit: (code: number) => void = () => undefined;
    const exit = new Promise<number>((resolve) => (reportExit = resolve));
    await page.exposeFunction('codeAutomationExit', (c: number) => reportExit(Number(c)));
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      // Mocha's reporter logs printf-style (console.log('%s passing', n)); format like Node would.
      const line = format(...(Array.isArray(args) ? args : [args]));
      if (!VERBOSE && NOISE.some((re) => re.test(line))) return;
      (type === 'error' ? process.stderr : process.stdout).write(line.endsWith('\n') ? line : `${line}\n`);
    });
    page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));

    await page.goto(workbenchUrl(server, workspace, { extensionDevelopmentPath: root, extensionTestsPath: testsPath }));
    code = await exit;
    console.log(`[run-code-server] suite finished with exit code ${code} after ${elapsed(started)}`);
  } catch (err) {
    console.error(`[run-code-server] FAILED: ${err instanceof Error ? err.message : String(err)}`);
    code = 1;
  }
  if (code !== 0) printServerOutput();
  await cleanup();
  return code;
}

function elapsed(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
