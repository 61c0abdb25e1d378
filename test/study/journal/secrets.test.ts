/**
 * Storage secrets: a malformed or unreachable URL never prints its password (in the user part, with
 * a `/` in it, or as `?password=`); the password may come from PGPASSWORD or a password file
 * (~/.pgpass, or PGPASSFILE) as libpq users expect, quietly; `--storage` with a password in it warns
 * that `ps` shows it; command objectives get neither METATUNE_STORAGE nor a PGPASSWORD metatune used.
 * The server is real (test/postgres-server.ts), with a role `mt` that must give its password.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import pg from 'pg';
import { urlLabel } from '../../../src/study/journal/postgres.js';
import { runCli } from '../../cli-capture.js';
import { postgresForFile, storedRecords } from '../../postgres-server.js';
import { fixtures, spawnCli, tempDir, writeStudy } from '../helpers.js';

const { pgTest, url } = postgresForFile(test);
const password = 'S3CRET/p?w@d:1';

test('urlLabel leaves out the password wherever the URL puts it', (t) => {
	t.is(urlLabel('postgresql://mt:S3CRET@h:5/db'), 'postgresql://mt@h:5/db');
	t.is(urlLabel('postgresql://mt:S3/CRET@h:5/db'), 'postgresql://mt@h:5/db');
	t.is(urlLabel('postgresql://mt:S3C?RET@h:5/db'), 'postgresql://mt@h:5/db');
	t.is(urlLabel('postgresql://mt:S3C#RET@h:5/db'), 'postgresql://mt@h:5/db');
	t.is(urlLabel('postgresql://mt:S3@CRET@h:5/db'), 'postgresql://mt@h:5/db');
	t.is(urlLabel('postgre://mt:S3CRET@h:5/db'), 'postgre://mt@h:5/db');
	t.is(urlLabel('postgresql://mt@h:5/db?password=S3CRET&sslmode=disable'), 'postgresql://mt@h:5/db?sslmode=disable');
	t.is(urlLabel('postgresql://mt@h:5/db?sslmode=disable&sslpassword=S3CRET'), 'postgresql://mt@h:5/db?sslmode=disable');
	t.is(urlLabel('postgresql://h:5/db'), 'postgresql://h:5/db');
	t.is(urlLabel('results/my-study'), 'results/my-study');
});

test('a malformed or unreachable --storage URL is refused without its password', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 's',
		objective: { module: join(fixtures, 'objectives.js'), export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random' },
		budget: 1,
	});
	for (const storage of [
		'postgre://mt:S3CRET@127.0.0.1:1/db',
		'postgresql://mt:S3/CRET@127.0.0.1:1/db',
		'postgresql://mt:S3C?RET@127.0.0.1:1/db',
		'postgresql://mt:S3CRET@127.0.0.1:1/db',
		'postgresql://mt@127.0.0.1:1/db?password=S3CRET',
	]) {
		for (const args of [
			['status', 's', '--storage', storage],
			['list', '--storage', storage],
			['run', file, '--storage', storage, '--quiet'],
			['storage', 'copy', 's', '--from', storage, '--to', dir],
			['storage', 'copy', 's', '--from', dir, '--to', storage],
		]) {
			const out = await runCli(args);
			t.not(out.code, 0, `${args.join(' ')}: ${out.stderr}`);
			t.false(/S3|CRET/.test(out.stdout + out.stderr), `${args.join(' ')}: ${out.stderr}`);
		}
	}
});

let roleReady: Promise<{ plain: string; withPassword: string }> | undefined;

/** The role `mt` with `password`, which the server asks for over TCP (scram-sha-256); its URLs without and with the password. */
function passwordRole(): Promise<{ plain: string; withPassword: string }> {
	roleReady ??= (async () => {
		const admin = new pg.Client(url());
		await admin.connect();
		try {
			await admin.query(`CREATE ROLE mt LOGIN PASSWORD '${password.replace(/'/g, "''")}'`);
			await admin.query('GRANT ALL ON SCHEMA public TO mt');
			const hba = (await admin.query<{ hba_file: string }>('SHOW hba_file')).rows[0]?.hba_file as string;
			const { readFileSync } = await import('node:fs');
			writeFileSync(hba, `host all mt 127.0.0.1/32 scram-sha-256\n${readFileSync(hba, 'utf8')}`);
			await admin.query('SELECT pg_reload_conf()');
		} finally {
			await admin.end();
		}
		const plain = url().replace('postgresql://metatune@', 'postgresql://mt@');
		return { plain, withPassword: plain.replace('postgresql://mt@', `postgresql://mt:${encodeURIComponent(password)}@`) };
	})();
	return roleReady;
}

