/**
 * Convolution gradients for tfjs-backend-wasm 4.22, built only from the backend's own kernels.
 *
 * `Conv2DBackpropFilter` is missing from the backend, so the gradient of any conv2d (and of
 * conv2dTranspose) fails on 'wasm'. `Conv2DBackpropInput` exists and is correct, but it is a plain loop
 * outside XNNPACK, 2–5× slower than the version here. Both are rewritten as one forward Conv2D, which
 * the backend runs in XNNPACK (the same indirect-GEMM machinery an im2col + matmul would use, without
 * materialising the patch matrix):
 *
 * - dW[i,j,c,o] = Σ_{b,y,x} xpad[b, y·sh+i, x·sw+j, c] · dy[b,y,x,o] is a valid convolution of the
 *   padded input seen as [C, H, W, B] (channels as the batch, the batch as channels) with dy seen as
 *   a [outH, outW, B, outC] filter, dilated by the stride. Its [C, fh, fw, outC] result is transposed
 *   to the filter's layout.
 * - dx is dy with stride−1 zeros inserted between its pixels, padded, and convolved (stride 1) with
 *   the filter rotated by 180° and its channel axes swapped. The zeros are inserted by PadV2 on 3-D
 *   views, so no StridedSlice (slow on wasm for strides above 1) and no Slice above 4-D is needed.
 *
 * An explicit im2col (patches gathered with GatherV2 or cut with Slice, then one matmul) also worked but
 * took 6× longer for the filter gradient, almost all of it in building the patch matrix.
 *
 * Call `installWasmConvKernels()` after `@tensorflow/tfjs-backend-wasm` has been imported. It may run
 * before or after `tf.setBackend('wasm')`: the new kernels have no setup function of their own, and they
 * call the backend's kernels only at run time, when the backend has set those up.
 */
import * as tf from '@tensorflow/tfjs-core';

type TensorInfo = tf.TensorInfo;
type KernelArgs = Parameters<tf.KernelFunc>[0];
type Pair = [number, number];
type Pads = [Pair, Pair];

/** The KernelBackend method used here besides running kernels. */
interface BackendStorage {
  disposeData(dataId: object): boolean;
}

/**
 * Runs wasm kernels directly (no engine, no tape, no tidy) and frees every intermediate buffer it
 * made, except the one handed out with `keep`.
 */
class KernelScope {
  private readonly temporaries: TensorInfo[] = [];

  constructor(private readonly backend: KernelArgs['backend']) {}

  run(kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: object = {}): TensorInfo {
    const kernel = tf.getKernel(kernelName, 'wasm');
    if (!kernel) throw new Error(`the wasm backend has no ${kernelName} kernel`);
    const out = kernel.kernelFunc({ inputs, backend: this.backend, attrs: attrs as tf.NamedAttrMap }) as TensorInfo;
    this.temporaries.push(out);
    return out;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }

  keep(t: TensorInfo): TensorInfo {
    const i = this.temporaries.indexOf(t);
    if (i >= 0) this.temporaries.splice(i, 1);
    return t;
  }

  disposeAll(): void {
    const backend = this.backend as BackendStorage;
    for (const t of this.temporaries.splice(0)) backend.disposeData(t.dataId);
  }
}

/**
 * A valid, stride-1 Conv2D of x padded spatially by `pads` (negative amounts crop). Positive padding
 * goes to the convolution itself, so only a crop, which only unusual explicit paddings need, copies.
 */
function paddedConv(scope: KernelScope, x: TensorInfo, filter: TensorInfo, pads: Pads, dilations: Pair): TensorInfo {
  const [[top, bottom], [left, right]] = pads;
  let input = x;
  if (Math.min(top, bottom, left, right) < 0) {
    const [b, h, w, c] = x.shape;
    const [cropTop, cropBottom, cropLeft, cropRight] = [top, bottom, left, right].map((p) => Math.max(0, -p));
    const size = [b, h - cropTop - cropBottom, w - cropLeft - cropRight, c];
    input = scope.run('Slice', { x }, { begin: [0, cropTop, cropLeft, 0], size });
  }
  const [t, bo, l, r] = [top, bottom, left, right].map((p) => Math.max(0, p));
  return scope.run(
    'Conv2D',
    { x: input, filter },
    { strides: [1, 1], pad: [[0, 0], [t, bo], [l, r], [0, 0]], dilations, dataFormat: 'NHWC', dimRoundingMode: undefined },
  );
}

interface ConvGradAttrs {
  strides: number | Pair;
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dilations?: number | Pair;
}

