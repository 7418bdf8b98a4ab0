/** The overrides of an invocation: its flags, validated, with errors that name the flag at fault. */
import { REPORT_FOLDER } from '../../../shared/experiment/defaults';
import { ExperimentOverrides, overridesFrom } from '../../../shared/experiment/overrides';
import { Flag, UsageError, valuesOf, withFlagNames } from '../flags';
import { Invocation } from '../command';

export function overridesOf(flags: Flag[], inv: Invocation): { overrides: ExperimentOverrides; options: Record<string, unknown> } {
  const { overrides, options } = valuesOf(flags, inv.values);
  if (inv.values.seeds !== undefined && inv.values.seed !== undefined) throw new UsageError('Give --seed or --seeds, not both.');
  return { overrides: withFlagNames(flags, inv.values, () => overridesFrom(overrides)), options };
}

/** --out, or the shared report folder's name. */
export function outDirOf(options: Record<string, unknown>): string {
  if (options.out === '') throw new UsageError('--out "" is not allowed: give the folder the report goes to.');
  return (options.out as string | undefined) ?? REPORT_FOLDER;
}
