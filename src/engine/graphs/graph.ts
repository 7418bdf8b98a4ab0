/**
 * A small builder for ONNX graphs: named values, nodes, constants and the model's bytes for ONNX
 * Runtime. Every shape is static (one graph per batch size), which lets the runtime plan its memory
 * and pick its kernels once.
 */
import { onnx } from 'onnx-proto';

/** Opset 17: `Clip` bounds and `ReduceSum` axes are inputs, `ReduceMean` axes an attribute. */
export const OPSET = 17;

export type Attribute = { i: number } | { f: number } | { ints: number[] } | { floats: number[] };
export const int = (i: number): Attribute => ({ i });
export const ints = (values: number[]): Attribute => ({ ints: values });
export const float = (f: number): Attribute => ({ f });

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

function valueInfo(name: string, dims?: number[], elemType = FLOAT): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: dims && { dim: dims.map((d) => ({ dimValue: d })) } } } };
}

function attributeProto(name: string, a: Attribute): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if ('i' in a) return { name, type: T.INT, i: a.i };
  if ('f' in a) return { name, type: T.FLOAT, f: a.f };
  if ('ints' in a) return { name, type: T.INTS, ints: a.ints };
  return { name, type: T.FLOATS, floats: a.floats };
}

export class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly names = new Set<string>();
  private readonly constants = new Map<string, string>();
  private count = 0;

  constructor(private readonly name: string) {}

  private fresh(hint: string): string {
    let name = hint;
    while (this.names.has(name)) name = `${hint}_${++this.count}`;
    this.names.add(name);
    return name;
  }

  input(name: string, dims: number[]): string {
    if (this.names.has(name)) throw new Error(`graph ${this.name}: the value "${name}" exists already`);
    this.names.add(name);
    this.inputs.push(valueInfo(name, dims));
    return name;
  }

  /**
   * Publishes `value` under `name`. A node's own output is renamed in place, which spares the copy an
   * Identity node would make (a step's outputs are megabytes of parameters); a graph input or a value
   * published already goes through an Identity.
   */
  output(name: string, value: string): void {
    const producer = this.nodes.find((n) => n.output![0] === value);
    const published = this.outputs.some((o) => o.name === value);
    if (value === name) {
      // already so named
    } else if (producer && !published) {
      this.claim(name);
      producer.output![0] = name;
      for (const node of this.nodes) node.input = node.input!.map((v) => (v === value ? name : v));
    } else {
      this.nodes.push({ opType: 'Identity', input: [value], output: [this.claim(name)], name: `out_${name}` });
    }
    this.outputs.push(valueInfo(name));
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`graph ${this.name}: the value "${name}" exists already`);
    this.names.add(name);
    return name;
  }

  /** A float32 constant; equal small constants are shared. */
  constant(values: ArrayLike<number>, dims: number[]): string {
    const key = values.length <= 16 ? `f${dims.join('x')}:${Array.from(values).join(',')}` : undefined;
    const known = key && this.constants.get(key);
    if (known) return known;
    const name = this.fresh('const');
    this.initializers.push({ name, dataType: FLOAT, dims, floatData: Array.from(values) });
    if (key) this.constants.set(key, name);
    return name;
  }

  scalar(value: number): string {
    return this.constant([value], []);
  }

  /** An int64 vector (shapes, axes). */
  int64s(values: number[]): string {
    const key = `i:${values.join(',')}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.fresh('shape');
    this.initializers.push({ name, dataType: INT64, dims: [values.length], int64Data: values });
    this.constants.set(key, name);
    return name;
  }

  /** One node with one output, named after `hint` so that profiles and placement logs are readable. */
  op(opType: string, inputs: string[], attributes: Record<string, Attribute> = {}, hint = opType.toLowerCase()): string {
    const output = this.fresh(hint);
    this.nodes.push({
      opType,
      input: inputs,
      output: [output],
      name: `n_${output}`,
      attribute: Object.entries(attributes).map(([k, a]) => attributeProto(k, a)),
    });
    return output;
  }

  encode(): Uint8Array {
    const graph: onnx.IGraphProto = { name: this.name, node: this.nodes, initializer: this.initializers, input: this.inputs, output: this.outputs };
    return onnx.ModelProto.encode({ irVersion: 8, opsetImport: [{ domain: '', version: OPSET }], producerName: 'assignment2', graph }).finish();
  }
}
