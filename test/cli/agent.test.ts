import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { type CliRun, runCli } from '../cli-capture.js';
import { tempDir } from '../temp.js';
import { spawnCli } from '../study/helpers.js';
import { parseAgentConfig } from '../../src/objectives/bandit/learner/agent-config.js';
import { recipeFor } from '../../src/objectives/bandit/recipes.js';
import { num } from '../../src/core/format.js';

// `metatune agent ...` end to end through main(), with tiny runs (8-unit LSTM, batches of 4).
const tiny = ['--hidden', '8', '--batch', '4', '--eval-episodes', '4'];

const run = (args: readonly string[]) => runCli(['agent', ...args]);

const scratch = () => tempDir('metatune-agent-cli-');
const summaryIn = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { config: Record<string, unknown>; train_episodes: number; episodes_trained_total: number };

/** One line, exit 2, before training started (the header names the run), matching `says`. */
function refused(t: import('ava').ExecutionContext, result: CliRun, says: RegExp): void {
	t.is(result.code, 2, result.stderr);
	t.regex(result.stderr, says);
	t.is(result.stderr.trimEnd().split('\n').length, 1, result.stderr);
	t.false(result.stderr.includes('agent train:'), 'refused before training');
	t.is(result.stdout, '');
}

test.serial('agent train: a file, /sys or /proc as --out or --checkpoint is refused before training, nothing written', async (t) => {
	const dir = scratch();
	const file = join(dir, 'afile');
	writeFileSync(file, 'x');
	refused(t, await run(['train', '--episodes', '4', ...tiny, '--out', file]), /^metatune: --out: cannot use .*afile as an output folder \(it is a file\)/);
	refused(t, await run(['train', '--episodes', '4', ...tiny, '--checkpoint', join(dir, 'newck'), '--out', '/sys/metatune-x']), /^metatune: --out: cannot use \/sys\/metatune-x/);
	refused(t, await run(['train', '--episodes', '4', ...tiny, '--checkpoint', join(dir, 'a', 'b', 'ck'), '--out', join(file, 'sub')]), /^metatune: --out: .*afile is a file/);
	refused(t, await run(['train', '--episodes', '4', ...tiny, '--out', '/proc/metatune-x']), /^metatune: --out: cannot use \/proc\/metatune-x/);
	refused(t, await run(['train', '--episodes', '4', ...tiny, '--checkpoint', '/proc/metatune-x']), /^metatune: --checkpoint: cannot use \/proc\/metatune-x/);
	t.deepEqual(readdirSync(dir), ['afile'], 'no checkpoint or run folder left behind');
});

test.serial('agent train --checkpoint still refuses a folder holding a checkpoint, unless --from it', async (t) => {
	const ck = join(scratch(), 'ck');
	t.is((await run(['train', '--episodes', '4', ...tiny, '--checkpoint', ck])).code, 0);
	refused(t, await run(['train', '--episodes', '4', ...tiny, '--checkpoint', ck]), /--checkpoint .*ck: already holds a checkpoint; pass --from/);
	t.is((await run(['train', '--episodes', '4', '--eval-episodes', '4', '--from', ck, '--checkpoint', ck])).code, 0);
});

test.serial('agent train: --entropy alone is a constant; with --entropy-end or --entropy-anneal each flag overrides only its own part', async (t) => {
	const dir = scratch();
	// the base is the task's recipe's schedule
	const base = parseAgentConfig(recipeFor('eleven-armed').agent).entropy;
	const cases: [string[], object][] = [
		[['--entropy-anneal', '10'], { ...base, anneal_episodes: 10 }],
		[['--entropy', '0.5'], { start: 0.5, end: 0.5, anneal_episodes: 0 }],
		[['--entropy', '0.5', '--entropy-end', '0.1'], { start: 0.5, end: 0.1, anneal_episodes: base.anneal_episodes }],
		[['--entropy-end', '0.2'], { ...base, end: 0.2 }],
		[['--entropy', '0.05', '--entropy-anneal', '0'], { start: 0.05, end: base.end, anneal_episodes: 0 }],
	];
	for (const [i, [flags, entropy]] of cases.entries()) {
		const out = join(dir, `r${i}`);
		const result = await run(['train', '--task', 'eleven-armed', '--episodes', '20', ...tiny, ...flags, '--out', out]);
		t.is(result.code, 0, result.stderr);
		t.deepEqual(summaryIn(out).config.entropy, entropy, flags.join(' '));
		if (i === 0) t.false(result.stderr.includes('warning'), 'an anneal of 10 episodes ends within 20: no warning');
	}
	// With --from, the base is the checkpoint's schedule.
	const ck = join(dir, 'ck');
	t.is((await run(['train', '--episodes', '4', ...tiny, '--entropy-end', '0.3', '--checkpoint', ck])).code, 0);
	t.is((await run(['train', '--episodes', '4', '--eval-episodes', '4', '--from', ck, '--entropy-anneal', '50', '--out', join(dir, 'c')])).code, 0);
	const uniform = parseAgentConfig(recipeFor('dependent-uniform').agent).entropy;
	t.deepEqual(summaryIn(join(dir, 'c')).config.entropy, { start: uniform.start, end: 0.3, anneal_episodes: 50 });
});