pgTest('the password comes from PGPASSWORD, or from a password file (PGPASSFILE, ~/.pgpass), without a word', async (t) => {
	const { plain } = await passwordRole();
	const refused = await spawnCli(['list', '--storage', plain], { PGPASSWORD: undefined, PGPASSFILE: join(tempDir(), 'none') }).done;
	t.is(refused.code, 10, refused.stderr);
	t.regex(refused.stderr, /login refused/);
	const fromEnv = await spawnCli(['list', '--storage', plain], { PGPASSWORD: password }).done;
	t.is(fromEnv.code, 0, fromEnv.stderr);
	t.is(fromEnv.stderr, '');
	const passFile = join(tempDir(), 'pgpass');
	writeFileSync(passFile, `# host:port:database:user:password\n127.0.0.1:*:*:mt:${password.replace(/\\/g, '\\\\').replace(/:/g, '\\:')}\n`);
	chmodSync(passFile, 0o600);
	const fromFile = await spawnCli(['list', '--storage', plain], { PGPASSWORD: undefined, PGPASSFILE: passFile }).done;
	t.is(fromFile.code, 0, fromFile.stderr);
	t.is(fromFile.stderr, '', 'no deprecation warning or other word');
});

pgTest('--storage with a password warns once that ps shows it; METATUNE_STORAGE does not', async (t) => {
	const { withPassword } = await passwordRole();
	const flag = await spawnCli(['list', '--storage', withPassword], { PGPASSWORD: undefined }).done;
	t.is(flag.code, 0, flag.stderr);
	const lines = flag.stderr.trimEnd().split('\n');
	t.is(lines.length, 1, flag.stderr);
	t.regex(flag.stderr, /password.*visible.*ps.*METATUNE_STORAGE.*PGPASSWORD.*pgpass/);
	t.false(flag.stderr.includes('S3CRET'));
	const env = await spawnCli(['list'], { METATUNE_STORAGE: withPassword, PGPASSWORD: undefined }).done;
	t.is(env.code, 0, env.stderr);
	t.is(env.stderr, '');
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'copied',
		objective: { module: join(fixtures, 'objectives.js'), export: 'quadratic' },
		space: { x: { type: 'float', low: 0, high: 1 } },
		searcher: { kind: 'random' },
		budget: 1,
	});
	t.is((await runCli(['run', file, '--results', dir, '--quiet'])).code, 0);
	const copy = await spawnCli(['storage', 'copy', 'copied', '--from', dir, '--to', withPassword], { PGPASSWORD: undefined }).done;
	t.is(copy.code, 0, copy.stderr);
	t.regex(copy.stderr, /^metatune: warning: --to: the password in this URL is visible .*`ps`.*PGPASSWORD or ~\/\.pgpass\n$/);
	t.false((copy.stdout + copy.stderr).includes('S3CRET'), copy.stdout);
});

pgTest('a command objective gets neither METATUNE_STORAGE nor the PGPASSWORD metatune used', async (t) => {
	const { plain } = await passwordRole();
	const dir = tempDir();
	const study = (name: string) =>
		writeStudy(
			dir,
			{ name, objective: { command: [process.execPath, join(fixtures, 'env-probe.mjs')] }, space: { x: { type: 'float', low: 0, high: 1 } }, searcher: { kind: 'random', seed: 1 }, budget: 1 },
			`${name}.yaml`,
		);
	const run = await spawnCli(['run', study('probe'), '--quiet'], { METATUNE_STORAGE: plain, PGPASSWORD: password }).done;
	t.is(run.code, 0, run.stderr);
	const complete = (await storedRecords(url(), 'probe')).find((r) => r.type === 'complete') as { fields?: Record<string, unknown> } | undefined;
	t.deepEqual(complete?.fields, { storage: false, pgpassword: false, params: true, value: 1 });
	// a journal file: PGPASSWORD was not metatune's, so the program gets it
	const results = join(dir, 'results');
	const local = await spawnCli(['run', study('local'), '--results', results, '--quiet'], { METATUNE_STORAGE: undefined, PGPASSWORD: 'theirs' }).done;
	t.is(local.code, 0, local.stderr);
	const journal = (await import('../../../src/study/journal/journal.js')).readJournal(join(results, 'local', 'journal.jsonl'));
	t.deepEqual((journal.find((r) => r.type === 'complete') as { fields?: Record<string, unknown> } | undefined)?.fields, { storage: false, pgpassword: true, params: true, value: 1 });
});
