#!/usr/bin/env node
/**
 * The floor of a "leader decides for all" PostgreSQL design (issue 27, item 2), measured without
 * metatune's semantics: plain `pg`, tables of its own (`floor_*`), trivial decisions, records of a
 * metatune trial's size (asked 240, running 111 and complete 165 bytes of JSON). It asks whether 8
 * processes could be at or below one worker's ms per trial on this machine at all, before building
 * the design in the runner.
 *
 * Modes (each a fresh study; run alternated, `--rounds` times):
 *   one           one process: loop { one call appends the last trial's end and the next decision
 *                 (3 records) under the study's row lock, committed with the WAL flush }, as
 *                 metatune_append_alone does for a lone worker
 *   one-piped     the same, the next decision made while the call is in flight (depth 1, as the
 *                 lone worker's `pipeline`)
 *   leader        1 leader + P-1 followers (P processes, `--processes`, 8 by default). A
 *                 follower: loop { one call puts its last end and a request in the inbox
 *                 (committed without waiting for the flush: it is not told "stored" until its
 *                 decision comes, and keeps the end until then), then waits for its decision (LISTEN/NOTIFY, the decision as the payload) }. The leader: loop {
 *                 one call writes the group decided last (ends and decisions in the journal, the
 *                 taken inbox items deleted, each follower notified; one transaction, one flush)
 *                 and returns the inbox's waiting items; decide for each; an empty inbox waits for
 *                 its NOTIFY }
 *   leader-durable   the followers' inbox items committed with the flush (the server groups them)
 *   leader-eval   the leader also runs trials of its own (one per group), P-1 followers beside it
 *   leader-gN     the leader takes at most N items per group
 *   leader-socket the followers reach the leader by a Unix socket instead (no inbox table: an end is
 *                 in the leader's memory until its group is written, and its follower not told
 *                 "stored" before); the group is one call
 *   leader-socket-piped   the same, a group's write committed without the flush and its flush
 *                 waited for by a second statement (metatune's beat), the next group written on a
 *                 second connection meanwhile (the row lock is not held through the flush)
 *
 * `--decide-us U` spends U us of CPU per decision (a stand-in for the searcher, the state's replay and
 * the records' checks; 0 is the floor; at 300 the lone process's CPU per trial, ~0.70 ms, is a
 * pipelined metatune worker's). Printed per mode: wall ms per trial; the clients' CPU per trial (all
 * processes, /proc) and its system part; the server's CPU per trial (postmaster, exited and live
 * children); WAL flushes per trial and ms per flush (pg_stat_wal; track_wal_io_timing on for the
 * time); process switches per trial, clients' and the server's live backends'.
 *
 *   node src/bench/scripts/pg-leader-floor.mjs postgresql://user@host:port/db --server-pid PID \
 *     [--trials 2000] [--processes 8] [--rounds 3] [--modes one,one-piped,leader,...] [--decide-us 0]
 */
import { fork } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const at = args.indexOf(`--${name}`);
	return at < 0 ? fallback : args[at + 1];
};

