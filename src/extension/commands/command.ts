/**
 * What every palette command is: its id, a name for its errors, and its run function. Each command is
 * one module in this folder; activate registers them all in one loop, with the same error handling.
 */
import * as vscode from 'vscode';
import { z } from '../../shared/zod';
import { WorkbenchTab } from '../views/workbench/protocol';
import { parseMessage } from '../../shared/validation';
import { BackendInfo } from '../../shared/backends';
import { EngineClient } from '../engineClient';
import { JobRunner } from '../jobRunner';
import { ReconstructionsViewProvider } from '../views/reconstructions/view';
import { WorkbenchState } from '../workbenchState';

export interface CommandDeps {
  engine: EngineClient;
  state: WorkbenchState;
  runner: JobRunner;
  reconstructions: ReconstructionsViewProvider;
  output: vscode.LogOutputChannel;
  runsDir(): string;
  /** Opens (or reveals) the workbench panel, on a tab if given. */
  showPanel(tab?: WorkbenchTab): void;
  /** Asks the engine for its backend (starting it), logs and remembers the answer. */
  backendInfo(): Promise<BackendInfo>;
}

export interface Command {
  id: string;
  /** How its errors are introduced in notifications and the log. */
  title: string;
  run(deps: CommandDeps, ...args: unknown[]): unknown;
}

/** The arguments a command was given (validated), or asked for when it came from the palette. */
export async function argsFrom<T>(rawArgs: unknown, schema: z.ZodType<T>, ask: () => Promise<T | undefined>, title: string): Promise<T | undefined> {
  if (rawArgs === undefined) return ask();
  const parsed = parseMessage(schema, rawArgs);
  if (!parsed.ok) throw new Error(`Invalid arguments for ${title}: ${parsed.error}`);
  return parsed.value;
}
