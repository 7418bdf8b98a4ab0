/**
 * A real single-node Slurm for tests: munged, slurmctld and slurmd of Debian's slurm-wlm and munge,
 * started in the foreground without systemd, everything (key, sockets, state, logs) in one scratch
 * folder, on ports of their own so that two test runs on one machine do not meet. It installs nothing:
 * scripts/install-test-env.sh does, as root.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);
const COMMANDS = ['munged', 'mungekey', 'munge', 'unmunge', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'scontrol', 'scancel'];

export interface Slurm {
  /** The environment the client commands (sbatch, squeue, ...) need: SLURM_CONF. */
  env: NodeJS.ProcessEnv;
  /** The scratch folder with the configuration, state and the daemons' logs. */
  dir: string;
  /** Runs a client command against this Slurm; its stdout. */
  client(command: string, args: string[]): Promise<string>;
  /** Cancels what is left, stops slurmd, slurmctld and munged, in that order, and removes the scratch folder. */
  stop(): Promise<void>;
}

/** Where a command is, looking in the sbin folders too (Debian puts the daemons there). */
function which(command: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  return dirs.map((d) => path.join(d, command)).find((file) => fs.existsSync(file));
}

/** Why Slurm cannot start here, or `undefined` when every command it needs is installed. */
export function slurmMissing(): string | undefined {
  const missing = COMMANDS.filter((c) => !which(c));
  if (!missing.length) return undefined;
  return `Slurm is not installed here (missing: ${missing.join(', ')}). Run "sudo bash scripts/install-test-env.sh" (it installs Debian's slurm-wlm and munge), or set ASSIGNMENT2_NO_SLURM=1 to skip the Slurm tests.`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function until(what: string, check: () => Promise<boolean>, logs: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  const tails = logs.filter((f) => fs.existsSync(f)).map((f) => `--- ${f}\n${fs.readFileSync(f, 'utf8').split('\n').slice(-20).join('\n')}`);
  throw new Error(`Slurm did not start: ${what} after ${timeoutMs / 1000} s.\n${tails.join('\n')}`);
}

/** The node's line for slurm.conf from what `slurmd -C` finds (a RealMemory above the real one would drain the node). */
async function nodeLine(): Promise<string> {
  const { stdout } = await execFileAsync(which('slurmd')!, ['-C']);
  const field = (name: string) => stdout.match(new RegExp(`\\b${name}=(\\d+)`))?.[1] ?? '1';
  return `NodeName=localhost NodeAddr=127.0.0.1 CPUs=${field('CPUs')} Sockets=${field('SocketsPerBoard')} CoresPerSocket=${field('CoresPerSocket')} ThreadsPerCore=${field('ThreadsPerCore')} RealMemory=${field('RealMemory')} State=UNKNOWN`;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

export async function startSlurm(): Promise<Slurm> {
  const missing = slurmMissing();
  if (missing) throw new Error(missing);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-slurm-'));
  for (const sub of ['munge', 'state', 'spool', 'log']) fs.mkdirSync(path.join(dir, sub));
  // munged refuses a socket in a folder that others cannot enter, all the way up.
  for (const folder of [dir, path.join(dir, 'munge')]) fs.chmodSync(folder, 0o755);
  const socket = path.join(dir, 'munge', 'munge.socket.2');
  const key = path.join(dir, 'munge', 'munge.key');
  await execFileAsync(which('mungekey')!, ['--create', `--keyfile=${key}`]);
  fs.chmodSync(key, 0o400);
  const user = os.userInfo().username;
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const conf = path.join(dir, 'slurm.conf');
  fs.writeFileSync(
    conf,
    [
      'ClusterName=a2test',
      'SlurmctldHost=localhost',
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      `SlurmUser=${user}`,
      `SlurmdUser=${user}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_Core',
      'MpiDefault=none',
      'MailProg=/bin/true',
      'ReturnToService=2',
      'KillWait=5',
      `StateSaveLocation=${dir}/state`,
      `SlurmdSpoolDir=${dir}/spool`,
      `SlurmctldPidFile=${dir}/slurmctld.pid`,
      `SlurmdPidFile=${dir}/slurmd.pid`,
      `SlurmctldLogFile=${dir}/log/slurmctld.log`,
      `SlurmdLogFile=${dir}/log/slurmd.log`,
      await nodeLine(),
      'PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP',
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const client = async (command: string, args: string[]) => (await execFileAsync(which(command)!, args, { env })).stdout;
  const logs = ['munged.log', 'munged.stderr', 'slurmctld.log', 'slurmd.log'].map((f) => path.join(dir, 'log', f));
  const started: ChildProcess[] = [];
  const start = (command: string, args: string[]) => {
    const stderr = fs.openSync(path.join(dir, 'log', `${command}.stderr`), 'a');
    const child = spawn(which(command)!, args, { env, stdio: ['ignore', 'ignore', stderr] });
    fs.closeSync(stderr);
    started.push(child);
    return child;
  };

  const stop = async () => {
    await client('scancel', ['--user', user]).catch(() => undefined);
    // Stop by pid, the reverse of the order they started in, each before the next.
    for (const child of [...started].reverse()) {
      child.kill('SIGTERM');
      await exited(child);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const munged = start('munged', ['-F', `--socket=${socket}`, `--key-file=${key}`, `--pid-file=${dir}/munge/munged.pid`, `--log-file=${logs[0]}`, `--seed-file=${dir}/munge/munged.seed`]);
    await until('munged does not answer', async () => munged.exitCode === null && (await execFileAsync('sh', ['-c', `'${which('munge')}' -S '${socket}' -n | '${which('unmunge')}' -S '${socket}'`])).stdout.match(/STATUS:\s+Success/) !== null, logs);
    start('slurmctld', ['-D', '-i', '-f', conf]);
    await until('scontrol ping does not say UP', async () => (await client('scontrol', ['ping'])).includes('UP'), logs);
    start('slurmd', ['-D', '-N', 'localhost', '-f', conf]);
    await until('sinfo does not say the node is idle', async () => (await client('sinfo', ['-h', '-n', 'localhost', '-o', '%T'])).trim() === 'idle', logs);
  } catch (err) {
    await stop();
    throw err;
  }
  return { env, dir, client, stop };
}
