/**
 * What the Sweeps view's commands act on: the sweep folder (and task) of the item they were given,
 * checked, or one picked from the sweeps folder when the command came from the palette.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SweepRecord, sweepLabel } from '../../shared/experiment/sweep';
import { z } from '../../shared/zod';
import { readSweep, sweepsDirOf } from '../../engine/sweep/sweepFolder';
import { listSweeps, missingReportMessage, sweepProgress, sweepReportHtml, taskLabel } from '../views/sweeps/sweepList';
import { CommandDeps, argsFrom } from './command';

/** A Sweeps view item (its other fields are the view's) or `{ dir }` from a caller. */
const SweepArg = z.object({ dir: z.string().min(1) });
const TaskArg = SweepArg.extend({ index: z.number().int().min(0) });

async function pickSweep(deps: CommandDeps, title: string): Promise<{ dir: string } | undefined> {
  const sweepsDir = sweepsDirOf(deps.runsDir());
  const sweeps = listSweeps(sweepsDir);
  if (!sweeps.length) throw new Error(`There are no sweeps in ${sweepsDir} yet: start one with npx assignment2 sweep in a terminal.`);
  const pick = await vscode.window.showQuickPick(
    sweeps.map((item) =>
      item.ok
        ? { label: sweepLabel(item.record.grid), description: sweepProgress(item.record, item.hasReport), detail: item.record.id, dir: item.dir }
        : { label: item.id, description: 'damaged', detail: item.problem, dir: item.dir },
    ),
    { title, placeHolder: 'The sweep' },
  );
  return pick && { dir: pick.dir };
}

/** The sweep folder the command is for, damaged or not. */
export async function sweepDirArg(deps: CommandDeps, raw: unknown, title: string): Promise<string | undefined> {
  const dir = (await argsFrom(raw, SweepArg, () => pickSweep(deps, title), title))?.dir;
  return dir === undefined ? undefined : path.resolve(dir);
}

/** The sweep the command is for, read afresh (a damaged one's problem is the command's error). */
export async function sweepArg(deps: CommandDeps, raw: unknown, title: string): Promise<{ dir: string; record: SweepRecord } | undefined> {
  const dir = await sweepDirArg(deps, raw, title);
  return dir === undefined ? undefined : { dir, record: readSweep(dir) };
}

/** The sweep's task the command is for; from the palette, asked after the sweep. */
export async function taskArg(deps: CommandDeps, raw: unknown, title: string): Promise<{ dir: string; record: SweepRecord; task: SweepRecord['tasks'][number] } | undefined> {
  const args = await argsFrom(raw, TaskArg, async () => {
    const sweep = await sweepArg(deps, undefined, title);
    if (!sweep) return undefined;
    const pick = await vscode.window.showQuickPick(
      sweep.record.tasks.map((task) => ({ label: taskLabel(task), description: task.status, index: task.index })),
      { title, placeHolder: 'The task' },
    );
    return pick && { dir: sweep.dir, index: pick.index };
  }, title);
  if (!args) return undefined;
  const dir = path.resolve(args.dir);
  const record = readSweep(dir);
  const task = record.tasks.find((t) => t.index === args.index);
  if (!task) throw new Error(`Sweep ${record.id} has no task ${args.index}.`);
  return { dir, record, task };
}

/** The sweep the command is for and its report.html; a sweep with no report yet is the command's error, saying how to write one. */
export async function sweepReportArg(deps: CommandDeps, raw: unknown, title: string): Promise<{ dir: string; record: SweepRecord; file: string } | undefined> {
  const sweep = await sweepArg(deps, raw, title);
  if (!sweep) return undefined;
  const file = sweepReportHtml(sweep.dir);
  if (!file) throw new Error(missingReportMessage(sweep.dir));
  return { ...sweep, file };
}
