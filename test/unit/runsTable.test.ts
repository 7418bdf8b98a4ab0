import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunListItem } from '../../src/runs/schema';
import { DEFAULT_AUTOENCODER, DEFAULT_DISNET, DEFAULT_RECIPES } from '../../src/shared/experiment/defaults';
import { AutoencoderConfig } from '../../src/shared/jobs/specs';
import { AutoencoderRun, Column, autoencoderColumns, cellText, classifierColumns, differenceText, durationText, tableColumns } from '../../src/shared/runsTable/columns';
import { CONFIG_LABELS, configDiff, flattenConfig } from '../../src/shared/runsTable/configFields';
import { arrangeRows, filterRows, nextSort, sortRows } from '../../src/shared/runsTable/sortFilter';

interface Row {
  id: string;
  name: string;
  score?: number;
}
const name: Column<Row> = { id: 'name', label: 'Run', value: (r) => r.name };
const score: Column<Row> = { id: 'score', label: 'Score', value: (r) => r.score, digits: 3, figure: true };
const ids = (rows: Row[]) => rows.map((r) => r.id);

const rows: Row[] = [
  { id: 'a', name: 'run 10', score: 10 },
  { id: 'b', name: 'Run 9', score: 9 },
  { id: 'c', name: 'run 100' },
  { id: 'd', name: 'beta', score: 100 },
  { id: 'e', name: 'alpha', score: 9 },
];

test('numbers sort as numbers, text as text with its digits read as numbers, case aside', () => {
  assert.deepEqual(ids(sortRows(rows, score, 'ascending')), ['b', 'e', 'a', 'd', 'c'], '9 < 10 < 100, not "10" < "100" < "9"');
  assert.deepEqual(ids(sortRows(rows, name, 'ascending')), ['e', 'd', 'b', 'a', 'c'], 'alpha, beta, Run 9, run 10, run 100');
  assert.deepEqual(ids(sortRows(rows, name, 'descending')), ['c', 'a', 'b', 'd', 'e']);
});

test('absent values sort last in both directions, and equal values keep their order', () => {
  assert.deepEqual(ids(sortRows(rows, score, 'descending')), ['d', 'a', 'b', 'e', 'c'], 'b before e both ways: they tie at 9');
  assert.equal(sortRows(rows, score, 'ascending').at(-1)!.id, 'c');
  const ties = rows.map((r, i) => ({ ...r, score: i % 2 }));
  assert.deepEqual(ids(sortRows(ties, score, 'ascending')), ['a', 'c', 'e', 'b', 'd']);
  assert.deepEqual(ids(sortRows(ties, score, 'descending')), ['b', 'd', 'a', 'c', 'e']);
  assert.deepEqual(ids(rows), ['a', 'b', 'c', 'd', 'e'], 'the rows given are left as they were');
});

test('a header click sorts ascending, then descending, then restores the rows\' order', () => {
  const first = nextSort(undefined, 'score');
  assert.deepEqual(first, { column: 'score', direction: 'ascending' });
  assert.deepEqual(nextSort(first, 'score'), { column: 'score', direction: 'descending' });
  assert.equal(nextSort(nextSort(first, 'score'), 'score'), undefined);
  assert.deepEqual(nextSort({ column: 'name', direction: 'descending' }, 'score'), { column: 'score', direction: 'ascending' }, 'another column starts ascending');
});

test('the filter matches the shown text of the given columns, case aside', () => {
  assert.deepEqual(ids(filterRows(rows, [name, score], 'RUN 1')), ['a', 'c']);
  assert.deepEqual(ids(filterRows(rows, [name, score], '9.000')), ['b', 'e'], 'a number as the table shows it');
  assert.deepEqual(ids(filterRows(rows, [name], '9.000')), [], 'a hidden column is not searched');
  assert.deepEqual(ids(filterRows(rows, [name], '—')), [], 'nor is an absent figure in a hidden column');
  assert.deepEqual(ids(filterRows(rows, [score], '—')), ['c'], 'an absent figure shows as —');
  assert.equal(filterRows(rows, [name], '  ').length, rows.length, 'no query: every row');
});

test('the pinned baseline stays on top, whatever the sort and the filter', () => {
  const how = { sort: { column: 'score', direction: 'ascending' as const }, filter: 'run', visible: ['name', 'score'], baseline: 'd' };
  assert.deepEqual(ids(arrangeRows(rows, [name, score], (r) => r.id, how)), ['d', 'b', 'a', 'c']);
  assert.deepEqual(ids(arrangeRows(rows, [name, score], (r) => r.id, { ...how, baseline: 'gone' })), ['b', 'a', 'c'], 'a baseline no longer on disk is ignored');
  assert.deepEqual(ids(arrangeRows(rows, [name, score], (r) => r.id, { filter: '', visible: ['name'] })), ids(rows), 'unsorted: the order given');
});

