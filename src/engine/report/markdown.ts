/** report.md: one section per question and part, each with its answer, figures and tables. */
import { q1AnswerMarkdown } from '../../shared/q1/report';
import type { Q1Study } from '../../shared/q1/studyTypes';
import { L1_ALLOWANCE } from '../../shared/q2b/verdict';
import { q1Figures, q2aFigures, q2bFigures } from './figures';
import { ReportInputs, firstOfItsSize } from './inputs';
import { ReportResults } from './results';
import { comparisonTable, kmeansTable, q2aSeedsTable, q2bSeedsTable, toMarkdown } from './tables';

export interface ReportFigures {
  q1?: ReturnType<typeof q1Figures>;
  q2a?: ReturnType<typeof q2aFigures>;
  q2b?: ReturnType<typeof q2bFigures>;
}

const image = (file: string | undefined, alt: string) => (file ? [`![${alt}](${file})`, ''] : []);
const fixed = (x: number | undefined, digits = 4) => (x === undefined ? '—' : x.toFixed(digits));
const percent = (x: number | undefined) => (x === undefined ? '—' : `${(100 * x).toFixed(3)}%`);
const bullets = (items: string[]) => [...items.map((i) => `- ${i}`), ''];
/** A warning per collapsed model, so that none of its figures is read as a result. */
const collapseWarnings = (models: { name: string; collapse?: string }[]) =>
  models.flatMap((m) => (m.collapse ? [`> **Warning: ${m.name} has ${m.collapse}.** Its figures describe a failed model.`, ''] : []));

/** The Q1 study's own Markdown, one heading level down so it nests under the report's title. */
function q1Section(study: Q1Study, results: NonNullable<ReportResults['q1']>, figures: ReportFigures['q1']): string[] {
  const body = q1AnswerMarkdown(study)
    .split('\n')
    .map((line) => (line.startsWith('#') ? `#${line}` : line));
  body[0] = '## Q1 — gradient descent against Adam on a bump';
  return [
    ...body,
    `Study run: \`${results.runId}\`. Trajectories and sweeps: \`q1-trajectories.csv\`, \`q1-sweep-h.csv\`, \`q1-sweep-lr.csv\`.`,
    '',
    ...image(figures?.landscape, 'The landscape with the numbered steps of GD and Adam'),
    ...image(figures?.trajectories, 'x_t over the steps'),
    ...image(figures?.sweepH, 'Sweep over h'),
    ...image(figures?.sweepLr, 'Sweep over the learning rate'),
  ];
}