const schema = [
	'CREATE TABLE IF NOT EXISTS floor_studies (id bigint PRIMARY KEY)',
	'CREATE TABLE IF NOT EXISTS floor_records (study bigint NOT NULL, seq bigint NOT NULL, record json NOT NULL, PRIMARY KEY (study, seq))',
	'CREATE TABLE IF NOT EXISTS floor_inbox (id bigserial PRIMARY KEY, study bigint NOT NULL, worker int NOT NULL, record json NOT NULL)',
	'CREATE INDEX IF NOT EXISTS floor_inbox_study ON floor_inbox (study, id)',
	'ALTER TABLE floor_records SET (autovacuum_enabled = false)',
	'ALTER TABLE floor_inbox SET (autovacuum_enabled = false)',
	'ALTER TABLE floor_studies SET (autovacuum_enabled = false)',
	// a lone writer's call: lock, check that nothing was written since, append, tell the listeners
	`CREATE OR REPLACE FUNCTION floor_append(p_study bigint, p_start bigint, p_records json) RETURNS bigint LANGUAGE plpgsql AS $fn$
	BEGIN
		PERFORM 1 FROM floor_studies s WHERE s.id = p_study FOR UPDATE;
		IF EXISTS (SELECT 1 FROM floor_records r WHERE r.study = p_study AND r.seq >= p_start) THEN RETURN -1; END IF;
		INSERT INTO floor_records (study, seq, record) SELECT p_study, p_start + t.ord - 1, t.r FROM json_array_elements(p_records) WITH ORDINALITY AS t(r, ord);
		PERFORM pg_notify('floor_records', p_study::text);
		RETURN p_start + json_array_length(p_records);
	END $fn$`,
	'CREATE TABLE IF NOT EXISTS floor_beats (conn int PRIMARY KEY, at timestamptz NOT NULL)',
	'ALTER TABLE floor_beats SET (autovacuum_enabled = false)',
	// a piped leader's write: lock, check, append, committed without waiting for the flush
	`CREATE OR REPLACE FUNCTION floor_write(p_study bigint, p_start bigint, p_records json) RETURNS void LANGUAGE plpgsql AS $fn$
	BEGIN
		PERFORM set_config('synchronous_commit', 'off', true);
		PERFORM 1 FROM floor_studies s WHERE s.id = p_study FOR UPDATE;
		IF EXISTS (SELECT 1 FROM floor_records r WHERE r.study = p_study AND r.seq >= p_start) THEN RAISE EXCEPTION 'another leader wrote at %', p_start; END IF;
		INSERT INTO floor_records (study, seq, record) SELECT p_study, p_start + t.ord - 1, t.r FROM json_array_elements(p_records) WITH ORDINALITY AS t(r, ord);
		PERFORM pg_notify('floor_records', p_study::text);
	END $fn$`,
	// ... then its flush: a write committed with the flush, which covers every commit before it
	`CREATE OR REPLACE FUNCTION floor_beat(p_conn int) RETURNS void LANGUAGE plpgsql AS $fn$
	BEGIN
		INSERT INTO floor_beats (conn, at) VALUES (p_conn, now()) ON CONFLICT (conn) DO UPDATE SET at = EXCLUDED.at;
	END $fn$`,
	// a follower's call: its end and request into the inbox, the leader woken
	`CREATE OR REPLACE FUNCTION floor_request(p_study bigint, p_worker int, p_record json, p_durable boolean) RETURNS void LANGUAGE plpgsql AS $fn$
	BEGIN
		IF NOT p_durable THEN PERFORM set_config('synchronous_commit', 'off', true); END IF;
		INSERT INTO floor_inbox (study, worker, record) VALUES (p_study, p_worker, p_record);
		PERFORM pg_notify('floor_inbox_' || p_study, '');
	END $fn$`,
	// the leader's call: write the group decided (records, taken items deleted, answers sent at the commit), return what waits
	`CREATE OR REPLACE FUNCTION floor_group(p_study bigint, p_start bigint, p_records json, p_taken bigint[], p_answers json, p_limit int)
	RETURNS TABLE (id bigint, worker int, record json) LANGUAGE plpgsql AS $fn$
	BEGIN
		IF json_array_length(p_records) > 0 THEN
			PERFORM 1 FROM floor_studies s WHERE s.id = p_study FOR UPDATE;
			IF EXISTS (SELECT 1 FROM floor_records r WHERE r.study = p_study AND r.seq >= p_start) THEN RAISE EXCEPTION 'another leader wrote at %', p_start; END IF;
			INSERT INTO floor_records (study, seq, record) SELECT p_study, p_start + t.ord - 1, t.r FROM json_array_elements(p_records) WITH ORDINALITY AS t(r, ord);
			DELETE FROM floor_inbox i WHERE i.study = p_study AND i.id = ANY (p_taken);
			PERFORM pg_notify('floor_w' || p_study || '_' || (a->>'w'), a->>'d') FROM json_array_elements(p_answers) AS a;
			PERFORM pg_notify('floor_records', p_study::text);
		END IF;
		RETURN QUERY SELECT i.id, i.worker, i.record FROM floor_inbox i WHERE i.study = p_study ORDER BY i.id LIMIT p_limit;
	END $fn$`,
];

/** The leader's socket of a study (socket modes). */
const socketPath = (study) => join(tmpdir(), `pg-leader-floor-${study}.sock`);

/** CPU ms (user + system, with exited children) of a process, from /proc/PID/stat. */
function ticksMs(pid) {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10;
}

function switchesOf(pid) {
	const status = readFileSync(`/proc/${pid}/status`, 'utf8');
	return Number(/\nvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1]) + Number(/nonvoluntary_ctxt_switches:\s+(\d+)/.exec(status)?.[1]);
}

