/**
 * The two hand-copied tables of docs/research/recipes.md held against the code that measures them:
 * the `bench agent-tasks` table (18 rows) and the transfer table (trained on dependent-uniform, seed 1,
 * evaluated on five tasks). Every baseline cell (Thompson with either prior, UCB1, random, the exact
 * Bayes-optimal regret) is recomputed for every row: they need no training and are deterministic in
 * the seed. The agent's cells need a lifetime each (~2 min of one core for all 18 rows): every row is
 * measured again with `bench agent-tasks`, and the dependent-uniform seed 1 lifetime, which is also
 * the transfer table's agent, is trained and evaluated on all five tasks with `agent eval` as the
 * page says.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { type EvaluationRow, evaluationTable } from '../../src/cli/agent-eval.js';
import { fixed } from '../../src/core/format.js';
import { Rng } from '../../src/core/rng.js';
import { bayesOptimalRegret } from '../../src/objectives/bandit/bandits/bayes-optimal.js';
import { defaultHorizon, type TaskKind } from '../../src/objectives/bandit/bandits/tasks.js';
import { parseAgentConfig } from '../../src/objectives/bandit/learner/agent-config.js';
import { recipeFor } from '../../src/objectives/bandit/recipes.js';
import { runCli } from '../cli-capture.js';
import { tempDir } from '../temp.js';

const page = readFileSync(join(import.meta.dirname, '../../docs/research/recipes.md'), 'utf8');
const EVAL_EPISODES = 2000;

/** The fixed-width table in the page's ```text block: cells cut at the columns of its dashes line. */
function agentTasksTable(): Record<string, string>[] {
	const block = /```text\n([\s\S]*?)```/.exec(page)?.[1];
	if (block === undefined) throw new Error('docs/research/recipes.md: no ```text block with the agent-tasks table');
	const [head, dashes, ...body] = block.split('\n');
	const spans: [number, number][] = [];
	for (const m of dashes!.matchAll(/-+/g)) spans.push([m.index, m.index + m[0].length]);
	const cells = (line: string) => spans.map(([a, b], i) => line.slice(i === 0 ? a : spans[i - 1]![1], b).trim());
	const names = cells(head!);
	return body.filter((l) => /^[a-z]/.test(l) && !l.startsWith('goal')).map((l) => Object.fromEntries(cells(l).map((c, i) => [names[i]!, c])));
}

const baselines = (task: TaskKind, seed: number): EvaluationRow[] => evaluationTable({ config: parseAgentConfig({ ...recipeFor(task).agent, task }), episodes: EVAL_EPISODES, streams: new Rng(seed) });
const regret = (rows: readonly EvaluationRow[], kind: EvaluationRow['kind']) => rows.find((r) => r.kind === kind)?.regret.mean;
const opt = (x: number | undefined) => (x === undefined ? '' : fixed(x, 2));

test('agent-tasks table: every baseline cell of the 18 rows is what the code computes on that seed', (t) => {
	const rows = agentTasksTable();
	t.is(rows.length, 18);
	for (const row of rows) {
		const task = row.task as TaskKind;
		const b = baselines(task, Number(row.seed));
		const where = `${task} seed ${row.seed}`;
		t.is(row['thompson (uniform)'], fixed(regret(b, 'thompson')!, 2), where);
		t.is(row['thompson (task prior)'], opt(regret(b, 'thompson-prior')), where);
		t.is(row['bayes-optimal (exact)'], opt(bayesOptimalRegret(task, defaultHorizon(task))), where);
		t.is(row.ucb1, fixed(regret(b, 'ucb1')!, 2), where);
		t.is(row.random, fixed(regret(b, 'random')!, 2), where);
		// training runs whole batches, so the recipe's episodes round up to a multiple of the batch
		const batch = parseAgentConfig({ ...recipeFor(task).agent, task }).batch;
		t.is(row.episodes, String(Math.ceil(recipeFor(task).trainEpisodes / batch) * batch), where);
	}
});

