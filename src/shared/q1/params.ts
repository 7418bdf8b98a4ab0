/** Q1's landscape and optimizer settings: every number editable, since the assignment's figure is lost. */
import { z } from '../zod';

// Q1: the bump landscape and the optimizers (every number editable: the assignment's figure is lost)

export const Q1_READINGS = ['h-high-2h-wide', 'h-wide-2h-high'] as const;

export const Q1LandscapeFields = z.object({
  /** Where the optimizers start (o). */
  start: z.number().finite(),
  /** Position of the local minimum (distance L from o = 0). */
  L: z.number().finite(),
  /** How steeply f falls towards the minimum (f' = -approachSlope there). */
  approachSlope: z.number().finite().gt(0).max(1e3),
  /** The bump parameter h of the assignment. */
  h: z.number().finite().gt(0).max(1e3),
  /** Bump width; null means the reading's default (2h, or h in the alternative reading). */
  bumpWidth: z.number().finite().gt(0).max(1e3).nullable(),
  /** How steeply f keeps falling after the bump (negative: it rises again). */
  afterSlope: z.number().finite().min(-1e3).max(1e3),
  reading: z.enum(Q1_READINGS),
});
export const Q1Landscape = Q1LandscapeFields.refine((p) => p.start < p.L, {
  message: 'the start must lie left of the minimum L',
  path: ['start'],
});
export type Q1Landscape = z.infer<typeof Q1Landscape>;

export const Q1Optimizers = z.object({
  /** Learning rate a (alpha for Adam). */
  lr: z.number().finite().gt(0).max(100),
  beta1: z.number().finite().min(0).lt(1),
  beta2: z.number().finite().min(0).lt(1),
  /** Adam's epsilon; the assignment uses 0. */
  eps: z.number().finite().min(0).max(1),
  /** Momentum coefficient of momentum SGD. */
  momentum: z.number().finite().min(0).lt(1),
  /** Decay of RMSProp's squared-gradient average. */
  rho: z.number().finite().min(0).lt(1),
  /** Simulation horizon. */
  steps: z.number().int().min(10).max(100000),
});
export type Q1Optimizers = z.infer<typeof Q1Optimizers>;

export const Q1Params = z.object({ landscape: Q1Landscape, optimizers: Q1Optimizers });
export type Q1Params = z.infer<typeof Q1Params>;
