/**
 * The networks the project trains, described layer by layer for the graph compiler: read off a
 * tfjs-layers model (tfjs stays the model file format), with each weight's ONNX layout and the
 * conversions between the two layouts.
 *
 * Feature maps are NCHW inside the graphs (ONNX's convolution layout); the flat vectors between dense
 * and convolutional layers keep tfjs's NHWC order, so the dense kernels are the model's own.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export type Activation = 'relu' | 'linear';

export type Layer =
  | { kind: 'dense'; name: string; inputs: number; units: number; activation: Activation }
  | { kind: 'conv' | 'deconv'; name: string; inChannels: number; filters: number; kernel: number; stride: number; inSide: number; outSide: number; pads: Pads; activation: Activation }
  /** A flat NHWC-ordered vector as an NCHW feature map. */
  | { kind: 'toImage'; side: number; channels: number }
  /** An NCHW feature map as a flat NHWC-ordered vector. */
  | { kind: 'flatten'; side: number; channels: number }
  | { kind: 'globalAvgPool'; side: number; channels: number };

/** [top, left, bottom, right], as ONNX's Conv and ConvTranspose take them. */
export type Pads = [number, number, number, number];

export interface Network {
  layers: Layer[];
  inputSize: number;
  outputSize: number;
  /** The index of the layer whose output is the latent code, if any. */
  latentLayer?: number;
}

/** TensorFlow's 'same' padding of a stride-s convolution from `inSide` to ⌈inSide / s⌉: the odd pixel goes after. */
function samePads(inSide: number, kernel: number, stride: number): { outSide: number; pads: Pads } {
  const outSide = Math.ceil(inSide / stride);
  const total = Math.max((outSide - 1) * stride + kernel - inSide, 0);
  const before = Math.floor(total / 2);
  return { outSide, pads: [before, before, total - before, total - before] };
}

const activationOf = (layer: tfl.layers.Layer): Activation => {
  const name = (layer.getConfig().activation as string | undefined) ?? 'linear';
  if (name !== 'relu' && name !== 'linear') throw new Error(`layer ${layer.name}: activation "${name}" is not supported by the graph compiler`);
  return name;
};

const single = (v: number | number[]): number => (Array.isArray(v) ? (v[0] === v[1] ? v[0] : NaN) : v);

/** The layer list of a tfjs model built by this project (dense, conv and transposed-conv stacks). */
export function describeNetwork(model: tfl.LayersModel): Network {
  const inputShape = model.inputs[0].shape;
  const inputSize = inputShape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
  const layers: Layer[] = [];
  let latentLayer: number | undefined;
  // What flows between layers: a flat vector of `size`, or a feature map `side`×`side`×`channels`.
  let size = inputSize;
  let map: { side: number; channels: number } | undefined;
  for (const layer of model.layers) {
    const config = layer.getConfig();
    switch (layer.getClassName()) {
      case 'Reshape': {
        const [h, w, c] = config.targetShape as number[];
        if (h !== w || h * w * c !== size) throw new Error(`layer ${layer.name}: only square reshapes of a flat vector are supported`);
        map = { side: h, channels: c };
        layers.push({ kind: 'toImage', side: h, channels: c });
        break;
      }
      case 'Flatten':
        if (!map) break; // flat already
        layers.push({ kind: 'flatten', ...map });
        size = map.side * map.side * map.channels;
        map = undefined;
        break;
      case 'GlobalAveragePooling2D':
        if (!map) throw new Error(`layer ${layer.name}: pooling needs a feature map`);
        layers.push({ kind: 'globalAvgPool', ...map });
        size = map.channels;
        map = undefined;
        break;
      case 'Dense': {
        if (map) throw new Error(`layer ${layer.name}: a dense layer needs a flat input`);
        const units = config.units as number;
        layers.push({ kind: 'dense', name: layer.name, inputs: size, units, activation: activationOf(layer) });
        size = units;
        break;
      }
      case 'Conv2D':
      case 'Conv2DTranspose': {
        if (!map) throw new Error(`layer ${layer.name}: a convolution needs a feature map`);
        const kernel = single(config.kernelSize as number | number[]);
        const stride = single((config.strides as number | number[] | undefined) ?? 1);
        if (config.padding !== 'same' || !Number.isFinite(kernel) || !Number.isFinite(stride) || single((config.dilationRate as number | number[] | undefined) ?? 1) !== 1) {
          throw new Error(`layer ${layer.name}: only square, undilated 'same' convolutions are supported`);
        }
        const filters = config.filters as number;
        const transposed = layer.getClassName() === 'Conv2DTranspose';
        // A transposed convolution is the adjoint of the 'same' convolution from its output to its input.
        const shape = transposed ? { outSide: map.side * stride, pads: samePads(map.side * stride, kernel, stride).pads } : samePads(map.side, kernel, stride);
        layers.push({ kind: transposed ? 'deconv' : 'conv', name: layer.name, inChannels: map.channels, filters, kernel, stride, inSide: map.side, ...shape, activation: activationOf(layer) });
        map = { side: shape.outSide, channels: filters };
        break;
      }
      default:
        throw new Error(`layer ${layer.name}: ${layer.getClassName()} is not supported by the graph compiler`);
    }
    if (layer.name === 'latent') latentLayer = layers.length - 1;
  }
  if (map) throw new Error(`model ${model.name}: its output must be flat`);
  return { layers, inputSize, outputSize: size, latentLayer };
}