test.serial('agent train --from takes the task and every setting not given from the checkpoint', async (t) => {
	const dir = scratch();
	const ck = join(dir, 'ck');
	t.is((await run(['train', '--task', 'eleven-armed', '--gamma', '0.5', '--fixed', '--episodes', '8', ...tiny, '--checkpoint', ck])).code, 0);
	// The help text's own example, on an eleven-armed checkpoint.
	const more = await run(['train', '--from', ck, '--checkpoint', ck, '--episodes', '8', '--eval-episodes', '4', '--out', join(dir, 'more')]);
	t.is(more.code, 0, more.stderr);
	const summary = summaryIn(join(dir, 'more'));
	t.like(summary.config, { task: 'eleven-armed', gamma: 0.5, fixed: true, hidden: 8, batch: 4 });
	t.is(summary.episodes_trained_total, 16);
	// The checkpoint's agent.json is accepted for --from too.
	t.is((await run(['train', '--from', join(ck, 'agent.json'), '--episodes', '4', '--eval-episodes', '4'])).code, 0);
	refused(t, await run(['train', '--from', ck, '--task', 'dependent-uniform', '--episodes', '4']), /^metatune: task: a checkpoint trained on eleven-armed cannot continue on dependent-uniform/);
});

test.serial('agent: an empty --checkpoint, --out or --from is an error before training', async (t) => {
	for (const flag of ['--checkpoint', '--out', '--from']) {
		refused(t, await run(['train', '--episodes', '4', ...tiny, flag, '']), new RegExp(`^metatune: ${flag}: needs a folder \\(got an empty value`));
		refused(t, await run(['train', '--episodes', '4', ...tiny, flag]), new RegExp(`^metatune: ${flag}: needs a folder`));
	}
	for (const command of ['eval', 'grad-stats']) refused(t, await run([command, '--checkpoint', '']), /^metatune: --checkpoint: needs a folder/);
});

test.serial('agent train: episodes must be a positive integer; rounding up to whole batches is said once and recorded', async (t) => {
	for (const episodes of ['0', '-4', '2.5']) refused(t, await run(['train', '--episodes', episodes, ...tiny]), /^metatune: --episodes: must be a positive integer/);
	const out = join(scratch(), 'r');
	const result = await run(['train', '--episodes', '10', ...tiny, '--out', out]);
	t.is(result.code, 0, result.stderr);
	t.regex(result.stderr, /agent train: dependent-uniform, 12 episodes \(10 rounded up to whole batches of 4\),/);
	t.is(result.stderr.split('rounded up').length, 2, 'said once');
	t.regex(result.stdout, /lifetime: 12 episodes/);
	t.is(summaryIn(out).train_episodes, 12);
	t.is(readFileSync(join(out, 'learning_curve.csv'), 'utf8').trim().split('\n').length, 1 + 3, 'three updates of 4');
	const exact = await run(['train', '--episodes', '8', ...tiny]);
	t.regex(exact.stderr, /dependent-uniform, 8 episodes, gamma/);
});

test.serial("agent eval and grad-stats accept the checkpoint's agent.json; another file is refused with a hint", async (t) => {
	const dir = scratch();
	const ck = join(dir, 'ck');
	t.is((await run(['train', '--episodes', '4', ...tiny, '--checkpoint', ck, '--out', join(dir, 'r')])).code, 0);
	const evaluated = await run(['eval', '--checkpoint', join(ck, 'agent.json'), '--episodes', '4']);
	t.is(evaluated.code, 0, evaluated.stderr);
	t.regex(evaluated.stdout, /^agent +4 /m);
	t.is((await run(['grad-stats', '--checkpoint', join(ck, 'agent.json')])).code, 0);
	refused(t, await run(['eval', '--checkpoint', join(dir, 'r', 'summary.json')]), /^metatune: checkpoint: .*summary\.json is a file, not a checkpoint folder; give the folder/);
	t.true(existsSync(join(ck, 'agent.json')));
});

