import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

interface Outcome {
  runId: string;
  runDir: string;
  status: string;
  summary: { kind: string; adamEscaped: boolean; gdEscaped: boolean; adamMaxEscapeHeight: number | null };
}

const workbenchTab = () =>
  vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('assignment2.workbench'));

suite('Q1 optimizer study', () => {
  test('Run Q1 Optimizer Study saves the study as a run and shows the workbench', async () => {
    const outcome = await vscode.commands.executeCommand<Outcome>('assignment2.runQ1Study');
    assert.equal(outcome?.status, 'completed');
    assert.equal(outcome.summary.kind, 'q1');
    assert.equal(outcome.summary.gdEscaped, false, 'GD is stuck at the default h = 0.5 > a = 0.3');
    assert.equal(outcome.summary.adamEscaped, false);
    const hStar = outcome.summary.adamMaxEscapeHeight!;
    assert.ok(hStar > 0.3 && hStar < 0.5, `Adam's largest escapable h ${hStar} lies between a and the default h`);

    const study = JSON.parse(fs.readFileSync(path.join(outcome.runDir, 'study.json'), 'utf8'));
    const answer = fs.readFileSync(path.join(outcome.runDir, 'answer.md'), 'utf8');
    assert.ok(answer.includes(study.answer.part1) && answer.includes(study.answer.part2), 'answer.md holds both written answers');
    assert.ok(workbenchTab(), 'the workbench is open');
  });

  test('parameters passed to the command are used, and a bad one is refused without a run', async () => {
    const runsDir = path.join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.assignment2', 'runs');
    const low = await vscode.commands.executeCommand<Outcome>('assignment2.runQ1Study', { landscape: { h: 0.3 } });
    assert.equal(low?.summary.adamEscaped, true, 'Adam escapes h = 0.3');
    const before = fs.readdirSync(runsDir).length;
    const refused = await vscode.commands.executeCommand('assignment2.runQ1Study', { optimizers: { beta1: 1.5 } });
    assert.equal(refused, undefined);
    assert.equal(fs.readdirSync(runsDir).length, before, 'no run folder for refused parameters');
  });
});