/** The forward convolution's geometry, after refusing what these kernels do not support. */
function convGeometry(kernel: string, xShape: number[], filterShape: number[], attrs: ConvGradAttrs, dtypes: tf.DataType[]) {
  if (attrs.dataFormat && attrs.dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports only NHWC data, got ${attrs.dataFormat}`);
  }
  // The ops pass no dilations (tfjs has no gradient for dilated convolutions); refuse any that come.
  const dilations = attrs.dilations ?? 1;
  if (!(typeof dilations === 'number' ? dilations === 1 : dilations.every((d) => d === 1))) {
    throw new Error(`${kernel} on wasm supports only dilations of 1, got ${dilations}`);
  }
  if (dtypes.some((d) => d !== 'float32')) throw new Error(`${kernel} on wasm supports only float32, got ${dtypes.join(', ')}`);
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(`${kernel}: expected 4-D input and filter shapes, got [${xShape}] and [${filterShape}]`);
  }
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
}

function checkDy(kernel: string, dy: TensorInfo, info: tf.backend_util.Conv2DInfo): void {
  const expected = [info.batchSize, info.outHeight, info.outWidth, info.outChannels];
  if (dy.shape.length !== 4 || dy.shape.some((d, i) => d !== expected[i])) {
    throw new Error(`${kernel}: dy has shape [${dy.shape}], expected [${expected}]`);
  }
}

function conv2DBackpropFilter(args: KernelArgs): TensorInfo {
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const attrs = args.attrs as unknown as ConvGradAttrs & { filterShape: number[] };
  const info = convGeometry('Conv2DBackpropFilter', x.shape, attrs.filterShape, attrs, [x.dtype, dy.dtype]);
  checkDy('Conv2DBackpropFilter', dy, info);
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  const scope = new KernelScope(args.backend);
  try {
    // Exactly the rows and columns some tap reads: (out−1)·stride + filter of them, from −pad on.
    const pads: Pads = [
      [padInfo.top, (outHeight - 1) * strideHeight + filterHeight - padInfo.top - inHeight],
      [padInfo.left, (outWidth - 1) * strideWidth + filterWidth - padInfo.left - inWidth],
    ];
    const xT = scope.run('Transpose', { x }, { perm: [3, 1, 2, 0] }); // [C, H, W, B]
    const dyT = scope.run('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }); // [outH, outW, B, outC]
    const grad = paddedConv(scope, xT, dyT, pads, [strideHeight, strideWidth]); // [C, fh, fw, outC]
    return scope.keep(scope.run('Transpose', { x: grad }, { perm: [1, 2, 0, 3] }));
  } finally {
    scope.disposeAll();
  }
}

function conv2DBackpropInput(args: KernelArgs): TensorInfo {
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const attrs = args.attrs as unknown as ConvGradAttrs & { inputShape: number[] };
  const info = convGeometry('Conv2DBackpropInput', attrs.inputShape, filter.shape, attrs, [dy.dtype, filter.dtype]);
  checkDy('Conv2DBackpropInput', dy, info);
  const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels, filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  const scope = new KernelScope(args.backend);
  try {
    // Insert stride−1 zeros after every pixel: [B·oh·ow, 1, O] → [B·oh·ow, sw, O] is dy widened to
    // ow·sw columns; [B·oh, 1, ow·sw·O] → [B·oh, sh, ow·sw·O] then does the rows.
    let spread = dy;
    if (strideWidth > 1) {
      const cols = scope.reshape(spread, [batchSize * outHeight * outWidth, 1, outChannels]);
      spread = scope.run('PadV2', { x: cols }, { paddings: [[0, 0], [0, strideWidth - 1], [0, 0]], constantValue: 0 });
    }
    if (strideHeight > 1) {
      const rows = scope.reshape(spread, [batchSize * outHeight, 1, outWidth * strideWidth * outChannels]);
      spread = scope.run('PadV2', { x: rows }, { paddings: [[0, 0], [0, strideHeight - 1], [0, 0]], constantValue: 0 });
    }
    spread = scope.reshape(spread, [batchSize, outHeight * strideHeight, outWidth * strideWidth, outChannels]);
    // Input pixel h received dy pixel y through tap i = h + top − y·sh; as a correlation with the
    // flipped filter that needs fh−1−top zeros before the spread dy and enough after it for inH outputs.
    const pads: Pads = [
      [filterHeight - 1 - padInfo.top, inHeight + padInfo.top - outHeight * strideHeight],
      [filterWidth - 1 - padInfo.left, inWidth + padInfo.left - outWidth * strideWidth],
    ];
    const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
    const swapped = scope.run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] }); // [fh, fw, outC, C]
    return scope.keep(paddedConv(scope, spread, swapped, pads, [1, 1]));
  } finally {
    scope.disposeAll();
  }
}

let installed = false;

export function installWasmConvKernels(): void {
  if (installed) return;
  installed = true;
  const kernels: [string, tf.KernelFunc][] = [
    ['Conv2DBackpropFilter', conv2DBackpropFilter],
    ['Conv2DBackpropInput', conv2DBackpropInput],
  ];
  for (const [kernelName, kernelFunc] of kernels) {
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
}
