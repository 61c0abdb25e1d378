/**
 * Builds the agent's optional native products (src/objectives/bandit/learner/native/agent-kernels.cc,
 * a Node-API addon) into dist/native/agent-kernels.node; a step of `npm run build`. Best effort, like
 * tfjs-node: without a C++ compiler, Node's headers or an x86-64 CPU it prints one line and exits 0,
 * and the agent runs its WebAssembly kernels (native-kernels.ts says which ran).
 *
 *   node src/bench/scripts/build-native.mjs        (CXX picks the compiler, default g++; the source
 *                                                   uses GCC's target pragma)
 *
 * Flags: -O3 -ffp-contract=off and no -ffast-math, so every multiply and add stays a separate,
 * rounded operation in the order of the source (the bits of the WebAssembly GEMM). AVX2 is enabled
 * for the kernel functions only (a target pragma in the source), so the addon loads on any x86-64
 * CPU and reports whether it may run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const source = join(root, 'src', 'objectives', 'bandit', 'learner', 'native', 'agent-kernels.cc');
const output = join(root, 'dist', 'native', 'agent-kernels.node');
const say = (line) => process.stdout.write(`build-native: ${line}\n`);

function build() {
	// an addon left by an earlier build must not outlive a build that is skipped or fails
	rmSync(output, { force: true });
	if (process.arch !== 'x64') return say(`skipped, ${process.arch} is not x86-64 (the agent runs its WebAssembly kernels)`);
	const includes = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
	const include = includes.find((dir) => existsSync(join(dir, 'node_api.h')));
	if (include === undefined) return say(`skipped, no node_api.h in ${includes.join(', ')} (install Node's headers, e.g. Debian's libnode-dev; the agent runs its WebAssembly kernels)`);
	const compiler = process.env.CXX || 'g++';
	mkdirSync(dirname(output), { recursive: true });
	const flags = ['-O3', '-ffp-contract=off', '-fno-fast-math', '-std=c++17', '-fPIC', '-shared', '-fvisibility=hidden', '-DNODE_GYP_MODULE_NAME=agent_kernels', `-I${include}`];
	if (process.platform === 'darwin') flags.push('-undefined', 'dynamic_lookup');
	const run = spawnSync(compiler, [...flags, source, '-o', output], { encoding: 'utf8' });
	if (run.error !== undefined) return say(`skipped, ${compiler} did not start (${run.error.message}; the agent runs its WebAssembly kernels)`);
	if (run.status !== 0) {
		const first = (run.stderr || '').split('\n').find((line) => line.includes('error')) ?? `exit ${run.status}`;
		return say(`skipped, ${compiler} failed: ${first.trim()} (the agent runs its WebAssembly kernels)`);
	}
	say(`built ${output}`);
}

build();
