import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { autoencoderConfigOf, disNetConfigOf } from '../../src/shared/experiment/overrides';
import { engineThreads, engineTimeoutMs, settingsOverrides } from '../../src/extension/settings';
import { SettingsError, namingSettings } from '../../src/extension/settingsOverrides';

// The configurations a palette command makes from the settings.
const autoencoderConfig = (latent: number) => namingSettings(() => autoencoderConfigOf(settingsOverrides(), latent));
const disNetConfig = () => namingSettings(() => disNetConfigOf(settingsOverrides()));

// Values a settings.json can hold that no numeric setting may accept: negatives, meaningless zeros,
// absurd sizes, fractions where a count is meant, text. (JSON has no NaN.)
const BAD: Record<string, { values: unknown[]; read: () => unknown }> = {
  epochs: { values: [-1, 0, 1e9, 2.5, 'six'], read: () => autoencoderConfig(2) },
  batchSize: { values: [-256, 0, 1e9, 1.5, 'big'], read: () => autoencoderConfig(2) },
  learningRate: { values: [-0.001, 0, 1e9, 'fast'], read: () => autoencoderConfig(2) },
  trainImages: { values: [-1, 0, 1e9, 0.5, ''], read: () => autoencoderConfig(2) },
  testImages: { values: [-1, 0, 1e9, 0.5], read: () => autoencoderConfig(2) },
  seed: { values: [-1, 1e12, 0.5, 'x'], read: () => autoencoderConfig(2) },
  blurSigma: { values: [-1, 0, 100, 'soft'], read: () => disNetConfig() },
  engineTimeout: { values: [-1, 0, 1, 1e9, 2.5, 'long'], read: () => engineTimeoutMs() },
  threads: { values: [-1, 1e9, 1.5, 'all'], read: () => engineThreads() },
};

suite('Settings', () => {
  test('every numeric setting refuses impossible values with a message that names it', async () => {
    const config = vscode.workspace.getConfiguration('assignment2');
    let tried = 0;
    for (const [key, { values, read }] of Object.entries(BAD)) {
      try {
        for (const value of values) {
          await config.update(key, value, vscode.ConfigurationTarget.Workspace);
          assert.throws(read, (err: Error) => err instanceof SettingsError && err.message.includes(`assignment2.${key}`), `assignment2.${key} = ${JSON.stringify(value)} was accepted`);
          tried++;
        }
      } finally {
        await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
      }
      read(); // and the default is fine again
    }
    assert.equal(tried, Object.values(BAD).reduce((n, b) => n + b.values.length, 0));
  });
});
