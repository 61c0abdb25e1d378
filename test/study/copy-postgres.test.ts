/**
 * PostgreSQL storage on a real server started by the test (test/postgres-server.ts; skipped, saying
 * how to install it, when the binaries are missing): every committed study under results/ copied
 * file -> PostgreSQL -> file comes back byte for byte and `compare` prints the same table from the
 * database as from the file; `run --fresh --storage` keeps the old study under `<name>/archive/<time>`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { Study } from '../../src/study/study.js';
import { runCli } from '../cli-capture.js';
import { postgresForFile, storedRecords } from '../postgres-server.js';
import { fixtures, root, tempDir, writeStudy } from './helpers.js';

const { pgTest, url } = postgresForFile(test);

const committed = readdirSync(join(root, 'results'), { withFileTypes: true })
	.filter((d) => d.isDirectory())
	.map((d) => d.name)
	.sort();

pgTest(`storage copy round-trips the ${committed.length} committed studies byte for byte, and compare prints the same tables from PostgreSQL`, async (t) => {
	t.true(committed.length >= 5, committed.join(', '));
	const back = tempDir();
	const results = join(root, 'results');
	const sizes: string[] = [];
	for (const name of committed) {
		const original = readFileSync(join(results, name, 'journal.jsonl'));
		const there = await runCli(['storage', 'copy', name, '--from', results, '--to', url()]);
		t.is(there.code, 0, there.stderr);
		const again = await runCli(['storage', 'copy', name, '--from', url(), '--to', back]);
		t.is(again.code, 0, again.stderr);
		const copy = readFileSync(join(back, name, 'journal.jsonl'));
		t.true(copy.equals(original), `${name}: the journal copied back is byte-identical (${copy.length} vs ${original.length} bytes)`);
		const [fromFile, fromPg] = await Promise.all([runCli(['compare', name, '--results', results]), runCli(['compare', name, '--storage', url()])]);
		t.is(fromPg.code, 0, fromPg.stderr);
		t.true(fromFile.stdout.split('\n').length > 3, fromFile.stdout);
		t.is(fromPg.stdout, fromFile.stdout, `${name}: the same comparison table`);
		sizes.push(`${name} ${original.length} B, ${fromFile.stdout.trimEnd().split('\n').length} table lines`);
	}
	t.log(`identical after file -> PostgreSQL -> file, same compare table: ${sizes.join('; ')}`);
});

pgTest('run --fresh --storage keeps the old study under <name>/archive/<time>, and is refused while another process holds it', async (t) => {
	const dir = tempDir();
	const doc = {
		name: 'again',
		objective: { module: join(fixtures, 'objectives.js'), export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random', seed: 6 },
		budget: 3,
	};
	const file = writeStudy(dir, doc);
	const first = await runCli(['run', file, '--storage', url(), '--quiet']);
	t.is(first.code, 0, first.stderr);
	const before = await storedRecords(url(), 'again');
	const fresh = await runCli(['run', file, '--storage', url(), '--quiet', '--fresh']);
	t.is(fresh.code, 0, fresh.stderr);
	const moved = /moved the old journal to .* \(study (again\/archive\/[\w-]+)\); `metatune status (\S+) --storage postgresql:\/\/\S+` reads it/.exec(fresh.stderr);
	t.truthy(moved, fresh.stderr);
	const archived = (moved as RegExpExecArray)[1] as string;
	t.is((moved as RegExpExecArray)[2], archived);
	t.deepEqual(await storedRecords(url(), archived), before, 'the old records, untouched, under the archived name');
	const now = await storedRecords(url(), 'again');
	t.is(now.filter((r) => r.type === 'complete').length, 3, 'the study ran again from its first lifetime');
	t.not(now[0]?.at, before[0]?.at, 'a new study record');
	const status = await runCli(['status', archived, '--storage', url()]);
	t.is(status.code, 0, status.stderr);
	t.regex(status.stdout, new RegExp(`\\(study ${archived}\\)`));
	const holder = await Study.open(doc, { storage: url(), warn: () => undefined });
	try {
		const refused = await runCli(['run', file, '--storage', url(), '--quiet', '--fresh']);
		t.is(refused.code, 5, refused.stderr);
		t.regex(refused.stderr, /--fresh refused: the study is being run by pid \d+ on host /);
		t.is(refused.stderr.trimEnd().split('\n').length, 1, refused.stderr);
	} finally {
		holder.close();
	}
	t.deepEqual(await storedRecords(url(), 'again'), now, 'nothing archived while held');
});
