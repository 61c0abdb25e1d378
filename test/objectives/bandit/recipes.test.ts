/**
 * Every task's recipe (recipes.ts) is a configuration its committed study tried: the recipe names
 * the study and trial, and the trial's params (through the objective's own trialSettings) give the
 * recipe's settings, rounded to three significant digits. The committed studies are complete, and
 * `metatune compare` prints their tables as results/README.md shows them.
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { parseAgentConfig } from '../../../src/objectives/bandit/learner/agent-config.js';
import { recipeFor } from '../../../src/objectives/bandit/recipes.js';
import { banditObjectiveSchema, trialSettings } from '../../../src/objectives/bandit/settings.js';
import { taskKinds } from '../../../src/objectives/bandit/bandits/tasks.js';
import { openStudyFile } from '../../../src/study/open.js';
import { runCli } from '../../cli-capture.js';
import { root } from '../../study/helpers.js';
import { tempDir } from '../../temp.js';

/** The first markdown table after the results/README.md paragraph that opens with `agent-<task>/`. */
function resultsTable(task: string): string[] {
	const lines = readFileSync(join(root, 'results', 'README.md'), 'utf8').split('\n');
	let i = lines.findIndex((l) => l.startsWith(`\`agent-${task}/\``));
	if (i < 0) return [];
	while (i < lines.length && !(lines[i] as string).startsWith('|')) i++;
	const table: string[] = [];
	while (i < lines.length && (lines[i] as string).startsWith('|')) table.push(lines[i++] as string);
	return table;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 0.005 * Math.max(Math.abs(a), Math.abs(b));

for (const task of taskKinds) {
	test(`${task}: the recipe is trial ${recipeFor(task).trial} of results/agent-${task}, which is complete and compares`, async (t) => {
		const recipe = recipeFor(task);
		const journal = join(root, 'results', `agent-${task}`, 'journal.jsonl');
		t.true(existsSync(journal), `${journal} is committed`);
		const records = readFileSync(journal, 'utf8')
			.split('\n')
			.filter((l) => l !== '')
			.map((l) => JSON.parse(l) as { type: string; trial?: number; params?: Record<string, unknown>; spec?: { objective: { settings: unknown } } });
		const spec = records.find((r) => r.type === 'study')?.spec;
		const asked = records.find((r) => r.type === 'asked' && r.trial === recipe.trial);
		t.truthy(asked?.params, `trial ${recipe.trial} is in the journal`);
		t.true(
			records.some((r) => r.type === 'complete' && r.trial === recipe.trial),
			'and completed',
		);
		const studied = trialSettings(banditObjectiveSchema.parse(spec?.objective.settings), asked?.params ?? {});
		const config = parseAgentConfig({ ...recipe.agent, task });
		t.is(recipe.trainEpisodes, studied.trainEpisodes);
		t.is(config.hidden, studied.config.hidden);
		for (const [name, a, b] of [
			['lr', config.lr, studied.config.lr],
			['gamma', config.gamma, studied.config.gamma],
			['entropy start', config.entropy.start, studied.config.entropy.start],
			['entropy end', config.entropy.end, studied.config.entropy.end],
			['entropy anneal', config.entropy.anneal_episodes, studied.config.entropy.anneal_episodes],
		] as const)
			t.true(close(a, b), `${name}: recipe ${a}, study ${b}`);

		const results = tempDir();
		cpSync(journal, join(results, `agent-${task}`, 'journal.jsonl'), { recursive: true });
		const study = await openStudyFile(join(root, 'studies', `agent-${task}.yaml`), { resultsDir: results, warn: () => undefined });
		t.is(await study.ask(), undefined, 'complete: nothing left to ask');
		study.close();
		const compared = await runCli(['compare', `agent-${task}`, '--results', join(root, 'results'), '--format', 'markdown']);
		t.is(compared.code, 0, compared.stderr);
		t.regex(compared.stdout, /^\| random /m);
		t.regex(compared.stdout, /^\| gp /m);
		t.deepEqual(
			compared.stdout.split('\n').filter((l) => l.startsWith('|')),
			resultsTable(task),
			'results/README.md shows the table line for line',
		);
	});
}
