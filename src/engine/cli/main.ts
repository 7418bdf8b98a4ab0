/**
 * `assignment2`: the engine as a command line, producing the same run folders as the extension. A
 * small dispatcher: the commands are modules in commands/, their flags tables in tables.ts, and the
 * help is generated from both. Exit codes: 0 success, 1 the job failed, 2 bad arguments, 130 cancelled.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BackendPreference } from '../../shared/backends';
import { CliCommand, Invocation } from './command';
import { COMMANDS } from './commands';
import { Flag, UsageError, flagHelp } from './flags';

const COMMON_FLAGS: Flag[] = [
  { name: '--json', path: 'options.json', kind: 'boolean', help: 'Print the result as one JSON object on stdout (progress goes to stderr)' },
  { name: '--runs-dir', path: 'options.runsDir', kind: 'string', value: '<dir>', help: 'Where run folders go [./.assignment2/runs]' },
  { name: '--backend', path: 'options.backend', kind: 'string', value: '<name>', help: `${BackendPreference.options.join(' | ')} [auto: ONNX Runtime, else tfjs]` },
  { name: '--threads', path: 'options.threads', kind: 'string', value: '<n>', help: "ONNX Runtime's threads [every core]" },
];

export function help(): string {
  const wrap = (text: string) => text.replace(/(.{1,78})(\s+|$)/g, '$1\n                       ').trimEnd();
  const lines = ['assignment2 — the Assignment 2 workbench engine, headless', '', 'Usage: assignment2 <command> [options]', '', 'Commands:'];
  for (const c of COMMANDS) lines.push(`  ${`${c.name}${c.positionals ? ` ${c.positionals}` : ''}`.padEnd(21)}${wrap(c.summary)}`);
  lines.push(`  ${'help'.padEnd(21)}Show this help.`, '', 'Options (all commands):', ...flagHelp(COMMON_FLAGS));
  // Smallest first, so that a command whose flags include another's says so instead of repeating them.
  const printed: CliCommand[] = [];
  for (const c of [...COMMANDS].filter((c) => c.flags.length).sort((x, y) => x.flags.length - y.flags.length)) {
    const base = printed.filter((p) => p.flags.every((f) => c.flags.includes(f))).at(-1);
    const own = c.flags.filter((f) => !base?.flags.includes(f));
    lines.push('', `Options (${c.name})${base ? `: the ${base.name} options, and` : ', defaults in brackets:'}`, ...flagHelp(own));
    printed.push(c);
  }
  return lines.join('\n') + '\n';
}

// parseArgs reads "--h -1" as two flags; a negative number after a value flag is its value.
const joinNegatives = (rest: string[]) =>
  rest.flatMap((arg, i) => (/^-\d|^-\.\d/.test(arg) && /^--[\w-]+$/.test(rest[i - 1] ?? '') ? [] : [/^--[\w-]+$/.test(arg) && /^-\d|^-\.\d/.test(rest[i + 1] ?? '') ? `${arg}=${rest[i + 1]}` : arg]));

function invocation(command: CliCommand, argv: string[]): { inv: Invocation; positionals: string[] } {
  const flags = [...COMMON_FLAGS, ...command.flags];
  const { values, positionals } = parseArgs({
    args: joinNegatives(argv.slice(1)),
    strict: true,
    allowPositionals: command.positionals !== undefined,
    options: Object.fromEntries(flags.map((f) => [f.name.slice(2), { type: f.kind === 'boolean' ? ('boolean' as const) : ('string' as const) }])),
  });
  const backend = BackendPreference.safeParse(values.backend ?? 'auto');
  if (!backend.success) throw new UsageError(`--backend must be one of ${BackendPreference.options.join(', ')}; got "${values.backend}".`);
  const threads = values.threads as string | undefined;
  if (threads !== undefined) {
    if (!/^\d+$/.test(threads) || Number(threads) < 1 || Number(threads) > 1024) throw new UsageError(`--threads must be a whole number from 1 to 1024; got "${threads}".`);
    process.env.ASSIGNMENT2_THREADS = threads; // read by the backend when it starts
  }
  const controller = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\nCancelling…\n');
    controller.abort();
  });
  const runsDir = path.resolve((values['runs-dir'] as string | undefined) ?? path.join('.assignment2', 'runs'));
  const inv: Invocation = {
    argv,
    values,
    json: values.json === true,
    runsDir,
    backend: backend.data,
    signal: controller.signal,
    context: (emit) => ({ jobId: 'cli', runsDir, backend: backend.data, signal: controller.signal, emit }),
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
  };
  return { inv, positionals };
}

export async function main(argv: string[]): Promise<number> {
  const [name = 'help'] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(help());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`assignment2: unknown command "${name}". Run "assignment2 --help".\n`);
    return 2;
  }
  try {
    const { inv, positionals } = invocation(command, argv);
    return await command.run(inv, positionals);
  } catch (err) {
    process.stderr.write(`assignment2: ${(err as Error).message}\n`);
    return err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 1;
  }
}
