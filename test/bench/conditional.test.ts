/**
 * Conditional test functions from a module (`bench searchers --module`): their `when` is normalised
 * and checked as in study files, every searcher evaluates them with only the active params, and the
 * committed conditional5 module runs.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import test from 'ava';
import { activeParams } from '../../src/core/conditions.js';
import { runOnce } from '../../src/bench/bench.js';
import { loadFunctionsModule } from '../../src/bench/module.js';
import { tempDir } from '../temp.js';

const module = resolve(import.meta.dirname, '../../src/bench/scripts/conditional-function.mjs');

test('conditional5: conditions as lists; each searcher evaluates active params only', async (t) => {
	const [fn] = await loadFunctionsModule(module);
	if (fn === undefined) return t.fail();
	t.deepEqual(fn.space.z?.when, { branch: ['b'] });
	for (const kind of ['random', 'grid', 'gp'] as const) {
		const seen: Record<string, unknown>[] = [];
		const evaluate = (p: Record<string, unknown>): number => {
			seen.push(p);
			return fn.evaluate(p as never);
		};
		const result = runOnce({ ...fn, evaluate }, kind, 0, 12);
		t.is(result.evaluations, 12);
		for (const p of seen) t.deepEqual(Object.keys(p).sort(), Object.keys(activeParams(fn.space, p as never)).sort(), `${kind}: ${JSON.stringify(p)}`);
		t.true(Number.isFinite(result.regret));
	}
});

test('a module whose condition names a missing param is refused naming it', async (t) => {
	const file = join(tempDir(), 'bad.mjs');
	writeFileSync(
		file,
		"export default [{name: 'f', space: {c: {type: 'categorical', choices: ['a']}, x: {type: 'float', low: 0, high: 1, when: {cc: 'a'}}}, evaluate: (p) => p.x ?? 0, minimum: 0}];\n",
	);
	await t.throwsAsync(loadFunctionsModule(file), { message: /default export\[0\.space\.x\.when\.cc\]: no param cc in the space; did you mean c\?/ });
});