/** Run `bench agent-tasks` on `tasks`, seeds 1-3, and compare every agent cell of their rows. */
async function agentCellsMatch(t: ExecutionContext, tasks: readonly string[]): Promise<void> {
	const r = await runCli(['bench', 'agent-tasks', '--tasks', tasks.join(','), '--seeds', '1,2,3', '--json']);
	t.is(r.code, 0, r.stderr);
	const measured = JSON.parse(r.stdout) as { task: string; seed: number; episodes: number; agentRegret: number; ratio: number; agentReturn: number; met: boolean }[];
	const rows = agentTasksTable().filter((row) => tasks.includes(row.task!));
	t.is(rows.length, 3 * tasks.length);
	t.is(measured.length, rows.length);
	for (const row of rows) {
		const m = measured.find((x) => x.task === row.task && String(x.seed) === row.seed);
		t.truthy(m, `${row.task} seed ${row.seed} was not measured`);
		if (m === undefined) continue;
		t.deepEqual(
			[row.seed, row.episodes, row['agent regret'], row.ratio, row['agent return'], row['goal met']],
			[String(m.seed), String(m.episodes), fixed(m.agentRegret, 2), fixed(m.ratio, 2), fixed(m.agentReturn, 2), m.met ? 'yes' : 'no'],
			`${row.task} seed ${row.seed}`,
		);
	}
}

test.serial('agent-tasks table: the eleven-armed rows are what `bench agent-tasks` measures', async (t) => {
	await agentCellsMatch(t, ['eleven-armed']);
});

// 15 lifetimes of the two-armed recipes: about 2 minutes of one core on a quiet machine
test.serial('agent-tasks table: the two-armed rows are what `bench agent-tasks` measures', async (t) => {
	t.timeout(20 * 60_000);
	await agentCellsMatch(t, ['independent', 'dependent-uniform', 'dependent-easy', 'dependent-medium', 'dependent-hard']);
});

/** `agent eval` output: policy label -> [mean return, regret] cells ("1.46 ± 0.11"). */
function evalCells(stdout: string): Map<string, string> {
	const lines = stdout.split('\n');
	const start = lines.findIndex((l) => l.startsWith('policy'));
	const cells = new Map<string, string>();
	for (const line of lines.slice(start + 2)) {
		const parts = line.split(/ {2,}/);
		if (parts.length < 4) break;
		cells.set(parts[0]!, parts[3]!);
	}
	return cells;
}

/** The transfer table's rows: first cell -> the other cells. */
function transferTable(): Map<string, string[]> {
	const at = page.indexOf('| evaluated on |');
	const lines = page.slice(at).split('\n');
	const rows = new Map<string, string[]>();
	for (const line of lines.slice(2)) {
		if (!line.startsWith('|')) break;
		const cells = line
			.split('|')
			.slice(1, -1)
			.map((c) => c.trim());
		rows.set(cells[0]!, cells.slice(1));
	}
	return rows;
}

const transferTasks: readonly [string, TaskKind][] = [
	['dependent-uniform (trained)', 'dependent-uniform'],
	['dependent-easy {0.1, 0.9}', 'dependent-easy'],
	['dependent-medium {0.25, 0.75}', 'dependent-medium'],
	['dependent-hard {0.4, 0.6}', 'dependent-hard'],
	['independent', 'independent'],
];

test.serial('transfer table and the dependent-uniform seed 1 row: agent train, then agent eval on each task, as the page says', async (t) => {
	const dir = tempDir('metatune-recipes-tables-');
	const ckpt = join(dir, 'ckpt');
	const out = join(dir, 'out');
	const train = await runCli(['agent', 'train', '--task', 'dependent-uniform', '--seed', '1', '--checkpoint', ckpt, '--out', out]);
	t.is(train.code, 0, train.stderr);
	const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { final_regret: number; final_return: number };
	const row = agentTasksTable().find((r) => r.task === 'dependent-uniform' && r.seed === '1')!;
	const thompson = regret(baselines('dependent-uniform', 1), 'thompson')!;
	t.deepEqual([row['agent regret'], row.ratio, row['agent return']], [fixed(summary.final_regret, 2), fixed(summary.final_regret / thompson, 2), fixed(summary.final_return, 2)]);

	const table = transferTable();
	t.is(table.size, transferTasks.length);
	for (const [label, task] of transferTasks) {
		const r = await runCli(['agent', 'eval', '--checkpoint', ckpt, '--task', task]);
		t.is(r.code, 0, r.stderr);
		const cells = evalCells(r.stdout);
		const find = (prefix: string) => [...cells.entries()].find(([k]) => k.startsWith(prefix))?.[1];
		const exact = fixed(bayesOptimalRegret(task, defaultHorizon(task))!, 3);
		const bayes = find('bayes-optimal');
		const prior = find('thompson (task prior');
		const expected = [find('agent'), bayes === undefined ? `(${exact})` : `${bayes} (${exact})`, prior ?? '(the uniform prior)', find('thompson (uniform prior'), find('ucb1'), find('random')];
		t.deepEqual(table.get(label), expected, label);
	}
});