/** The server's CPU ms (postmaster, its exited and live children) and its live children's switches by pid. */
function serverSnapshot(pid) {
	let ms = ticksMs(pid);
	const switches = new Map();
	for (const p of readdirSync('/proc').filter((d) => /^\d+$/.test(d)))
		try {
			const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
			if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) continue;
			ms += ticksMs(p);
			switches.set(p, switchesOf(p));
		} catch {
			// the process ended meanwhile
		}
	return { ms, switches };
}

/** Spend `us` microseconds of CPU (the decision's stand-in). */
function burn(us) {
	if (us <= 0) return;
	const end = performance.now() + us / 1000;
	while (performance.now() < end) {
		// spin
	}
}

const stamp = () => new Date().toISOString();
const owner = (worker) => ({ host: 'vm', pid: process.pid, run: `r${worker}` });
let seed = 12345;
const random = () => {
	seed = (seed * 1103515245 + 12345) % 2147483648;
	return seed / 2147483648;
};

/** A decision as metatune records it: asked, then running. */
function decide(trial, worker, decideUs) {
	burn(decideUs);
	const params = { x: random(), y: random() };
	return [
		{ type: 'asked', at: stamp(), trial, owner: owner(worker), arm: 'random', purpose: 'search', slot: trial, attempt: 1, params, seed: Math.floor(random() * 2 ** 31) },
		{ type: 'running', at: stamp(), trial, owner: owner(worker) },
	];
}

/** A trial's end as metatune records it, after its trivial evaluation. */
function evaluate(asked, worker) {
	const value = asked.params.x + asked.params.y;
	return { type: 'complete', at: stamp(), trial: asked.trial, value, fields: {}, wall_ms: 0, commit: 'bench', lease: { run: `r${worker}`, take: 1 } };
}

async function connect(url) {
	const client = new pg.Client(url);
	await client.connect();
	return client;
}

/** One process deciding, evaluating and writing alone; `piped`: the next decision made while the call is in flight. */
async function lone(client, study, trials, decideUs, piped) {
	await client.query({ name: 'prep', text: 'SELECT floor_append($1, $2, $3)', values: [study, 0, '[]'] });
	const call = (start, records) => client.query({ name: 'prep', text: 'SELECT floor_append($1, $2, $3)', values: [study, start, JSON.stringify(records)] });
	let seq = 0;
	let staged = decide(0, 0, decideUs);
	for (let t = 0; t < trials; t++) {
		const sent = call(seq, staged);
		seq += staged.length;
		const end = evaluate(staged[staged.length - 2], 0);
		if (piped) {
			staged = t + 1 < trials ? [end, ...decide(t + 1, 0, decideUs)] : [end];
			const r = await sent;
			if (Number(r.rows[0].floor_append) < 0) throw new Error('refused');
		} else {
			const r = await sent;
			if (Number(r.rows[0].floor_append) < 0) throw new Error('refused');
			staged = t + 1 < trials ? [end, ...decide(t + 1, 0, decideUs)] : [end];
		}
	}
	await call(seq, staged);
	return trials;
}

/** A follower: its end and request into the inbox, then its decision by NOTIFY; until told to stop. */
async function follower(client, study, worker, durable) {
	const decisions = [];
	let wake;
	client.on('notification', (n) => {
		decisions.push(n.payload);
		wake?.();
	});
	await client.query(`LISTEN floor_w${study}_${worker}`);
	const request = (record) => client.query({ name: 'req', text: 'SELECT floor_request($1, $2, $3, $4)', values: [study, worker, JSON.stringify(record), durable] });
	let end = null;
	let trials = 0;
	for (;;) {
		await request({ worker, end });
		while (decisions.length === 0) await new Promise((r) => (wake = r));
		const d = decisions.shift();
		if (d === 'stop') return trials;
		end = evaluate(JSON.parse(d), worker);
		trials++;
	}
}

