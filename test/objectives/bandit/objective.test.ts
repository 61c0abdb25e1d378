/** The built-in bandit study objective: plain lifetimes, and meta-gradient lifetimes for metagradient tuner arms. */
import test from 'ava';
import { metagradientConfigSchema, pbtConfigSchema } from '../../../src/tuners/config.js';
import { banditObjective } from '../../../src/objectives/bandit/objective.js';
import { banditObjectiveSchema, banditSettingsNotes, checkBanditSpace, checkBanditSpaceValues, trialSettings } from '../../../src/objectives/bandit/settings.js';

const settings = banditObjectiveSchema.parse({ task: 'dependent-easy', horizon: 10, hidden: 8, train_episodes: 64, eval_episodes: 16, backend: 'cpu', curve_points: 3 });
const context = { seed: 7, trial: 0, signal: new AbortController().signal };

test('a plain lifetime logs every figure and no discount trajectory', async (t) => {
	const r = await banditObjective(settings)({ gamma: 0.5 }, context);
	if (typeof r === 'number') return t.fail();
	t.false('value' in r, 'no value field repeating lifetime_return');
	t.true(typeof r.lifetime_return === 'number' && typeof r.agent_ms === 'number');
	t.is(r.wall_ms, undefined, 'the runner times the lifetime as wall_ms; the agent its own part as agent_ms');
	t.is(r.updates, 4);
	t.is((r.curve as number[]).length, 3);
	t.is(r.backend, 'cpu');
	t.is(r.final_gamma, undefined);
});

test('a metagradient tuner arm runs a meta-gradient lifetime from the start gamma and logs its trajectory', async (t) => {
	const tuning = metagradientConfigSchema.parse({ kind: 'metagradient', beta: 0.1, gamma_min: 0.2, gamma_max: 0.95 });
	const r = await banditObjective(settings)({ gamma: 0.5 }, { ...context, tuning });
	if (typeof r === 'number') return t.fail();
	t.is(r.gamma0, 0.5);
	const trajectory = r.gamma_trajectory as [number, number][];
	t.deepEqual(trajectory[0], [0, 0.5]);
	t.is(trajectory.at(-1)?.[0], 4);
	t.is(r.final_gamma, trajectory.at(-1)?.[1]);
	t.true((r.final_gamma as number) >= 0.2 && (r.final_gamma as number) <= 0.95);
	t.true(trajectory.length <= 3 + 1);
	// the same seed gives the same lifetime
	const again = await banditObjective(settings)({ gamma: 0.5 }, { ...context, tuning });
	if (typeof again === 'number') return t.fail();
	t.deepEqual(again, { ...r, agent_ms: again.agent_ms, steps_per_second: again.steps_per_second } as typeof again);
});

test('a note when the entropy schedule outlasts the lifetime, none otherwise', (t) => {
	const short = banditObjectiveSchema.parse({ task: 'eleven-armed', train_episodes: 5000 });
	const notes = banditSettingsNotes(short, 'studies/s.yaml');
	t.is(notes.length, 1);
	t.regex(notes[0] ?? '', /^studies\/s\.yaml: objective\.bandit\.entropy: anneals from 1 to 0\.01 over 15000 episodes but a lifetime trains 5000/);
	t.deepEqual(banditSettingsNotes(banditSchemaDefaults({ train_episodes: 30000 })), []);
	t.deepEqual(banditSettingsNotes(banditSchemaDefaults({ train_episodes: 4000, entropy: 0.05 })), []);
	t.deepEqual(banditSettingsNotes(banditSchemaDefaults({ train_episodes: 4000, entropy: { start: 0.5, end: 0.01, anneal_episodes: 2000 } })), []);
});

function banditSchemaDefaults(input: Record<string, unknown>) {
	return banditObjectiveSchema.parse({ task: 'eleven-armed', ...input });
}

