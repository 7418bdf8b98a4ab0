/** The lab features' end-to-end checks, run in this order after the tabs' own checks. */
import type { LabCheck } from './context';

export const LAB_CHECKS: LabCheck[] = [];
