#!/usr/bin/env node
/**
 * A2C updates of the default agent on the wasm kernels, for counting instructions with callgrind
 * or cache misses with cachegrind: a count does not depend on what else runs on the machine, where
 * CPU time does. Runs WARMUP updates (default 2) and then N, of TASK (default dependent-uniform; the
 * quick start's is eleven-armed), from the built dist/ of a checkout (ROOT, default this one), so
 * that two builds can be compared; the instructions of one update are the difference between two
 * counts over N1 and N2 updates, divided by N2 - N1 (start-up and compilation cancel out; --no-liftoff
 * compiles the kernels with TurboFan at once, so their tier-up does not fall between the two, and
 * --single-threaded keeps V8's compiler and collector on the main thread: repeated counts then
 * agree within ~0.2%, unless a full collection falls in one window and not the other).
 *
 *   npm run build
 *   for n in 1 11; do valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file=/dev/null \
 *     node --single-threaded --no-liftoff src/bench/scripts/agent-instructions.mjs $n 64 [ROOT] 2>&1 | grep refs; done
 *   # last-level misses with a 4 MiB LL (half the L3 a lane has beside another), per function:
 *   valgrind --tool=cachegrind --cache-sim=yes --LL=4194304,16,64 --smc-check=all-non-file --cachegrind-out-file=cg.$n \
 *     node --single-threaded --no-liftoff src/bench/scripts/agent-instructions.mjs $n 16 . [TASK] [WARMUP]
 *   cg_diff cg.2 cg.22 > cg.diff && cg_annotate --sort=DLmr,DLmw cg.diff
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const updates = Number(process.argv[2] ?? 3);
const batch = Number(process.argv[3] ?? 64);
const root = resolve(process.argv[4] ?? join(dirname(fileURLToPath(import.meta.url)), '../../..'));
const task = process.argv[5] ?? 'dependent-uniform';
const warmup = Number(process.argv[6] ?? 2);
const load = (path) => import(join(root, 'dist/src', path));
const { Rng } = await load('core/rng.js');
const { BanditBatch } = await load('objectives/bandit/bandits/tasks.js');
const { Agent } = await load('objectives/bandit/learner/agent.js');
const { parseAgentConfig } = await load('objectives/bandit/learner/agent-config.js');
const { initBackend } = await load('objectives/bandit/learner/backend.js');

await initBackend('wasm');
const config = parseAgentConfig({ task, batch, hidden: 48, optimizer: 'adam' });
const rng = new Rng(0);
const agent = new Agent(config, rng);
const env = new BanditBatch({ kind: task, batch, horizon: agent.horizon }, rng.split('bandits'));
const actions = rng.split('actions');
for (let i = 0; i < warmup + updates; i++) agent.train(env, actions);
process.stdout.write(`${updates} updates of ${task} at batch ${batch} after ${warmup} (${root})\n`);
agent.dispose();
