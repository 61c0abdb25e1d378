/**
 * `metatune serve --storage postgresql://...`: a study written by `metatune run --storage` is
 * pushed to the pages through LISTEN/NOTIFY (the SSE client sees each record within the bound, with
 * the fallback poll set far above it, so a poll cannot be what delivered them); a database that
 * goes away is one warning line and a warning on the page, and the server picks the study up again
 * when it is back; a study that is not in the database is one line.
 */
import { join } from 'node:path';
import test from 'ava';
import { serve } from '../../src/serve/serve.js';
import type { StudyRow } from '../../src/serve/views.js';
import { postgresForFile } from '../postgres-server.js';
import { spawnCli, tempDir, waitFor } from '../study/helpers.js';
import { getJson, sseClient, writeServeStudy } from './helpers.js';

const { pgTest, url, server } = postgresForFile(test);

pgTest('records written to PostgreSQL are pushed to the page; the database going away and coming back is followed', async (t) => {
	const dir = tempDir('metatune-serve-pg-');
	const file = writeServeStudy(dir, 'pg-live', { budget: 2 });
	const first = await spawnCli(['run', file, '--storage', url(), '--quiet']).done;
	t.is(first.code, 0, first.stderr);
	const warnings: string[] = [];
	// no fallback poll within the test: only NOTIFY can bring the records
	const served = await serve({ studies: ['pg-live'], storage: url(), port: 0, warn: (m) => warnings.push(m), databasePollMs: 600_000 });
	t.teardown(() => served.close());
	const rows = async () => (await getJson<{ studies: StudyRow[] }>(`${served.url}api/studies`)).studies;
	t.is((await rows())[0]?.arms[0]?.ended, 2);
	const events = await sseClient(`${served.url}api/events`);
	t.teardown(() => events.close());
	writeServeStudy(dir, 'pg-live', { budget: 5 });
	const more = await spawnCli(['run', file, '--storage', url(), '--quiet'], { METATUNE_TEST_DELAY_MS: '100' }).done;
	t.is(more.code, 0, more.stderr);
	await waitFor(() => events.events.some((e) => e.event === 'study' && (e.data as StudyRow).arms[0]?.ended === 5), 5_000, 20);
	t.true(events.events.filter((e) => e.event === 'study').length >= 3, 'one event per change, not one at the end');
	const missing = await spawnCli(['serve', 'pg-nope', '--storage', url(), '--port', '0']).done;
	t.is(missing.code, 2);
	t.regex(missing.stderr.trim(), /^metatune: pg-nope: no study of that name in postgresql:\/\/metatune@127\.0\.0\.1:\d+\/postgres; run it with --storage first$/);
	server().halt();
	await waitFor(async () => (await rows())[0]?.warnings.some((w) => /the database is unreachable/.test(w)) === true, 15_000, 100);
	t.is(warnings.filter((w) => /unreachable/.test(w)).length, 1, 'one line on the terminal');
	t.is((await rows())[0]?.arms[0]?.ended, 5, 'what was read is still shown');
	server().resume();
	await waitFor(async () => (await rows())[0]?.warnings.length === 0, 20_000, 100);
	const again = await spawnCli(['run', join(dir, 'pg-live.yaml'), '--storage', url(), '--quiet', '--fresh']).done;
	t.is(again.code, 0, again.stderr);
	await waitFor(async () => (await rows())[0]?.warnings.some((w) => /started over/.test(w)) === true, 10_000, 50);
});
