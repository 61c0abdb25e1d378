/** thread-cpu.ts: per-thread CPU from /proc, and the helper threads' share that excludes the main thread. */
import test from 'ava';
import { helperThreadsMs, threadCpuMs } from '../../src/bench/thread-cpu.js';

const spin = (ms: number) => {
	const end = performance.now() + ms;
	let x = 0;
	while (performance.now() < end) x += Math.sqrt(x + 1);
	return x;
};

test('the main thread is one of the threads, its CPU grows with work it does, and helper threads exclude it', (t) => {
	const before = threadCpuMs();
	if (process.platform !== 'linux') {
		t.is(before, undefined);
		t.is(helperThreadsMs(before, threadCpuMs()), undefined);
		return;
	}
	const main = String(process.pid);
	t.true(before?.has(main));
	// spin until the main thread has had 500 ms of CPU (on a loaded machine that takes more wall), so
	// that what other threads of the process do meanwhile (compiling the test, GC) stays well below it
	const mainCpu = () => (threadCpuMs()?.get(main) ?? 0) - (before?.get(main) ?? 0);
	const deadline = performance.now() + 20_000;
	while (mainCpu() < 500 && performance.now() < deadline) spin(20);
	const after = threadCpuMs();
	const mainMs = (after?.get(main) ?? 0) - (before?.get(main) ?? 0);
	t.true(mainMs >= 500, `the main thread spun and got ${mainMs} ms of CPU`);
	const helpers = helperThreadsMs(before, after) as number;
	t.true(helpers >= 0 && helpers < mainMs, `helper threads ${helpers} ms while only the main thread worked`);
	t.is(helperThreadsMs(undefined, after), undefined);
});
