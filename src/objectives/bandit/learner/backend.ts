/**
 * TensorFlow.js backend selection for the bandit agent.
 *
 *   auto   tfjs-node if `@tensorflow/tfjs-node` is installed and loads, else wasm (SIMD when the
 *          runtime has it), else cpu
 *   node   tfjs-node (native TensorFlow); BackendError when it is not installed or does not load
 *   wasm   @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD), one thread
 *   cpu    @tensorflow/tfjs-backend-cpu (plain JavaScript)
 *
 * `initBackend` is idempotent and works inside `node:worker_threads` workers (each worker has its own
 * tfjs engine and its own wasm instance). tfjs-node is an optional dependency, so it is loaded with a
 * dynamic import inside try/catch; its "install tfjs-node" console banner is silenced.
 */
import { registerCpuBackend, tf, tfWasm } from './tfjs.js';
import { BackendError } from '../../../core/errors.js';
import type { BackendChoice, BackendName } from './backend-choices.js';

/** tfjs registry names of our backends. */
const tfName: Record<BackendName, string> = { node: 'tensorflow', wasm: 'wasm', cpu: 'cpu' };

let nodeLoad: Promise<boolean> | undefined;
let configured = false;

function configureOnce(): void {
	if (configured) return;
	configured = true;
	// PROD skips debug checks and silences the "install tfjs-node" banner (we choose deliberately).
	tf.env().set('PROD', true);
	tfWasm.setThreadsCount(1);
}

function loadNode(): Promise<boolean> {
	nodeLoad ??= (async () => {
		try {
			const name = '@tensorflow/tfjs-node';
			await import(name);
			return tf.findBackendFactory(tfName.node) !== null;
		} catch {
			return false;
		}
	})();
	return nodeLoad;
}

async function trySet(name: BackendName): Promise<boolean> {
	if (name === 'node' && !(await loadNode())) return false;
	if (name === 'cpu') registerCpuBackend();
	try {
		return await tf.setBackend(tfName[name]);
	} catch {
		return false;
	}
}

/** The backend tfjs currently uses, or undefined when none of ours is active. */
export function currentBackend(): BackendName | undefined {
	const active = tf.getBackend();
	for (const name of ['node', 'wasm', 'cpu'] as const) if (tfName[name] === active) return name;
	return undefined;
}

/**
 * Make `choice` the active tfjs backend (see the table above) and return the one in use. Calling it
 * again with the same choice is cheap; `auto` keeps whatever backend of ours is already active.
 */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendName> {
	configureOnce();
	const active = currentBackend();
	if (choice === 'auto') {
		if (active !== undefined) return active;
		for (const name of ['node', 'wasm', 'cpu'] as const) if (await trySet(name)) return name;
		throw new BackendError('no TensorFlow.js backend could be initialised (tried node, wasm, cpu)', 'auto');
	}
	if (active === choice) return choice;
	if (await trySet(choice)) return choice;
	const hint = choice === 'node' ? '; install @tensorflow/tfjs-node or use --backend wasm' : '; use --backend auto';
	throw new BackendError(`backend '${choice}' is not available on this machine${hint}`, choice);
}