export type WeightedLayer = Extract<Layer, { kind: 'dense' | 'conv' | 'deconv' }>;
export const isWeighted = (l: Layer): l is WeightedLayer => l.kind === 'dense' || l.kind === 'conv' || l.kind === 'deconv';

/** Each weighted layer's kernel and bias shapes in the graphs' layout (ONNX's). */
export function parameterShapes(net: Network): number[][] {
  return net.layers.filter(isWeighted).flatMap((l) => {
    if (l.kind === 'dense') return [[l.inputs, l.units], [l.units]];
    // Conv: [out, in, kh, kw]; ConvTranspose: [in, out, kh, kw].
    const [a, b] = l.kind === 'conv' ? [l.filters, l.inChannels] : [l.inChannels, l.filters];
    return [[a, b, l.kernel, l.kernel], [l.filters]];
  });
}

/**
 * tfjs's conv kernel [kh, kw, in, out] as ONNX's [out, in, kh, kw]; its transposed-conv kernel
 * [kh, kw, out, in] likewise becomes ConvTranspose's [in, out, kh, kw].
 */
export function toGraphKernel(values: Float32Array, [kh, kw, a, b]: number[]): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let c = 0; c < a; c++)
        for (let o = 0; o < b; o++) out[((o * a + c) * kh + i) * kw + j] = values[((i * kw + j) * a + c) * b + o];
  return out;
}

/** The inverse of toGraphKernel, given the tfjs shape. */
export function toModelKernel(values: Float32Array, [kh, kw, a, b]: number[]): Float32Array {
  const out = new Float32Array(values.length);
  for (let i = 0; i < kh; i++)
    for (let j = 0; j < kw; j++)
      for (let c = 0; c < a; c++)
        for (let o = 0; o < b; o++) out[((i * kw + j) * a + c) * b + o] = values[((o * a + c) * kh + i) * kw + j];
  return out;
}

/** The model's weights in the graphs' layout, in parameterShapes order. */
export function readParameters(model: tfl.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => {
    const values = w.dataSync() as Float32Array;
    return w.rank === 4 ? toGraphKernel(values, w.shape) : Float32Array.from(values);
  });
}

/** Writes graph-layout parameters back into the tfjs model (for saving, and for the tfjs-side analysis). */
export function writeParameters(model: tfl.LayersModel, params: Float32Array[]): void {
  const current = model.getWeights();
  const next = current.map((w, i) => {
    const shape = w.shape;
    const values = w.rank === 4 ? toModelKernel(params[i], shape) : params[i];
    return tf.tensor(values, shape);
  });
  model.setWeights(next);
  for (const t of next) t.dispose();
}
