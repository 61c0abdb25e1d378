import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import test from 'ava';
import { BackendError } from '../../../../src/core/errors.js';
import { backendChoices } from '../../../../src/objectives/bandit/learner/backend-choices.js';
import { currentBackend, initBackend } from '../../../../src/objectives/bandit/learner/backend.js';

test.serial('explicit backends initialise, are idempotent and run an op', async (t) => {
	t.deepEqual([...backendChoices], ['auto', 'node', 'wasm', 'cpu']);
	for (const name of ['cpu', 'wasm'] as const) {
		t.is(await initBackend(name), name);
		t.is(await initBackend(name), name);
		t.is(currentBackend(), name);
		t.deepEqual(Array.from(tf.tidy(() => tf.add(tf.tensor1d([1, 2]), tf.tensor1d([3, 4])).dataSync())), [4, 6]);
	}
	// auto keeps an active backend of ours
	t.is(await initBackend('auto'), 'wasm');
});

test.serial('an unavailable explicit backend throws BackendError', async (t) => {
	let node = false;
	try {
		await import('@tensorflow/tfjs-node' as string);
		node = true;
	} catch {}
	if (node) return t.pass('tfjs-node is installed here');
	const error = await t.throwsAsync(initBackend('node'), { instanceOf: BackendError });
	t.is(error?.backend, 'node');
	t.regex(error?.message ?? '', /not available/);
});

test('wasm initialises inside a worker thread and runs a matmul', async (t) => {
	const worker = new Worker(new URL('./fixtures/backend-worker.mjs', import.meta.url));
	const message = await new Promise<{ name?: string; value?: number; error?: string }>((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
	});
	await worker.terminate();
	t.is(message.error, undefined);
	t.is(message.name, 'wasm');
	t.is(message.value, 11);
});
