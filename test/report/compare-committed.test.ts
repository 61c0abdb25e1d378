/**
 * Format compatibility of the committed studies (as Optuna's journal log-compatibility tests): the
 * journals under results/ replayed by this code give, line for line, the comparison tables the docs
 * show for them (the page of each study below). A change in how any record is read (a value, a
 * status, a seed, a wall time) changes a cell and fails here; so does a table edited away from what
 * the journal holds.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { runCli } from '../cli-capture.js';
import { root } from '../study/helpers.js';

/** Each committed study and the docs page that shows its table. */
const committed: Record<string, string> = {
	'discount-comparison': 'docs/research/signature-study.md',
	'discount-two-armed': 'docs/research/signature-study.md',
	'online-two-armed': 'docs/research/online-from-0.99.md',
	'online-two-armed-from-0.3': 'docs/research/online-from-0.99.md',
	'online-eleven-armed': 'docs/research/online-from-0.99.md',
	'online-two-armed-pbt-start': 'docs/research/online-from-0.99.md',
	'pruning-eleven-armed': 'docs/pruning.md',
	'pruning-eleven-armed-seed1': 'docs/pruning.md',
	'pruning-eleven-armed-seed2': 'docs/pruning.md',
	'pruning-gp-choice': 'docs/pruning.md',
	'conditional-optimizer': 'docs/searchers.md',
	'return-vs-steps': 'docs/multi-objective.md',
};

const page = (path: string) => readFileSync(join(root, path), 'utf8');

/** The first markdown table after the paragraph that opens with `studies/<name>.yaml`, by line. */
function pageTable(text: string, path: string, name: string): string[] {
	const lines = text.split('\n');
	const mention = lines.findIndex((l) => l.startsWith(`\`studies/${name}.yaml\``));
	if (mention < 0) throw new Error(`${path}: no paragraph opening with \`studies/${name}.yaml\``);
	let i = mention + 1;
	while (i < lines.length && !(lines[i] as string).startsWith('|')) {
		if ((lines[i] as string).startsWith('#')) throw new Error(`${path}: no table after the mention of ${name} (line ${mention + 1}) before the next heading`);
		i++;
	}
	const table: string[] = [];
	while (i < lines.length && (lines[i] as string).startsWith('|')) table.push(lines[i++] as string);
	return table;
}

for (const [name, path] of Object.entries(committed)) {
	test(`results/${name}/journal.jsonl replays to the table of ${path}, line for line`, async (t) => {
		t.true(existsSync(join(root, 'results', name, 'journal.jsonl')), 'the committed journal is there');
		const expected = pageTable(page(path), path, name);
		t.true(expected.length >= 3, `${path}: the table of ${name} has a header, a rule and rows`);
		const ran = await runCli(['compare', name, '--results', join(root, 'results'), '--format', 'markdown']);
		t.is(ran.code, 0, ran.stderr);
		t.is(ran.stderr, '', 'no warnings while replaying');
		const lines = ran.stdout.replace(/\n$/, '').split('\n');
		t.deepEqual(
			lines.filter((l) => l.startsWith('|')),
			expected,
		);
		// the notes under a table (a tuner arm's own reward) stand on the page too
		const text = page(path);
		for (const note of lines.filter((l) => l !== '' && !l.startsWith('|'))) t.true(text.includes(`\n${note}\n`), `${path} has the note: ${note}`);
	});
}

test('the signature study page says what the committed journal shows of the meta-gradient arm: compute ratios and overlapping intervals', async (t) => {
	const ran = await runCli(['compare', 'discount-comparison', '--results', join(root, 'results'), '--format', 'json']);
	t.is(ran.code, 0, ran.stderr);
	const rows = JSON.parse(ran.stdout) as { arm: string; env_steps: number; wall_ms: number; reward: { mean: number; low: number; high: number } }[];
	const arm = (name: string) => rows.find((r) => r.arm === name) as (typeof rows)[number];
	const meta = arm('metagradient-from-0.3');
	const search = ['grid', 'random', 'gp'].map(arm);
	const stepsRatio = meta.env_steps / (search[0]?.env_steps ?? 1);
	const wallRatios = search.map((s) => meta.wall_ms / s.wall_ms);
	const readme = page('docs/research/signature-study.md').replace(/\s+/g, ' ');
	const claim = /Meta-gradient tuning from 0\.3 rises[\s\S]*?wall time[^.]*\./.exec(readme)?.[0] ?? '';
	t.true(claim.length > 0, 'docs/research/signature-study.md has the meta-gradient paragraph');
	const fractions: Record<string, number> = { half: 1 / 2, third: 1 / 3, quarter: 1 / 4, fifth: 1 / 5 };
	const stepsWord = /a (half|third|quarter|fifth) of the environment steps/.exec(claim)?.[1];
	t.truthy(stepsWord, claim);
	t.true(Math.abs((fractions[stepsWord ?? ''] ?? 0) - stepsRatio) < 1e-9, `env steps ratio ${stepsRatio}`);
	const wall = Number(/about ([\d.]+) of its summed wall time/.exec(claim)?.[1]);
	t.true(
		wallRatios.every((r) => Math.abs(r - wall) <= 0.03),
		`wall ratios ${wallRatios.join(', ')} vs the page's ${wall}`,
	);
	const best = [...rows].sort((a, b) => b.reward.mean - a.reward.mean)[0];
	t.is(best?.arm, 'metagradient-from-0.3');
	const overlapping = search.filter((s) => s.reward.high >= meta.reward.low && s.reward.low <= meta.reward.high).map((s) => s.arm);
	for (const name of overlapping) t.regex(claim, new RegExp(`\\b${name}'s\\b`), `the page says the interval overlaps ${name}'s`);
	t.regex(claim, /overlaps/);
});

test('docs/pruning.md says what the committed pruning study shows: ASHA within the interval of random at <= 40% of its env steps', async (t) => {
	const ran = await runCli(['compare', 'pruning-eleven-armed', '--results', join(root, 'results'), '--format', 'json']);
	t.is(ran.code, 0, ran.stderr);
	const rows = JSON.parse(ran.stdout) as { arm: string; env_steps: number; wall_ms: number; pruned: number; reward: { mean: number; low: number; high: number } }[];
	const arm = (name: string) => rows.find((r) => r.arm === name) as (typeof rows)[number];
	const [plain, asha, gp] = [arm('random'), arm('random-asha'), arm('gp-asha')];
	t.is(plain.pruned, 0);
	t.true(asha.pruned > 0 && gp.pruned > 0);
	t.true(asha.reward.mean >= plain.reward.low && asha.reward.mean <= plain.reward.high, 'random + asha within the interval of random');
	const ratio = asha.env_steps / plain.env_steps;
	t.true(ratio <= 0.4, `env steps ratio ${ratio}`);
	const text = page('docs/pruning.md').replace(/\s+/g, ' ');
	t.true(text.includes(`at ${Math.round(ratio * 100)}% of its environment steps`), `docs/pruning.md states the ratio ${Math.round(ratio * 100)}%`);
	t.true(text.includes(`at ${Math.round((gp.env_steps / plain.env_steps) * 100)}% of the steps`), 'docs/pruning.md states the gp + asha ratio');
});
