import test from 'ava';
import { main } from '../src/cli.js';

async function stderrOf(args: string[]): Promise<{ code: number; stderr: string }> {
	const write = process.stderr.write.bind(process.stderr);
	let stderr = '';
	process.stderr.write = ((chunk: string | Uint8Array) => {
		stderr += chunk.toString();
		return true;
	}) as typeof process.stderr.write;
	try {
		return { code: await main(args), stderr };
	} finally {
		process.stderr.write = write;
	}
}

test.serial('a numeric flag given as text is echoed as typed, not as NaN', async (t) => {
	for (const args of [['run', 'studies/quickstart.yaml', '--concurrency', 'abc'], ['bench', 'runner', '--trials=x']]) {
		const { code, stderr } = await stderrOf(args);
		t.is(code, 2);
		t.false(stderr.includes('NaN'), stderr);
		t.regex(stderr, /\(got '(abc|x)'\)/);
	}
});

test.serial('a usage error points at the help of the command that was meant', async (t) => {
	const run = await stderrOf(['run']);
	t.is(run.code, 2);
	t.regex(run.stderr, /Run `metatune run --help` for usage\./);
	const bench = await stderrOf(['bench', 'metagradient', '--no-such-flag']);
	t.is(bench.code, 2);
	t.regex(bench.stderr, /Run `metatune bench metagradient --help` for usage\./);
	const top = await stderrOf(['frobnicate']);
	t.is(top.code, 2);
	t.regex(top.stderr, /Run `metatune --help` for usage\./);
});
