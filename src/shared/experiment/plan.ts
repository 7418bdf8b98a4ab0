/**
 * A composite job's plan, read before anything starts: what it will train, what it reuses, and about
 * how long it takes. The engine makes it (engine/jobs/plan.ts); the command line prints it with
 * --plan and VS Code shows it before "Run Missing Parts", both with describePlan.
 */
import { z, finite } from '../zod';
import { SHARPEN_MODES } from '../jobs/specs';

export const EXPERIMENTS = ['q2a', 'q2b', 'all'] as const;
export const ExperimentKind = z.enum(EXPERIMENTS);
export type ExperimentKind = z.infer<typeof ExperimentKind>;

export const PlanStep = z.object({
  part: z.enum(['q1', 'q2a', 'disNet', 'judge', 'q2b', 'report']),
  seed: z.number().int().min(0),
  latent: z.number().int().min(1).optional(),
  mode: z.enum(SHARPEN_MODES).optional(),
  label: z.string(),
  action: z.enum(['train', 'reuse', 'write']),
  /** The run reused. */
  runId: z.string().optional(),
  /**
   * What the step trains or reuses: its job's kind and configuration, with the runs it builds on by
   * their own keys. Steps of different plans with the same key are one run (a sweep counts it once).
   */
  job: z.string(),
  /** Training batches (0 for what trains nothing), and the cost of one relative to a Q2a batch. */
  batches: z.number().int().min(0),
  cost: finite().min(0),
  /** Estimated seconds, training and analysis. */
  seconds: finite().min(0),
});
export type PlanStep = z.infer<typeof PlanStep>;

export const Plan = z.object({
  kind: ExperimentKind,
  steps: z.array(PlanStep),
  seconds: finite().min(0),
  /** What the estimate rests on, in words. */
  basis: z.string(),
});
export type Plan = z.infer<typeof Plan>;

export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The plan as lines of text: one per step, then the totals. */
export function describePlan(plan: Plan): string[] {
  const seeds = new Set(plan.steps.map((s) => s.seed));
  const lines = plan.steps.map((s) => {
    const what = s.action === 'reuse' ? `reuse   ${s.label}: ${s.runId}` : `${s.action.padEnd(7)} ${s.label}`;
    return `${seeds.size > 1 ? `seed ${String(s.seed).padEnd(3)} ` : ''}${what}${s.action === 'reuse' ? '' : `  ~${clock(s.seconds)}`}`;
  });
  const trained = plan.steps.filter((s) => s.action === 'train').length;
  const reused = plan.steps.filter((s) => s.action === 'reuse').length;
  lines.push(`${trained} to train, ${reused} reused: about ${clock(plan.seconds)} (${plan.basis}).`);
  return lines;
}
