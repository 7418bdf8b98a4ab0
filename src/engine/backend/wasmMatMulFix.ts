/**
 * tfjs-backend-wasm 4.22 hands BatchMatMul / _FusedMatMul to XNNPACK only when neither operand is
 * transposed; backpropagation always transposes one (dX = dY·Wᵀ, dW = Xᵀ·dY), and those calls fall to a
 * naive loop about 15× slower. This re-registers both kernels so that a transposed operand is first
 * materialised with the backend's own Transpose kernel. Results are identical up to float32 rounding.
 * Must run after the wasm backend module is loaded and before `setBackend('wasm')`, so that the
 * kernels' setup functions still run at backend initialisation.
 */
import * as tf from '@tensorflow/tfjs-core';

type KernelArgs = Parameters<tf.KernelFunc>[0];

function transposeLastTwo(x: tf.TensorInfo, args: KernelArgs): tf.TensorInfo {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (!transpose) throw new Error('wasm backend has no Transpose kernel');
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return transpose.kernelFunc({ inputs: { x }, backend: args.backend, attrs: { perm } }) as tf.TensorInfo;
}

function withMaterialisedTransposes(original: tf.KernelConfig): tf.KernelConfig {
  const kernelFunc: tf.KernelFunc = (args) => {
    const { transposeA, transposeB } = args.attrs as { transposeA?: boolean; transposeB?: boolean };
    if (!transposeA && !transposeB) return original.kernelFunc(args);
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const temporaries: tf.TensorInfo[] = [];
    const plain = (x: tf.TensorInfo, transposed?: boolean) => {
      if (!transposed) return x;
      const t = transposeLastTwo(x, args);
      temporaries.push(t);
      return t;
    };
    try {
      return original.kernelFunc({
        ...args,
        inputs: { ...args.inputs, a: plain(a, transposeA), b: plain(b, transposeB) },
        attrs: { ...args.attrs, transposeA: false, transposeB: false },
      });
    } finally {
      const backend = args.backend as { disposeData(id: object): void };
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
  return { ...original, kernelFunc };
}

let installed = false;

export function installWasmMatMulFix(): void {
  if (installed) return;
  installed = true;
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const original = tf.getKernel(name, 'wasm');
    if (!original) throw new Error(`wasm backend has no ${name} kernel to patch`);
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(withMaterialisedTransposes(original));
  }
}