test('agent train --help states the defaults the agent uses (lr, optimizer, gamma, batch, hidden, value-coef, grad-clip)', async (t) => {
	const help = await spawnCli(['agent', 'train', '--help']).done;
	t.is(help.code, 0, help.stderr);
	const text = help.stdout.replace(/\s+/g, ' ');
	const defaults = parseAgentConfig({});
	// recipe settings say so and then give the agent default
	const stated = (flag: string) => new RegExp(`--${flag}\\s(?:(?!\\s--)[^])*?\\(default(?:: the task's recipe, else)? ([^;)]+)[;)]`).exec(text)?.[1]?.trim();
	for (const flag of ['lr', 'gamma', 'hidden', 'episodes', 'entropy']) t.regex(text, new RegExp(`--${flag}\\s(?:(?!\\s--)[^])*?the task's recipe`), flag);
	t.is(stated('lr'), String(defaults.lr));
	t.is(stated('optimizer'), defaults.optimizer);
	t.is(stated('gamma'), String(defaults.gamma));
	t.is(stated('batch'), String(defaults.batch));
	t.is(stated('hidden'), String(defaults.hidden));
	t.is(stated('value-coef'), String(defaults.value_coef));
	t.is(stated('grad-clip'), String(defaults.grad_clip));
});

test('agent eval --task evaluates a checkpoint on another task of the same shape (transfer); another shape is one line, exit 2', async (t) => {
	const dir = scratch();
	const ckpt = join(dir, 'ckpt');
	const trained = await run(['train', '--task', 'dependent-uniform', '--episodes', '16', ...tiny, '--backend', 'cpu', '--out', dir, '--checkpoint', ckpt]);
	t.is(trained.code, 0, trained.stderr);
	const moved = await run(['eval', '--checkpoint', ckpt, '--task', 'dependent-hard', '--episodes', '8', '--backend', 'cpu']);
	t.is(moved.code, 0, moved.stderr);
	t.regex(moved.stderr, /dependent-hard \(trained on dependent-uniform\)/);
	t.regex(moved.stdout, /^agent\s+8\s/m);
	t.regex(moved.stdout, /^thompson \(uniform prior\)\s+8\s+[\d.]+/m);
	t.regex(moved.stdout, /^thompson \(task prior \{0\.4, 0\.6\}\)\s+8\s+[\d.]+/m);
	t.regex(moved.stdout, /^bayes-optimal \(exact DP\)\s+8\s+[\d.]+/m);
	t.regex(moved.stdout, /^oracle \(knows p1, p2\)\s+8\s+[\d.]+ ± [\d.]+\s+0\.00/m);
	t.regex(moved.stdout, /^bayes-optimal expected regret, exact by dynamic programming over the posterior: 2\.312$/m);
	const wrong = await run(['eval', '--checkpoint', ckpt, '--task', 'eleven-armed', '--episodes', '8', '--backend', 'cpu']);
	refused(t, wrong, /^metatune: --task: eleven-armed has 11 arms and 5 pulls, the agent was trained on dependent-uniform \(2 arms, 100 pulls\)/);
});

test("agent train --task T starts from the task's recipe; flags override it", async (t) => {
	const task = 'dependent-hard';
	const recipe = recipeFor(task);
	const config = parseAgentConfig({ ...recipe.agent, task });
	const plain = await run(['train', '--task', task, '--batch', '4', '--episodes', '4', '--eval-episodes', '4', '--backend', 'cpu']);
	t.is(plain.code, 0, plain.stderr);
	t.regex(plain.stderr, new RegExp(`${task}, 4 episodes, gamma ${num(config.gamma, 4)}, batch 4, adam lr ${num(config.lr, 4)}, hidden ${config.hidden}, .*the ${task} recipe with the flags given`));
	const overridden = await run(['train', '--task', task, '--batch', '4', '--episodes', '4', '--eval-episodes', '4', '--backend', 'cpu', '--lr', '0.0123', '--hidden', '8']);
	t.is(overridden.code, 0, overridden.stderr);
	t.regex(overridden.stderr, /lr 0\.0123, hidden 8, /);
	const byRecipe = await run(['train', '--task', 'eleven-armed', '--hidden', '8', '--batch', '4', '--eval-episodes', '4', '--backend', 'cpu', '--episodes', '1']);
	t.regex(byRecipe.stderr, /eleven-armed, 4 episodes \(1 rounded up/);
});
