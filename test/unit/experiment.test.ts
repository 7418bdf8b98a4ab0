import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { parseArgs } from 'node:util';
import { DEFAULT_AUTOENCODER, DEFAULT_DISNET } from '../../src/shared/experiment/defaults';
import { ExperimentOverrides, OverrideError, disNetConfigOf, experimentSetups, mergeOverrides, overridesFrom } from '../../src/shared/experiment/overrides';
import { SETTING_PATHS, SettingsError, namingSettings, overridesFromSettings } from '../../src/extension/settingsOverrides';
import { valuesOf } from '../../src/engine/cli/flags';
import { COMMANDS } from '../../src/engine/cli/commands';
import { main } from '../../src/engine/cli/main';

/** The overrides a command line makes, through the same flag tables and parser as the CLI. */
function fromFlags(command: string, args: string[]): ExperimentOverrides {
  const { flags } = COMMANDS.find((c) => c.name === command)!;
  const { values } = parseArgs({ args, strict: true, options: Object.fromEntries(flags.map((f) => [f.name.slice(2), { type: f.kind === 'boolean' ? ('boolean' as const) : ('string' as const) }])) });
  return valuesOf(flags, values).overrides as ExperimentOverrides;
}

/** Every job specification of an experiment: the (a) runs, dis_net, the judge and the recipes of (b). */
const specsOf = (o: ExperimentOverrides) => experimentSetups(o).map(({ autoencoders, disNet, judge, sharpen, q1 }) => ({ autoencoders, disNet, judge, sharpen, q1 }));

test('the palette and the command line make the same job specs from the same settings', () => {
  const cases: { settings: Record<string, unknown>; flags: string[] }[] = [
    { settings: {}, flags: [] },
    { settings: { epochs: 3, seed: 7, blurSigma: 1.5 }, flags: ['--epochs', '3', '--seed', '7', '--sigma', '1.5'] },
    { settings: { architecture: 'conv', batchSize: 128, learningRate: 0.001, trainImages: 5000, testImages: 500 }, flags: ['--architecture', 'conv', '--batch-size', '128', '--lr', '0.001', '--train-images', '5000', '--test-images', '500'] },
  ];
  for (const { settings, flags } of cases) {
    const palette = overridesFromSettings((key) => settings[key]);
    assert.deepEqual(specsOf(palette), specsOf(fromFlags('all', flags)), JSON.stringify(settings));
  }
  // A palette answer over the settings equals the flags of both.
  const sharpened = mergeOverrides(overridesFromSettings((key) => ({ epochs: 3 })[key as 'epochs']), { latents: [16], sharpen: { mode: 'alternating', lambda: 0.01 } });
  assert.deepEqual(specsOf(sharpened), specsOf(fromFlags('q2b', ['--epochs', '3', '--latent', '16', '--mode', 'alternating', '--lambda', '0.01'])));
  // And a changed setting changes the specs (the comparison could fail).
  assert.notDeepEqual(specsOf(overridesFromSettings((key) => (key === 'seed' ? 2 : undefined))), specsOf(fromFlags('all', [])));
});

test('dis_net has one learning rate and one schedule, whoever trains it', () => {
  const [{ disNet }] = experimentSetups(overridesFromSettings(() => undefined));
  assert.deepEqual(disNet, DEFAULT_DISNET);
  assert.deepEqual(experimentSetups(fromFlags('disnet', []))[0].disNet, DEFAULT_DISNET);
});

test("package.json's settings document the shared defaults", () => {
  const properties = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).contributes.configuration.properties;
  const shared: Record<string, unknown> = { ...DEFAULT_AUTOENCODER, blurSigma: DEFAULT_DISNET.blur.sigma };
  for (const key of Object.keys(SETTING_PATHS)) assert.equal(properties[`assignment2.${key}`].default, shared[key], `assignment2.${key}`);
});

test('--plan prints what would run, what is reused and the time, and starts nothing', async () => {
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'a2-plan-'));
  const printed: string[] = [];
  const out = process.stdout.write;
  process.stdout.write = ((chunk: string) => printed.push(String(chunk)) > 0) as typeof process.stdout.write;
  try {
    assert.equal(await main(['all', '--plan', '--json', '--seeds', '1,2', '--runs-dir', runsDir]), 0);
  } finally {
    process.stdout.write = out;
  }
  const plan = JSON.parse(printed.join(''));
  // Per seed: three (a), dis_net, the judge, (b) in both modes per size; Q1 and the report once.
  assert.equal(plan.steps.length, 1 + 2 * (3 + 2 + 6) + 1);
  assert.ok(plan.steps.every((s: { action: string }) => s.action !== 'reuse'));
  assert.ok(plan.seconds > 60 && plan.seconds < 3600, `${plan.seconds} s`);
  assert.deepEqual(fs.readdirSync(runsDir), [], 'nothing was trained or written');
});

test('an impossible value is named by the flag or setting that set it, and by no other', () => {
  // A setting names itself; dis_net's own schedule has no setting, so its path is named instead.
  assert.throws(() => overridesFromSettings((key) => (key === 'epochs' ? 0 : undefined)), (err: Error) => err instanceof SettingsError && err.message.startsWith('assignment2.epochs:'));
  assert.throws(
    () => namingSettings(() => disNetConfigOf(overridesFrom({ disNet: { epochs: 0 } }))),
    (err: Error) => err instanceof SettingsError && err.message.startsWith('disNet.epochs:') && !err.message.includes('assignment2.epochs'),
  );
  // Derived fields point at their source.
  assert.equal(new OverrideError('disNet.trainImages', 'x').source, 'autoencoder.trainImages');
  assert.equal(new OverrideError('disNet.blur.sigma', 'x').source, 'disNet.sigma');
  assert.equal(new OverrideError('latents.2', 'x').source, 'latents');
  assert.equal(new OverrideError('q1.landscape.h', 'x').source, 'q1.landscape.h');
});