test('a pbt tuner arm trains a population over the study space and logs the deployed settings', async (t) => {
	const tuning = pbtConfigSchema.parse({ kind: 'pbt', population: 2, interval: 2, start: { gamma: 0.9 } });
	const space = { gamma: { type: 'float', low: 0.3, high: 0.95 } } as const;
	const r = await banditObjective(settings)({ gamma: 0.9 }, { ...context, tuning, space });
	if (typeof r === 'number') return t.fail();
	t.is(r.members, 2);
	t.is(r.env_steps, (64 * 2 + 16) * 10, 'the whole population trains, the deployed member is evaluated');
	const final = r.final_params as Record<string, number>;
	const trajectory = (r.param_trajectory as Record<string, [number, number][]>).gamma ?? [];
	t.deepEqual(trajectory[0], [0, 0.9]);
	t.is(final.gamma, trajectory.at(-1)?.[1]);
	t.true((final.gamma as number) >= 0.3 && (final.gamma as number) <= 0.95);
	t.is(typeof r.population_return, 'number');
	t.true(Array.isArray(r.pbt_events));
});

test('a lifetime reports its mean return so far at 20 points inside training; told to stop, it ends there without evaluation', async (t) => {
	const long = banditObjectiveSchema.parse({ task: 'dependent-easy', horizon: 10, hidden: 8, batch: 4, train_episodes: 168, eval_episodes: 16, backend: 'cpu', curve_points: 3 });
	const steps: number[] = [];
	const values: number[] = [];
	const full = await banditObjective(long)(
		{ gamma: 0.5 },
		{
			...context,
			report: async (step, value) => {
				steps.push(step);
				values.push(Number(value));
				return false;
			},
		},
	);
	if (typeof full === 'number') return t.fail();
	t.deepEqual(
		steps,
		Array.from({ length: 20 }, (_, i) => (i + 1) * 8),
		'42 updates of 4 episodes: every 2nd update, never at the end',
	);
	t.true(values.every((v) => Number.isFinite(v) && v >= 0 && v <= 10));
	t.is(full.train_episodes, 168);
	const stopped = await banditObjective(long)({ gamma: 0.5 }, { ...context, report: async (step) => step >= 40 });
	if (typeof stopped === 'number') return t.fail();
	t.is(stopped.train_episodes, 40);
	t.is(stopped.lifetime_return, values[4], 'the value it stopped at is the one it reported there');
	t.is(stopped.env_steps, 40 * 10, 'training only: no evaluation episodes');
	t.true(Number.isFinite(stopped.final_return as number), 'final return estimated from the last updates');
});

test("a study may search the entropy schedule's parts and the lifetime's length", async (t) => {
	const base = banditObjectiveSchema.parse({ task: 'dependent-easy', entropy: { start: 1, end: 0.01, anneal_episodes: 15000 }, train_episodes: 30000 });
	const { config, trainEpisodes } = trialSettings(base, { entropy_start: 0.3, entropy_anneal: 5000, train_episodes: 10000, gamma: 0.8 });
	t.deepEqual(config.entropy, { start: 0.3, end: 0.01, anneal_episodes: 5000 });
	t.is(config.gamma, 0.8);
	t.is(trainEpisodes, 10000);
	t.is(trialSettings(base, {}).trainEpisodes, 30000);
	checkBanditSpace(['entropy_start', 'entropy_end', 'entropy_anneal', 'train_episodes', 'lr']);
	t.throws(() => checkBanditSpace(['entropy', 'entropy_start'], 's.yaml'), { message: /^s\.yaml: space\.entropy: searched beside entropy_start/ });
	t.throws(() => checkBanditSpaceValues({ entropy_anneal: { type: 'int', low: -5, high: 10 } }, base, 's.yaml'), { message: /^s\.yaml: space\.entropy_anneal\.low: -5 is not a valid entropy_anneal/ });
	t.throws(() => checkBanditSpaceValues({ train_episodes: { type: 'int', low: 0, high: 10 } }, base, 's.yaml'), { message: /^s\.yaml: space\.train_episodes\.low: 0 is not a valid train_episodes/ });
	const small = banditObjectiveSchema.parse({ task: 'dependent-easy', horizon: 10, hidden: 8, train_episodes: 64, eval_episodes: 16, backend: 'cpu', curve_points: 3 });
	const r = await banditObjective(small)({ train_episodes: 8, entropy_start: 0.5 }, context);
	if (typeof r === 'number') return t.fail();
	t.is(r.updates, 1, '8 episodes of batch 16: one update');
});