function q2aSection(inputs: ReportInputs, q2a: NonNullable<ReportResults['q2a']>, figures: ReportFigures['q2a']): string[] {
  const arch = inputs.q2a[0]?.analysis.architecture;
  const config = q2a.runs[0]?.config;
  const scatter = (latent: number) => figures?.scatters.find((s) => s.latent === latent);
  const two = q2a.runs.find((r) => r.latent === 2);
  const lines = [
    '## Q2a — MNIST autoencoders with 2-, 16- and 256-D latents, L1 loss',
    '',
    '### Training',
    '',
    config
      ? `Dense autoencoder 784-512-128-L-128-512-784 (ReLU, sigmoid output; ${arch?.totalParams.toLocaleString('en') ?? '?'} parameters at L = ${inputs.q2a[0].analysis.latent}), ` +
        `L1 loss (mean absolute error), Adam with learning rate ${config.learningRate} after a ${config.warmupSteps}-step warm-up, batch ${config.batchSize}, ` +
        `${config.trainImages.toLocaleString('en')} training and ${config.testImages.toLocaleString('en')} test images, seed ${config.seed}. ` +
        (config.outputInit === 'meanImage'
          ? "The output starts at the training images' mean rather than uniform grey, which keeps L1 from collapsing the model onto the per-pixel median (black) image. "
          : 'The output starts at uniform grey, as before the mean-image start existed; such a model can collapse onto the per-pixel median (black) image. ') +
        'After every epoch a model is checked for collapse: reconstructions that hardly vary between images, with test L1 near that of the median image.'
      : '',
    '',
    toMarkdown({
      header: ['Latent', 'Run', 'Epochs', 'Final train L1', 'Test L1', 'Seconds per epoch', 'Sharpness ratio', 'Collapsed'],
      rows: q2a.runs.map((r) => [r.latent, `\`${r.runId}\``, r.epochs, r.finalTrainL1, r.testL1, r.secondsPerEpoch, r.sharpness, r.collapse !== undefined]),
    }),
    '',
    ...collapseWarnings(q2a.runs.map((r) => ({ name: `the autoencoder with L = ${r.latent}`, collapse: r.collapse }))),
    ...image(figures?.loss, 'L1 per epoch'),
    '### (1) The 2-D latent space, one colour per digit',
    '',
    two
      ? `Each point is one of the ${two.config.testImages.toLocaleString('en')} test images at its 2-D code. K-means (k = 10) on these codes reaches accuracy ${fixed(two.kmeans.accuracy, 3)} and NMI ${fixed(two.kmeans.nmi, 3)}.`
      : 'No 2-D run.',
    '',
    ...image(scatter(2)?.digit, '2-D latents coloured by digit'),
    ...image(scatter(2)?.cluster, '2-D latents coloured by K-means cluster'),
    ...(figures?.manifold
      ? [
          "The decoder's manifold: digits decoded at the centres of a 20 × 20 grid over the plane these codes span, with the test codes drawn over them. " +
            'Each test code lies over the digit the decoder draws at that code, so the plane reads as a map of which digit each region decodes to.',
          '',
          ...image(figures.manifold, "The decoder's manifold under the 2-D latents"),
        ]
      : []),
    '### (2) K-means on the 16- and 256-D latents',
    '',
    'K-means with k = 10 (best of 5 restarts) on the test latents, scored against the true digits: accuracy after the best one-to-one matching of clusters to digits (Hungarian), ' +
      'normalised mutual information, adjusted Rand index and purity. The first row clusters the raw pixels, the baseline a latent space should beat. ' +
      'The rows marked extra are not the answer: they cluster a 2-D UMAP of the latents (neighbour graph of 15, minimum distance 0), which shows how much digit structure the latents hold beyond what K-means finds in them directly.',
    '',
    toMarkdown(kmeansTable(q2a)),
    '',
    ...(q2a.seeds.some((r) => r.seeds.length > 1)
      ? ['Over every seed run with these settings (`--seeds 1,2,3,4` runs them; mean and sample standard deviation):', '', toMarkdown(q2aSeedsTable(q2a.seeds)), '']
      : []),
    'The latents are drawn by their first two principal components, once coloured by digit and once by K-means cluster.',
    '',
  ];
  for (const latent of [16, 256]) {
    lines.push(...image(scatter(latent)?.digit, `${latent}-D latents (PCA) by digit`), ...image(scatter(latent)?.cluster, `${latent}-D latents (PCA) by cluster`));
  }
  for (const r of inputs.q2a) {
    lines.push(
      `<details><summary>L=${r.analysis.latent}: the cluster × digit table of its K-means</summary>`,
      '',
      toMarkdown({ header: ['cluster \\ digit', ...Array.from({ length: 10 }, (_, d) => String(d))], rows: r.analysis.kmeans.contingency.map((row, c) => [c, ...row]) }),
      '',
      '</details>',
      '',
    );
  }
  lines.push(
    '### Reconstructions',
    '',
    ...image(figures?.reconstructions, 'Reconstructions'),
    toMarkdown({
      header: ['Latent', ...Array.from({ length: 10 }, (_, d) => `L1 digit ${d}`)],
      rows: q2a.runs.map((r) => [r.latent, ...r.perDigitL1]),
    }),
    '',
    '### Observations',
    '',
    ...bullets(q2a.observations),
  );
  return lines;
}

/** One paragraph per mode present, with the settings its runs were trained with. */
function howBIsTrained(comparison: NonNullable<ReportResults['q2b']>['comparison']): string[] {
  const first = comparison[0];
  const byMode = new Map(comparison.map((c) => [c.mode, c.recipe]));
  const lines = [
    '(b) minimises L1 + λ · BCE(dis_net(reconstruction), clear). ' +
      (first.startedFrom
        ? `Each (b) starts from the weights of its (a) run and trains ${first.epochs} more epoch${first.epochs > 1 ? 's' : ''} with the extra term; part of any change in L1 is these extra epochs of training, not the dis_net term.`
        : `Each (b) is trained from a fresh initialisation for ${first.epochs} epoch${first.epochs > 1 ? 's' : ''}.`),
    '',
  ];
  const frozen = byMode.get('frozen');
  if (frozen) {
    lines.push(
      `- **frozen** (the assignment's recipe), λ = ${frozen.lambda}: dis_net's weights stay fixed, so the autoencoder is pushed towards whatever this dis_net calls clear, which artefacts that fool it would also achieve; the judge and the sharpness distance below check for that.`,
    );
  }
  const alternating = byMode.get('alternating');
  if (alternating) {
    lines.push(
      `- **alternating**, λ = ${alternating.lambda}: dis_net keeps learning, as in a GAN. After every step of the autoencoder, dis_net takes an Adam step at rate ${alternating.disNetLearningRate} on half of the batch's clear images (target ${alternating.clearLabel}), ` +
        'their blurred copies and the current reconstructions (both target 0), so whatever the autoencoder does to please it is soon called not clear. ' +
        "Left at the frozen mode's λ = 0.1 and the autoencoder's rate, dis_net wins within an epoch and the autoencoder collapses onto one image; a far weaker term, a 10× slower dis_net and clear targets below 1 (so its logits stay bounded) keep the two in balance.",
    );
  }
  return [...lines, ''];
}

