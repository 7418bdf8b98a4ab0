/**
 * The process's graph runtime, once ONNX Runtime has been chosen. Like tfjs's own backend it is one
 * per process: the trainers and the evaluation ask for it, and fall back to tfjs without it.
 */
import { GraphRuntime } from '../graphs/session';

let active: GraphRuntime | undefined;

export const graphRuntime = (): GraphRuntime | undefined => active;

/** undefined turns the graphs off: tfjs trains (the tests compare the two engines in one process). */
export function useGraphRuntime(runtime: GraphRuntime | undefined): void {
  active = runtime;
}