test('figures against the baseline: signed, at the column\'s precision, ±0 when they agree', () => {
  assert.equal(differenceText(score, rows[0], rows[1]), '+1.000');
  assert.equal(differenceText(score, rows[1], rows[0]), '−1.000');
  assert.equal(differenceText(score, rows[1], rows[4]), '±0');
  assert.equal(differenceText(score, rows[2], rows[0]), undefined, 'no figure, no difference');
  assert.equal(differenceText(name, rows[0], rows[1]), undefined, 'text columns have none');
  const accuracy: Column<Row> = { ...score, percent: true, digits: 1 };
  assert.equal(cellText(accuracy, { id: 'x', name: '', score: 0.975 }), '97.5%');
  assert.equal(differenceText(accuracy, { id: 'x', name: '', score: 0.9 }, { id: 'y', name: '', score: 0.975 }), '−7.5%');
  assert.equal(durationText(42), '42 s');
  assert.equal(durationText(185), '3 min 5 s');
  assert.equal(durationText(4320), '1 h 12 min');
});

const q2a = AutoencoderConfig.parse({ ...DEFAULT_AUTOENCODER, latent: 2 });
const sharpened = AutoencoderConfig.parse({ ...q2a, epochs: 2, adversarial: { ...DEFAULT_RECIPES.alternating, disNetRunId: 'disnet-1', initRunId: 'q2a-1' } });

test('the config diff reports every field of either run, the differing ones marked', () => {
  const diff = configDiff(q2a, sharpened);
  const differing = diff.filter((r) => r.differs).map((r) => r.key);
  assert.deepEqual(differing, ['epochs', 'adversarial.lambda', 'adversarial.mode', 'adversarial.initRunId', 'adversarial.disNetRunId', 'adversarial.disNetLearningRate', 'adversarial.clearLabel']);
  const lambda = diff.find((r) => r.key === 'adversarial.lambda')!;
  assert.deepEqual(lambda, { key: 'adversarial.lambda', label: 'λ', a: '—', b: '0.005', differs: true }, 'nested fields are flattened with a readable label, "—" where (a) has none');
  const latent = diff.find((r) => r.key === 'latent')!;
  assert.deepEqual(latent, { key: 'latent', label: 'Latent', a: '2', b: '2', differs: false });
  assert.equal(diff.filter((r) => !r.differs).length, Object.keys(q2a).length - 1, 'every other field of (a) is reported equal');
  assert.deepEqual(diff.map((r) => r.key).slice(0, 3), ['architecture', 'latent', 'epochs'], 'in reading order');
  assert.ok(configDiff(sharpened, sharpened).every((r) => !r.differs));
  const frozen = { ...sharpened, adversarial: { ...DEFAULT_RECIPES.frozen, disNetRunId: 'disnet-1', initRunId: 'q2a-1' } };
  const modes = configDiff(sharpened, frozen).filter((r) => r.differs);
  assert.deepEqual(modes.map((r) => [r.key, r.a, r.b]), [['adversarial.lambda', '0.005', '0.1'], ['adversarial.mode', 'alternating', 'frozen'], ['adversarial.disNetLearningRate', '0.0003', '—'], ['adversarial.clearLabel', '0.9', '—']]);
  assert.equal(configDiff({ future: { knob: 3 } }, {})[0].label, 'future.knob', 'a field this page does not know still shows, by its path');
});

test('every field of the jobs\' configurations has a label', () => {
  for (const config of [sharpened, DEFAULT_DISNET]) {
    for (const key of flattenConfig(config).keys()) assert.ok(CONFIG_LABELS[key], `no label for ${key}`);
  }
});

test('the runs table columns read a real run record: configuration, figures, backend', () => {
  const item = RunListItem.parse({
    ok: true,
    dir: '/runs/ae-1',
    run: {
      schemaVersion: 4, id: 'ae-1', name: 'Sharpened L=2', job: { kind: 'trainAutoencoder', config: sharpened }, seed: 1, backend: 'onnxruntime',
      engine: { provider: 'cpu', threads: 4 }, versions: { 'onnxruntime-node': '1.20.0' }, status: 'completed',
      createdAt: '2024-05-01T10:00:00.000Z', endedAt: '2024-05-01T10:03:05.000Z',
      summary: { kind: 'training', epochsCompleted: 1, sharpnessRatio: 0.8123, kmeansAccuracy: 0.5 },
    },
    metrics: [{ epoch: 1, trainL1: 0.2, testL1: 0.19876, trainAdversarial: 0.7, seconds: 12 }],
  }) as AutoencoderRun;
  const { columns, defaults } = tableColumns(autoencoderColumns(), ['name', 'testL1', 'config.adversarial.lambda']);
  assert.deepEqual(columns.slice(0, 3).map((c) => c.id), defaults, 'the defaults first, in their order');
  assert.equal(new Set(columns.map((c) => c.id)).size, columns.length, 'no column twice');
  const text = (id: string) => cellText(columns.find((c) => c.id === id)!, item);
  assert.deepEqual(
    ['name', 'status', 'config.adversarial.lambda', 'config.adversarial.mode', 'start', 'config.seed', 'config.learningRate', 'epochs', 'testL1', 'sharpness', 'kmeansNmi', 'backend', 'engine', 'versions', 'duration'].map(text),
    ['Sharpened L=2', 'completed', '0.005', 'alternating', 'Q2a run', '1', '0.003', '1 / 2', '0.1988', '0.81', '—', 'onnxruntime', 'cpu, 4 threads', 'onnxruntime-node 1.20.0', '3 min 5 s'],
  );
  assert.throws(() => tableColumns(classifierColumns(), ['config.latent']), /no such runs-table column: config.latent/);
});