function q2bSection(q2b: NonNullable<ReportResults['q2b']>, figures: ReportFigures['q2b']): string[] {
  const { disNet } = q2b;
  const c = disNet.confusion;
  const first = q2b.comparison[0];
  return [
    '## Q2b — sharper reconstructions with dis_net',
    '',
    '### dis_net: clear against Gaussian-blurred MNIST',
    '',
    `dis_net (\`${disNet.runId}\`) is a small convolutional classifier trained with binary cross-entropy on clear MNIST (label 1) and the same images blurred with a Gaussian of σ = ${disNet.config.blur.sigma} (label 0), ` +
      `${disNet.config.epochs} epochs, batch ${disNet.config.batchSize}. Test accuracy on ${disNet.config.testImages.toLocaleString('en')} clear plus as many blurred test images: **${percent(disNet.testAccuracy)}**.`,
    '',
    ...(c ? [toMarkdown({ header: ['truth \\ predicted', 'clear', 'blurred'], rows: [['clear', c[0][0], c[0][1]], ['blurred', c[1][0], c[1][1]]] }), ''] : []),
    ...(q2b.judge
      ? [
          `The judge (\`${q2b.judge.runId}\`) is a second classifier of clear against blurred, with its own architecture (5×5 filters at full resolution, averaged over the image) and seed, trained the same way and never used to train anything. ` +
            `Its test accuracy: **${percent(q2b.judge.testAccuracy)}**. It scores (a) and (b) below, since (b) was trained to please dis_net and dis_net's own score cannot tell real sharpness from artefacts that fool it.`,
          '',
        ]
      : []),
    ...image(figures?.curve, 'dis_net training'),
    ...image(figures?.blurGrid, 'Clear and blurred test digits'),
    '### (b): L1 + λ · dis_net loss',
    '',
    ...(first ? howBIsTrained(q2b.comparison) : ['No (b) run.', '']),
    '### (a) against (b)',
    '',
    'Sharpness ratio: mean gradient magnitude of the reconstructions over that of the originals (1 = as sharp as the data); |1 − sharpness| is its distance from the originals either way, ' +
      'since high-frequency noise overshoots 1. Clear scores: the mean probability that a reconstruction is clear, by the judge and by dis_net. ' +
      `(b) counts as truly sharper than (a) when both figures training never saw improve, the distance and the judge's score, and test L1 is at most ${100 * L1_ALLOWANCE}% worse.`,
    '',
    ...(q2b.comparison.length ? [toMarkdown(comparisonTable(q2b)), ''] : []),
    ...(q2b.seeds.some((r) => r.seeds.length > 1) ? ['Over every seed run with these settings (mean and sample standard deviation):', '', toMarkdown(q2bSeedsTable(q2b.seeds)), ''] : []),
    ...collapseWarnings(q2b.comparison.flatMap(({ latent, mode, a, b }, i) => [...(firstOfItsSize(q2b.comparison, i) ? [{ name: `(a) with L = ${latent}`, ...a }] : []), { name: `(b) ${mode} with L = ${latent}`, ...b }])),
    ...image(figures?.comparison, '(a) against (b) on the same test digits'),
    ...image(figures?.loss, 'Test L1 of (a) and (b)'),
    '### Observations',
    '',
    ...bullets(q2b.observations),
  ];
}

export function reportMarkdown(inputs: ReportInputs, results: ReportResults, study: Q1Study | undefined, figures: ReportFigures, command: string): string {
  const versions = Object.entries(results.versions).map(([k, v]) => `${k} ${v}`).join(', ');
  const lines = [
    '# Assignment 2 — report',
    '',
    `Generated ${results.generatedAt} (${versions}). Every number below is also in \`results.json\`; the curves and tables are CSV files beside this one. ` +
      `The runs it was made from are folders under \`${inputs.runsDir}\`; regenerate it with \`${command}\`.`,
    '',
  ];
  if (results.missing.length) lines.push('> **Missing parts.** This report leaves out what has not been run yet:', '>', ...results.missing.map((m) => `> - ${m.message}`), '');
  if (results.q1 && study) lines.push(...q1Section(study, results.q1, figures.q1));
  if (results.q2a) lines.push(...q2aSection(inputs, results.q2a, figures.q2a));
  if (results.q2b) lines.push(...q2bSection(results.q2b, figures.q2b));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n');
}
