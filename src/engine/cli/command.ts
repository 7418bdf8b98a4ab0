/** What every command-line command is: its name, summary, flags and run function, given the parsed invocation. */
import { BackendPreference } from '../../shared/backends';
import { EngineEvent } from '../protocol';
import { JobContext } from '../jobs/jobContext';
import { Flag } from './flags';

export interface Invocation {
  /** The command line as typed, for the report's "made by". */
  argv: string[];
  values: Record<string, string | boolean | undefined>;
  json: boolean;
  runsDir: string;
  backend: BackendPreference;
  signal: AbortSignal;
  /** A job context on this invocation's runs folder, backend and Ctrl+C, printing events as `emit` says. */
  context(emit: (event: EngineEvent) => void): JobContext;
  out(text: string): void;
  err(text: string): void;
}

export interface CliCommand {
  name: string;
  /** One or two lines for the help's list of commands. */
  summary: string;
  /** The value flags and switches it takes beside the common ones. */
  flags: Flag[];
  /** The positional arguments it takes, for the help (e.g. <run-id>). */
  positionals?: string;
  /** Returns the exit code: 0 success, 1 failed, 2 bad arguments, 130 cancelled. */
  run(invocation: Invocation, positionals: string[]): Promise<number>;
}

