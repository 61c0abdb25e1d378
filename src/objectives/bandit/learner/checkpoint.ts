/**
 * Agent checkpoints: one folder holding `agent.json` with the config, the flat parameter vector and the
 * optimiser state (Float32Arrays as little-endian base64), the episodes and updates trained so far.
 * Written to a temporary file and renamed, so a crash never leaves half a checkpoint. Readers take the
 * folder or the `agent.json` inside it; any other file is refused with a hint to give the folder.
 *
 * Loading may override settings (learning rate, entropy schedule, frozen parameters...) to continue
 * training differently; the network's shape (task arms, hidden, extra_inputs, number of reward
 * features) must stay the same, and changing the optimiser kind starts it afresh.
 */
import { statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { InputError, StateError } from '../../../core/errors.js';
import { ensureOutputDir } from '../../../core/output-dir.js';
import { Rng } from '../../../core/rng.js';
import { Agent } from './agent.js';
import { type AgentConfig, type AgentConfigInput, agentConfigSchema, parseAgentConfig } from './agent-config.js';
import { layoutOf } from './network.js';
import { rewardFeatureCount } from './reward-encoding.js';
import { newOptimizerState, optimizerKinds } from './optimizer.js';
import { armCount } from '../bandits/tasks.js';

export const CHECKPOINT_FILE = 'agent.json';
const FORMAT = 'metatune-agent-checkpoint';

const fileSchema = z.object({
	format: z.literal(FORMAT),
	version: z.literal(1),
	config: z.unknown(),
	episodes_trained: z.number().int().min(0),
	updates: z.number().int().min(0),
	theta: z.string(),
	optimizer: z.object({ kind: z.enum(optimizerKinds), step: z.number().int().min(0), m: z.string(), v: z.string() }),
	saved_at: z.string().optional(),
});

function encode(a: Float32Array): string {
	return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

function decode(text: string, length: number, path: string, what: string): Float32Array {
	const bytes = Buffer.from(text, 'base64');
	if (bytes.length !== length * 4) throw new StateError(`${path}: ${what} holds ${bytes.length / 4} values, the network needs ${length}`, path);
	const out = new Float32Array(length);
	new Uint8Array(out.buffer).set(bytes);
	return out;
}

export async function saveCheckpoint(dir: string, agent: Agent): Promise<string> {
	ensureOutputDir(dir, 'checkpoint');
	const path = join(dir, CHECKPOINT_FILE);
	const body = {
		format: FORMAT,
		version: 1,
		config: agent.config,
		episodes_trained: agent.episodesTrained,
		updates: agent.updates,
		theta: encode(agent.theta),
		optimizer: { kind: agent.optimizer.kind, step: agent.optimizer.step, m: encode(agent.optimizer.m), v: encode(agent.optimizer.v) },
		saved_at: new Date().toISOString(),
	};
	const tmp = `${path}.${process.pid}.tmp`;
	await writeFile(tmp, JSON.stringify(body));
	await rename(tmp, path);
	return path;
}

export interface LoadOptions {
	/** settings to change for further training (shape fields must match the checkpoint) */
	readonly overrides?: Partial<AgentConfigInput>;
	/** seed for anything the agent draws itself (unused by a loaded network; kept for symmetry) */
	readonly seed?: number;
}

export interface CheckpointContents {
	readonly config: AgentConfig;
	readonly data: z.infer<typeof fileSchema>;
	/** the agent.json read */
	readonly path: string;
}

/** The checkpoint folder meant by `given`: the folder itself, or the folder of its agent.json. */
function checkpointFolder(given: string): string {
	if (given.trim() === '') throw new InputError('checkpoint: needs a folder written by `agent train --checkpoint` (got an empty path)', undefined, 'checkpoint');
	let isFile = false;
	try {
		isFile = statSync(given).isFile();
	} catch {
		// missing or unreadable: readCheckpoint says so
	}
	if (!isFile) return given;
	if (basename(given) === CHECKPOINT_FILE) return dirname(given);
	throw new InputError(`checkpoint: ${given} is a file, not a checkpoint folder; give the folder written by \`agent train --checkpoint\` (or the ${CHECKPOINT_FILE} in it)`, undefined, 'checkpoint');
}

/** Read and validate a checkpoint (its folder or its agent.json) without making an Agent. */
export async function readCheckpoint(given: string): Promise<CheckpointContents> {
	const dir = checkpointFolder(given);
	const path = join(dir, CHECKPOINT_FILE);
	let text: string;
	try {
		text = await readFile(path, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why = code === 'ENOENT' || code === 'ENOTDIR' ? `${CHECKPOINT_FILE} missing` : `${CHECKPOINT_FILE} unreadable: ${code ?? String(error)}`;
		throw new InputError(`checkpoint: no agent checkpoint in ${dir} (${why}); give a folder written by \`agent train --checkpoint\``, undefined, 'checkpoint');
	}
	let json: unknown;
	try {
		json = JSON.parse(text);
	} catch {
		throw new StateError(`${path}: not valid JSON; the checkpoint is damaged`, path);
	}
	const parsed = fileSchema.safeParse(json);
	if (!parsed.success) throw new StateError(`${path}: not a metatune agent checkpoint (${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message})`, path);
	const config = agentConfigSchema.safeParse(parsed.data.config);
	if (!config.success) throw new StateError(`${path}: config.${config.error.issues[0]?.path.join('.')}: ${config.error.issues[0]?.message}`, path);
	return { config: config.data, data: parsed.data, path };
}

/**
 * The config a checkpoint trained with `saved` continues with under `overrides` (fields not
 * overridden keep their saved values); InputError when the network's shape would change.
 */
export function continuedConfig(saved: AgentConfig, overrides?: Partial<AgentConfigInput>): AgentConfig {
	const config = overrides ? parseAgentConfig({ ...saved, ...overrides }) : saved;
	for (const key of ['hidden', 'extra_inputs'] as const) {
		if (config[key] !== saved[key]) throw new InputError(`${key}: a checkpoint with ${key} ${saved[key]} cannot continue with ${config[key]}`, undefined, key);
	}
	if (rewardFeatureCount(config.reward_encoding) !== rewardFeatureCount(saved.reward_encoding))
		throw new InputError(
			`reward_encoding: a checkpoint with ${rewardFeatureCount(saved.reward_encoding)} reward features cannot continue with ${rewardFeatureCount(config.reward_encoding)}`,
			undefined,
			'reward_encoding',
		);
	if ((config.task === 'eleven-armed') !== (saved.task === 'eleven-armed'))
		throw new InputError(`task: a checkpoint trained on ${saved.task} cannot continue on ${config.task} (different number of arms)`, undefined, 'task');
	return config;
}

/** Make an Agent from checkpoint contents already read (call initBackend first; dispose it when done). */
export function agentFromCheckpoint(contents: CheckpointContents, options: LoadOptions = {}): Agent {
	const { config: saved, data, path } = contents;
	const config = continuedConfig(saved, options.overrides);
	const size = layoutOf({ arms: armCount(config.task), hidden: config.hidden, extra: config.extra_inputs, rewardFeatures: rewardFeatureCount(config.reward_encoding) }).size;
	const theta = decode(data.theta, size, path, 'theta');
	const optimizer =
		data.optimizer.kind === config.optimizer
			? { kind: data.optimizer.kind, step: data.optimizer.step, m: decode(data.optimizer.m, size, path, 'optimizer.m'), v: decode(data.optimizer.v, size, path, 'optimizer.v') }
			: newOptimizerState(config.optimizer, size);
	return new Agent(config, new Rng(options.seed ?? 0), { theta, optimizer, episodesTrained: data.episodes_trained, updates: data.updates });
}

/** Load a checkpoint (its folder or its agent.json) into a new Agent (call initBackend first; dispose the agent when done). */
export async function loadCheckpoint(given: string, options: LoadOptions = {}): Promise<Agent> {
	return agentFromCheckpoint(await readCheckpoint(given), options);
}