/** A follower of a leader reached by a socket: its end and request as one line, its decision as one line back. */
async function socketFollower(path, worker) {
	const socket = await new Promise((resolve, reject) => {
		const c = createConnection(path, () => resolve(c));
		c.once('error', reject);
	});
	socket.setNoDelay?.(true);
	const lines = [];
	let wake;
	let buffer = '';
	socket.on('data', (chunk) => {
		buffer += chunk;
		for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
			lines.push(buffer.slice(0, at));
			buffer = buffer.slice(at + 1);
		}
		wake?.();
	});
	socket.setEncoding('utf8');
	let end = null;
	let trials = 0;
	for (;;) {
		socket.write(`${JSON.stringify({ w: worker, end })}\n`);
		while (lines.length === 0) await new Promise((r) => (wake = r));
		const d = lines.shift();
		if (d === 'stop') {
			socket.end();
			return trials;
		}
		end = evaluate(JSON.parse(d), worker);
		trials++;
	}
}

/** The leader's socket: each line a follower sends is queued with its socket, `wake` called. */
function listenFollowers(server) {
	const inbox = { waiting: [], wake: undefined };
	server.on('connection', (socket) => {
		socket.setEncoding('utf8');
		let buffer = '';
		socket.on('data', (chunk) => {
			buffer += chunk;
			for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
				inbox.waiting.push({ socket, item: JSON.parse(buffer.slice(0, at)) });
				buffer = buffer.slice(at + 1);
			}
			inbox.wake?.();
		});
	});
	return inbox;
}

/** The leader of socket followers: each group written in one call (no inbox), the answers sent on the sockets after its commit. */
async function socketLeader(client, inbox, study, trials, followers, decideUs, limit, second) {
	const { waiting } = inbox;
	const group = (start, records) => client.query({ name: 'grp', text: 'SELECT * FROM floor_group($1, $2, $3, $4, $5, $6)', values: [study, start, JSON.stringify(records), [], '[]', 0] });
	// piped (`second`, a second connection): a group's write commits without the flush, then a beat with it waits for the flush while the other connection writes the next group
	const write = (c, start, records) => c.query({ name: 'wr', text: 'SELECT floor_write($1, $2, $3)', values: [study, start, JSON.stringify(records)] });
	const flush = (c, conn) => c.query({ name: 'beat', text: 'SELECT floor_beat($1)', values: [conn] });
	await group(0, []);
	let seq = 0;
	let decided = 0;
	let stopped = 0;
	let groups = 0;
	const conns = second === undefined ? [client] : [client, second];
	const flushing = conns.map(() => Promise.resolve());
	while (stopped < followers) {
		while (waiting.length === 0) await new Promise((r) => (inbox.wake = r));
		const taken = waiting.splice(0, limit);
		const records = [];
		const answers = [];
		for (const { socket, item } of taken) {
			if (item.end !== null) records.push(item.end);
			if (decided < trials) {
				const d = decide(decided++, item.w, decideUs);
				records.push(...d);
				answers.push([socket, JSON.stringify(d[0])]);
			} else {
				answers.push([socket, 'stop']);
				stopped++;
			}
		}
		const answer = () => {
			for (const [socket, line] of answers) socket.write(`${line}\n`);
		};
		if (second === undefined) {
			await group(seq, records);
			answer();
		} else {
			const at = groups % 2;
			await flushing[at];
			await write(conns[at], seq, records);
			flushing[at] = flush(conns[at], at).then(answer);
		}
		seq += records.length;
		groups++;
	}
	await Promise.all(flushing);
	return { trials: 0, groups };
}

/** The leader: writes each group in one call that also returns the next; decides `trials` in all, then answers stop. */
async function leader(client, study, trials, followers, decideUs, selfEval, limit) {
	let pending = false;
	let wake;
	client.on('notification', () => {
		pending = true;
		wake?.();
	});
	await client.query(`LISTEN floor_inbox_${study}`);
	const group = (start, records, taken, answers) =>
		client.query({ name: 'grp', text: 'SELECT * FROM floor_group($1, $2, $3, $4, $5, $6)', values: [study, start, JSON.stringify(records), taken, JSON.stringify(answers), limit] });
	let seq = 0;
	let decided = 0;
	let stopped = 0;
	let ownEnd = null;
	let mine = 0;
	let groups = 0;
	let items = (await group(0, [], [], [])).rows;
	while (stopped < followers || ownEnd !== null) {
		const ownWork = selfEval && (decided < trials || ownEnd !== null);
		if (items.length === 0 && !ownWork) {
			while (!pending) await new Promise((r) => (wake = r));
			pending = false;
			items = (await group(seq, [], [], [])).rows;
			continue;
		}
		const records = [];
		const answers = [];
		for (const item of items) {
			const { end } = item.record;
			if (end !== null) records.push(end);
			if (decided < trials) {
				const d = decide(decided++, item.worker, decideUs);
				records.push(...d);
				answers.push({ w: item.worker, d: JSON.stringify(d[0]) });
			} else {
				answers.push({ w: item.worker, d: 'stop' });
				stopped++;
			}
		}
		if (ownEnd !== null) records.push(ownEnd);
		ownEnd = null;
		const own = selfEval && decided < trials ? decide(decided++, -1, decideUs) : null;
		if (own !== null) records.push(...own);
		pending = false;
		const r = await group(
			seq,
			records,
			items.map((i) => i.id),
			answers,
		);
		seq += records.length;
		groups++;
		items = r.rows;
		if (own !== null) {
			ownEnd = evaluate(own[0], -1);
			mine++;
		}
	}
	return { trials: mine, groups };
}

