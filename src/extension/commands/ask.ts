/** The palette's questions, each answered into experiment overrides over the shared defaults. */
import * as vscode from 'vscode';
import { DEFAULT_AUTOENCODER, DEFAULT_RECIPES, DEFAULT_SHARPEN_EPOCHS, Q2A_LATENTS } from '../../shared/experiment/defaults';
import { ExperimentOverrides } from '../../shared/experiment/overrides';
import { SharpenMode } from '../../shared/jobs/specs';
import { describePlan, Plan } from '../../shared/experiment/plan';

const wholeNumber = (min: number, max: number) => (text: string) => (/^\d+$/.test(text) && +text >= min && +text <= max ? undefined : `A whole number from ${min} to ${max}`);

export async function askLatents(title: string): Promise<number[] | undefined> {
  const picks = await vscode.window.showQuickPick(
    Q2A_LATENTS.map((latent) => ({ label: `${latent}-D latent`, latent, picked: true })),
    { canPickMany: true, title: `${title}: latent sizes`, placeHolder: 'One run is trained per latent size' },
  );
  return picks?.length ? picks.map((p) => p.latent) : undefined;
}

/** Latent sizes and epochs of (a). */
export async function askAutoencoders(settings: ExperimentOverrides): Promise<ExperimentOverrides | undefined> {
  const latents = await askLatents('Train Autoencoder');
  if (!latents) return undefined;
  const epochs = await vscode.window.showInputBox({
    title: 'Train Autoencoder: epochs',
    value: String(settings.autoencoder?.epochs ?? DEFAULT_AUTOENCODER.epochs),
    prompt: 'Epochs over the training images (1–1000)',
    validateInput: wholeNumber(1, 1000),
  });
  return epochs === undefined ? undefined : { latents, autoencoder: { epochs: Number(epochs) } };
}

/** Latent sizes, the mode, λ, the start and the epochs of (b). */
export async function askSharpened(): Promise<ExperimentOverrides | undefined> {
  const latents = await askLatents('Train Sharpened Autoencoder');
  if (!latents) return undefined;
  const mode = await vscode.window.showQuickPick(
    [
      { label: 'frozen' as SharpenMode, description: 'dis_net stays fixed (what the assignment asks)' },
      { label: 'alternating' as SharpenMode, description: 'dis_net keeps learning, with reconstructions as "not clear"' },
    ],
    { title: 'Train Sharpened Autoencoder: dis_net' },
  );
  if (!mode) return undefined;
  const lambda = await vscode.window.showInputBox({
    title: 'Train Sharpened Autoencoder: λ, the weight of the dis_net loss',
    value: String(DEFAULT_RECIPES[mode.label].lambda),
    validateInput: (text) => (Number.isFinite(Number(text)) && Number(text) >= 0 && Number(text) <= 100 ? undefined : 'A number from 0 to 100'),
  });
  if (lambda === undefined) return undefined;
  const start = await vscode.window.showQuickPick(
    [
      { label: 'q2a', description: 'continue the matching Q2a run (trained first if missing)' },
      { label: 'scratch', description: 'start from a fresh initialisation' },
    ],
    { title: 'Train Sharpened Autoencoder: starting point' },
  );
  if (!start) return undefined;
  const epochs = await vscode.window.showInputBox({
    title: 'Train Sharpened Autoencoder: epochs of (b)',
    value: String(start.label === 'q2a' ? DEFAULT_SHARPEN_EPOCHS : DEFAULT_AUTOENCODER.epochs),
    validateInput: wholeNumber(1, 1000),
  });
  if (epochs === undefined) return undefined;
  return { latents, sharpen: { mode: mode.label, lambda: Number(lambda), fromScratch: start.label === 'scratch', epochs: Number(epochs) } };
}

/** Shows the engine's plan and asks to go ahead; nothing to train is said and not asked. */
export async function confirmPlan(plan: Plan, title: string): Promise<boolean> {
  const lines = describePlan(plan);
  if (!plan.steps.some((s) => s.action === 'train')) {
    void vscode.window.showInformationMessage(`Assignment 2: ${title}: everything is trained already. ${lines.at(-1)}`);
    return true;
  }
  const pick = await vscode.window.showInformationMessage(`Assignment 2: ${title}`, { modal: true, detail: lines.join('\n') }, 'Run');
  return pick === 'Run';
}
