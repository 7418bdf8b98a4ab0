/**
 * The memory the threads of a data-parallel trainer share: parameters, their transposed kernels and
 * the Adam moments (one copy),
 * one gradient slot and one input slot per thread, the per-thread losses, and a control word per
 * thread that the coordinator bumps to hand out a command and the thread bumps back when done.
 */
export const enum Command {
  /** Reload the other thread's range of the parameters, then write the gradient of this thread's rows. */
  Gradient = 1,
  /** Apply Adam to this thread's range of the parameters. */
  Adam = 2,
  Stop = 3,
}

/** Int32 fields of a thread's control block. */
export const enum Field {
  /** Bumped by the coordinator with each command. */
  Issued = 0,
  /** Set to `Issued` by the thread when it has finished the command. */
  Done = 1,
  Command = 2,
  /** Gradient: this thread's rows, and the whole batch's. */
  Rows = 3,
  BatchRows = 4,
  /** Adam: step number (from 1). */
  Step = 5,
  /** Adam: the range of parameters to update; Gradient: the range to reload first (the other thread's). */
  From = 6,
  To = 7,
}
const CONTROL_FIELDS = 8;

export interface SharedLayout {
  threads: number;
  paramCount: number;
  /** Rows of 784 pixels a thread's input slot holds. */
  maxRows: number;
  inputSize: number;
}

export interface SharedViews {
  control: Int32Array[];
  /** Float64 per thread: the learning rate of the Adam command. */
  rate: Float64Array;
  loss: Float64Array;
  params: Float32Array;
  /** Same layout as params; holds the transposes of the kernels the backward pass multiplies by. */
  transposed: Float32Array;
  m: Float32Array;
  v: Float32Array;
  gradients: Float32Array[];
  inputs: Float32Array[];
}

/** Shared WebAssembly memory, so that the SIMD Adam kernel can work on the arrays in place. */
export function allocateShared(layout: SharedLayout): WebAssembly.Memory {
  const { threads, paramCount, maxRows, inputSize } = layout;
  const bytes = threads * CONTROL_FIELDS * 4 + 2 * threads * 8 + 4 * (4 * paramCount + threads * paramCount + threads * maxRows * inputSize);
  const pages = Math.ceil(bytes / 65536) + 1;
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** The same views on either side of the thread boundary. */
export function sharedViews(memory: WebAssembly.Memory, layout: SharedLayout): SharedViews {
  const buffer = memory.buffer;
  const { threads, paramCount, maxRows, inputSize } = layout;
  let offset = 0;
  const take = <T>(make: (offset: number) => T, bytes: number): T => {
    const view = make(offset);
    offset += bytes;
    return view;
  };
  const control = Array.from({ length: threads }, () => take((o) => new Int32Array(buffer, o, CONTROL_FIELDS), CONTROL_FIELDS * 4));
  const rate = take((o) => new Float64Array(buffer, o, threads), threads * 8);
  const loss = take((o) => new Float64Array(buffer, o, threads), threads * 8);
  const floats = (n: number) => take((o) => new Float32Array(buffer, o, n), n * 4);
  const params = floats(paramCount);
  const transposed = floats(paramCount);
  const m = floats(paramCount);
  const v = floats(paramCount);
  const gradients = Array.from({ length: threads }, () => floats(paramCount));
  const inputs = Array.from({ length: threads }, () => floats(maxRows * inputSize));
  return { control, rate, loss, params, transposed, m, v, gradients, inputs };
}