async function child([role, url, study, ...rest]) {
	const client = role === 'socket-follower' ? undefined : await connect(url);
	const second = role === 'socket-leader' && rest[2].includes('piped') ? await connect(url) : undefined;
	let server;
	let inbox;
	if (role === 'socket-leader') {
		server = createServer();
		inbox = listenFollowers(server);
		rmSync(socketPath(study), { force: true });
		await new Promise((r) => server.listen(socketPath(study), r));
	}
	process.send('ready');
	await new Promise((r) => process.once('message', r));
	const cpu0 = process.cpuUsage();
	const sw0 = switchesOf(process.pid);
	let result;
	const [trials, decideUs, variant, followers] = rest;
	if (role === 'lone') result = { trials: await lone(client, study, Number(trials), Number(decideUs), variant === 'piped') };
	else if (role === 'follower') result = { trials: await follower(client, study, Number(rest[0]), rest[1] === 'durable') };
	else if (role === 'socket-follower') result = { trials: await socketFollower(socketPath(study), Number(rest[0])) };
	else if (role === 'socket-leader') result = await socketLeader(client, inbox, study, Number(trials), Number(followers), Number(decideUs), Number(rest[4]), second);
	else result = await leader(client, study, Number(trials), Number(followers), Number(decideUs), variant.includes('eval'), Number(rest[4]));
	const cpu = process.cpuUsage(cpu0);
	process.send({ ...result, cpuMs: (cpu.user + cpu.system) / 1000, sysMs: cpu.system / 1000, switches: switchesOf(process.pid) - sw0 });
	process.once('disconnect', async () => {
		await client?.end();
		await second?.end();
		// the exit comes before close() would remove the socket's file
		if (server !== undefined) rmSync(socketPath(study), { force: true });
		process.exit(0);
	});
}

