import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { InputError } from '../../../../src/core/errors.js';
import { Rng } from '../../../../src/core/rng.js';
import { Agent } from '../../../../src/objectives/bandit/learner/agent.js';
import { parseAgentConfig } from '../../../../src/objectives/bandit/learner/agent-config.js';
import { initBackend } from '../../../../src/objectives/bandit/learner/backend.js';
import { CHECKPOINT_FILE, continuedConfig, loadCheckpoint, readCheckpoint, saveCheckpoint } from '../../../../src/objectives/bandit/learner/checkpoint.js';
import { tempDir } from '../../../temp.js';

test.serial('a checkpoint is read from its folder or from its agent.json; any other file or an empty path is refused', async (t) => {
	await initBackend('cpu');
	const dir = tempDir('metatune-ckpt-');
	const agent = new Agent(parseAgentConfig({ task: 'eleven-armed', hidden: 8, batch: 4 }), new Rng(1));
	const ck = join(dir, 'ck');
	await saveCheckpoint(ck, agent);
	const fromFile = await loadCheckpoint(join(ck, CHECKPOINT_FILE));
	t.deepEqual(Array.from(fromFile.theta), Array.from(agent.theta));
	t.is((await readCheckpoint(join(ck, CHECKPOINT_FILE))).path, join(ck, CHECKPOINT_FILE));
	fromFile.dispose();
	agent.dispose();
	const other = join(dir, 'notes.txt');
	writeFileSync(other, 'x');
	const error = await t.throwsAsync(readCheckpoint(other), { instanceOf: InputError });
	t.regex(error?.message ?? '', /notes\.txt is a file, not a checkpoint folder; give the folder/);
	await t.throwsAsync(readCheckpoint(''), { instanceOf: InputError, message: /empty path/ });
});

test.serial('saveCheckpoint into a file or under /proc fails at once with an InputError', async (t) => {
	await initBackend('cpu');
	const dir = tempDir('metatune-ckpt-');
	const file = join(dir, 'afile');
	writeFileSync(file, 'x');
	const agent = new Agent(parseAgentConfig({ hidden: 8, batch: 4 }), new Rng(1));
	try {
		await t.throwsAsync(saveCheckpoint(file, agent), { instanceOf: InputError, message: /^checkpoint: cannot use .*afile as an output folder \(it is a file\)/ });
		await t.throwsAsync(saveCheckpoint('/proc/metatune-ckpt-x', agent), { instanceOf: InputError, message: /^checkpoint: cannot use \/proc\/metatune-ckpt-x/ });
	} finally {
		agent.dispose();
	}
});

test('continuedConfig keeps the saved settings not overridden and refuses a different number of arms', (t) => {
	const saved = parseAgentConfig({ task: 'eleven-armed', hidden: 8, gamma: 0.5, entropy: { start: 1, end: 0.2, anneal_episodes: 100 } });
	t.like(continuedConfig(saved, { lr: 0.001 }), { task: 'eleven-armed', hidden: 8, gamma: 0.5, lr: 0.001, entropy: { start: 1, end: 0.2, anneal_episodes: 100 } });
	t.throws(() => continuedConfig(saved, { task: 'dependent-uniform' }), { instanceOf: InputError, message: /different number of arms/ });
	t.throws(() => continuedConfig(saved, { hidden: 16 }), { instanceOf: InputError, message: /^hidden:/ });
});
