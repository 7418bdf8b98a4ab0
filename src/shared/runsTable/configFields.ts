/**
 * A job's configuration as flat, labelled fields (adversarial.lambda, blur.sigma, ...): the columns of
 * the runs tables and the rows of Compare's configuration difference are both made of these.
 */

/** Every field the jobs' configurations have, in the order a student reads them. */
export const CONFIG_LABELS: Record<string, string> = {
  architecture: 'Architecture',
  latent: 'Latent',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  learningRate: 'Learning rate',
  warmupSteps: 'Warm-up steps',
  outputInit: 'Output init',
  trainImages: 'Train images',
  testImages: 'Test images',
  seed: 'Seed',
  'blur.sigma': 'σ (blur)',
  'blur.kernelSize': 'Blur kernel',
  'adversarial.lambda': 'λ',
  'adversarial.mode': 'Mode',
  'adversarial.initRunId': 'Init run',
  'adversarial.disNetRunId': 'dis_net run',
  'adversarial.disNetLearningRate': 'dis_net rate',
  'adversarial.clearLabel': 'Clear label',
};

const ORDER = Object.keys(CONFIG_LABELS);

export type ConfigValue = string | number;

/** A field's label: its own, else the path itself (a field newer than this page still shows). */
export function configLabel(key: string): string {
  return CONFIG_LABELS[key] ?? key;
}

/** Nested objects become dotted paths; arrays and booleans become text. Absent fields are left out. */
export function flattenConfig(config: object, prefix = ''): Map<string, ConfigValue> {
  const fields = new Map<string, ConfigValue>();
  for (const [key, value] of Object.entries(config)) {
    const path = prefix + key;
    if (value === undefined || value === null) continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of flattenConfig(value, `${path}.`)) fields.set(k, v);
    } else {
      fields.set(path, typeof value === 'number' || typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  return fields;
}

/** Known fields in reading order, then any others in the order they came. */
function byReadingOrder(keys: Iterable<string>): string[] {
  const rank = (k: string) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);
  return [...new Set(keys)].map((k, i) => ({ k, i })).sort((x, y) => rank(x.k) - rank(y.k) || x.i - y.i).map((x) => x.k);
}

export interface ConfigDiffRow {
  key: string;
  label: string;
  /** '—' where that configuration has no such field (a Q2a run has no adversarial settings). */
  a: string;
  b: string;
  differs: boolean;
}

/** Every field of either configuration, with both values and whether they differ. */
export function configDiff(a: object, b: object): ConfigDiffRow[] {
  const [fa, fb] = [flattenConfig(a), flattenConfig(b)];
  const text = (v: ConfigValue | undefined) => (v === undefined ? '—' : String(v));
  return byReadingOrder([...fa.keys(), ...fb.keys()]).map((key) => {
    const [va, vb] = [fa.get(key), fb.get(key)];
    return { key, label: configLabel(key), a: text(va), b: text(vb), differs: va !== vb };
  });
}