async function measure(url, admin, mode, trials, processes, decideUs, serverPid) {
	const study = Number((await admin.query('INSERT INTO floor_studies SELECT coalesce(max(id), 0) + 1 FROM floor_studies RETURNING id')).rows[0].id);
	const here = fileURLToPath(import.meta.url);
	const spawn = (argv) => {
		const kid = fork(here, ['--child', ...argv.map(String)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
		kid.ready = new Promise((r) => kid.once('message', r));
		return kid;
	};
	const kids = [];
	if (mode === 'one' || mode === 'one-piped') kids.push(spawn(['lone', url, study, trials, decideUs, mode === 'one-piped' ? 'piped' : 'plain']));
	else {
		const limit = /-g(\d+)/.exec(mode)?.[1] ?? 1000;
		const n = processes - 1;
		const socket = mode.includes('socket');
		const head = spawn([socket ? 'socket-leader' : 'leader', url, study, trials, decideUs, mode, n, limit]);
		await head.ready;
		for (let w = 0; w < n; w++) kids.push(spawn(socket ? ['socket-follower', url, study, w] : ['follower', url, study, w, mode.includes('durable') ? 'durable' : 'fast']));
		kids.push(head);
	}
	await Promise.all(kids.map((k) => k.ready));
	const wal = async () => (await admin.query('SELECT wal_sync::float8 AS n, wal_sync_time::float8 AS ms FROM pg_stat_wal')).rows[0];
	const w0 = await wal();
	const s0 = serverPid === undefined ? undefined : serverSnapshot(serverPid);
	const t0 = performance.now();
	for (const k of kids) k.send('go');
	const results = await Promise.all(kids.map((k) => new Promise((r) => k.once('message', r))));
	const wall = performance.now() - t0;
	const s1 = serverPid === undefined ? undefined : serverSnapshot(serverPid);
	// the backends report their WAL counts when they exit
	await Promise.all(
		kids.map(
			(k) =>
				new Promise((r) => {
					k.once('exit', r);
					k.disconnect();
				}),
		),
	);
	await new Promise((r) => setTimeout(r, 300));
	const w1 = await wal();
	const sum = (key) => results.reduce((a, r) => a + (r[key] ?? 0), 0);
	const done = sum('trials');
	const stored = Number((await admin.query("SELECT count(*) FROM floor_records WHERE study = $1 AND record->>'type' = 'complete'", [study])).rows[0].count);
	if (done !== trials || stored !== trials) throw new Error(`${mode}: ${done} trials run, ${stored} ends stored, ${trials} asked`);
	const per = (x, digits = 3) => (x / done).toFixed(digits);
	const flushes = w1.n - w0.n;
	let server = '';
	if (s0 !== undefined && s1 !== undefined) {
		let sw = 0;
		for (const [p, n] of s1.switches) if (s0.switches.has(p)) sw += n - s0.switches.get(p);
		server = `; server CPU ${per(s1.ms - s0.ms)} ms, ${per(sw, 2)} switches`;
	}
	const groups = sum('groups') > 0 ? `; ${(done / sum('groups')).toFixed(2)} trials per group` : '';
	console.log(
		`${mode.padEnd(15)} ${kids.length} proc: ${per(wall)} ms per trial; clients' CPU ${per(sum('cpuMs'))} ms (system ${per(sum('sysMs'))}), ${per(sum('switches'), 2)} switches${server}; ${per(flushes)} flushes at ${(flushes > 0 ? (w1.ms - w0.ms) / flushes : 0).toFixed(3)} ms${groups}`,
	);
	// outside the measured window, so that no autovacuum runs inside the next one (it is off on these tables)
	await admin.query('DELETE FROM floor_records WHERE study = $1', [study]);
	await admin.query('VACUUM floor_records, floor_inbox, floor_studies, floor_beats');
	return { wall: wall / done, cpu: (sum('cpuMs') + (s0 === undefined ? 0 : s1.ms - s0.ms)) / done, flushMs: flushes > 0 ? (w1.ms - w0.ms) / flushes : 0 };
}

const median = (xs) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Per mode over the rounds: median and range of wall ms per trial, its ratio to the first mode's in the same round, CPU (clients + server) per trial, ms per flush. */
function summary(modes, rows) {
	console.log(`median [min, max] over ${rows.length} rounds; ratio: wall / the round's ${modes[0]}`);
	for (const mode of modes) {
		const of = (f) => rows.map((r) => f(r[mode], r[modes[0]]));
		const show = (xs) => `${median(xs).toFixed(3)} [${Math.min(...xs).toFixed(3)}, ${Math.max(...xs).toFixed(3)}]`;
		console.log(`${mode.padEnd(20)} wall ${show(of((m) => m.wall))}  ratio ${show(of((m, b) => m.wall / b.wall))}  CPU ${show(of((m) => m.cpu))}  ms per flush ${show(of((m) => m.flushMs))}`);
	}
}

if (args[0] === '--child') await child(args.slice(1));
else {
	const url = args[0];
	if (url === undefined || url.startsWith('--')) throw new Error('usage: pg-leader-floor.mjs URL [--server-pid PID] [--trials N] [--processes P] [--rounds R] [--modes a,b] [--decide-us U]');
	const trials = Number(option('trials', 2000));
	const processes = Number(option('processes', 8));
	const rounds = Number(option('rounds', 3));
	const decideUs = Number(option('decide-us', 0));
	const serverPid = option('server-pid') === undefined ? undefined : Number(option('server-pid'));
	const modes = option('modes', 'one,one-piped,leader,leader-durable,leader-eval').split(',');
	const admin = await connect(url);
	for (const statement of schema) await admin.query(statement);
	console.log(`${trials} trials, ${processes} processes in the leader modes, decide ${decideUs} us; ${new Date().toISOString()}`);
	const rows = [];
	for (let r = 0; r < rounds; r++) {
		const row = {};
		for (const mode of modes) row[mode] = await measure(url, admin, mode, trials, processes, decideUs, serverPid);
		rows.push(row);
	}
	summary(modes, rows);
	await admin.end();
}
