/**
 * pbt on a command objective with PostgreSQL storage: two `metatune run` processes on one study in
 * the database (checkpoints in the results folder they share) record the same population history
 * as one process on the file journal, and the checkpoints left are the members' last.
 */
import { join } from 'node:path';
import test from 'ava';
import { postgresForFile, storedRecords } from '../../postgres-server.js';
import { spawnCli, tempDir } from '../helpers.js';
import { folders, history, populationStudy } from './population-helpers.js';
import { writeFileSync } from 'node:fs';

const { pgTest, url } = postgresForFile(test);

pgTest('two processes on PostgreSQL give the file journal run population history', async (t) => {
	const dir = tempDir();
	const file = populationStudy(dir, 'pg-pop', {}, { PBT_DELAY: '0.01' });
	const results = join(dir, 'results');
	const env = { METATUNE_STORAGE: url() };
	const runs = await Promise.all([0, 1].map(() => spawnCli(['run', file, '--results', results, '--quiet'], env).done));
	for (const r of runs) t.is(r.code, 0, r.stderr);
	// the database's records, as a journal file, against a run on the file journal
	const records = await storedRecords(url(), 'pg-pop');
	const fromDb = join(dir, 'from-db.jsonl');
	writeFileSync(fromDb, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
	const clean = await spawnCli(['run', file, '--results', join(dir, 'clean'), '--quiet'], { METATUNE_STORAGE: undefined }).done;
	t.is(clean.code, 0, clean.stderr);
	const h = history(fromDb);
	t.is(Object.keys(h).length, 12);
	t.deepEqual(h, history(join(dir, 'clean', 'pg-pop', 'journal.jsonl')));
	t.is(folders(join(results, 'pg-pop')).length, 4);
});
