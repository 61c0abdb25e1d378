/**
 * The records of a study stored in PostgreSQL are checked as the journal file's are (check.ts,
 * state.ts): an edited row is a corrupted record that `run` refuses naming its seq (exit 3), and
 * status and compare warn in the same words and still show the rest.
 */
import { join } from 'node:path';
import test from 'ava';
import pg from 'pg';
import { runCli } from '../../cli-capture.js';
import { postgresForFile } from '../../postgres-server.js';
import { fixtures, tempDir, writeStudy } from '../helpers.js';

const module = join(fixtures, 'objectives.js');
const { pgTest, url } = postgresForFile(test);

/** Replace the record at `seq` of study `study` with `edit` of its text. */
async function editRow(study: string, type: string, edit: (text: string) => string): Promise<number> {
	const client = new pg.Client(url());
	await client.connect();
	try {
		const row = (
			await client.query<{ study: string; seq: string; text: string }>(
				"SELECT r.study, r.seq, r.record::text AS text FROM metatune_records r JOIN metatune_studies s ON s.id = r.study WHERE s.name = $1 AND r.record->>'type' = $2 AND r.record->>'trial' = '1'",
				[study, type],
			)
		).rows[0];
		if (row === undefined) throw new Error(`no ${type} record of trial 1`);
		await client.query('UPDATE metatune_records SET record = $3::json WHERE study = $1 AND seq = $2', [row.study, row.seq, edit(row.text)]);
		return Number(row.seq);
	} finally {
		await client.end();
	}
}

for (const [what, type, edit] of [
	['complete value "oops"', 'complete', (s: string) => s.replace(/"value":[0-9.e-]+/, '"value":"oops"')],
	['params outside the space', 'asked', (s: string) => s.replace(/"x":[0-9.e-]+/, '"x":7')],
] as const) {
	pgTest(`PostgreSQL, ${what}: run refuses naming the seq (exit 3); status and compare warn in the same words`, async (t) => {
		const dir = tempDir();
		const name = `pgcheck-${type}`;
		const file = writeStudy(dir, {
			name,
			objective: { module, export: 'quadratic' },
			space: { x: { type: 'float', low: 0, high: 1 } },
			searcher: { kind: 'grid', values: { x: [0.1, 0.5, 0.7] } },
			budget: 3,
		});
		const storage = ['--storage', url(), '--results', join(dir, 'unused')];
		t.is((await runCli(['run', file, ...storage, '--quiet'])).code, 0);
		const seq = await editRow(name, type, edit);
		const run = await runCli(['run', file, ...storage, '--quiet']);
		t.is(run.code, 3, run.stderr);
		t.is(run.stderr.trim().split('\n').length, 1, run.stderr);
		t.regex(run.stderr, new RegExp(`corrupted (record at seq ${seq}\\b|journal: the record at seq ${seq}\\b)`));
		const words = (run.stderr.replace(/^metatune: /, '').split(';')[0] as string).trim();
		for (const args of [['status', name], ['compare', name], ['list']]) {
			const read = await runCli([...args, ...storage]);
			t.is(read.code, 0, `${args[0]}: ${read.stderr}`);
			t.true(read.stderr.includes(words), `${args[0]} warns "${words}": ${read.stderr}`);
		}
	});
}
