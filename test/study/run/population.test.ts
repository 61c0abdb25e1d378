/**
 * pbt on a command objective, end to end through `metatune run`: exploit restores the exact bytes
 * of the checkpoint it copies, with its settings; the checkpoint protocol's failures each fail their
 * lifetime with one line saying what the program must do, and the study goes on; garbage collection
 * keeps exactly the checkpoints a member can return to, and the disk never holds more than population
 * + concurrency checkpoint folders (docs/online-tuning.md, "Checkpoints on disk").
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import type { AskedRecord, CompleteRecord, FailedRecord } from '../../../src/study/journal/journal.js';
import { fixtures, root, spawnCli, tempDir, writeStudy } from '../helpers.js';
import { folders, history, log, populationStudy, records, runListingCheckpoints } from './population-helpers.js';

test('exploit restores the exact checkpoint bytes of the member it copies, with its settings; explore changes only what it records; the disk holds population + concurrency checkpoints at most', async (t) => {
	const dir = tempDir();
	const file = populationStudy(dir, 'exploit', {}, { PBT_LOG: join(dir, 'log.jsonl') }, 80);
	const run = await runListingCheckpoints(file, join(dir, 'results'), 'exploit');
	t.is(run.code, 0, run.stderr);
	// population 4 at concurrency 2: one checkpoint per member, one folder per running segment
	t.true(run.listings > 50, `${run.listings} listings`);
	t.true(run.peak <= 4 + 2, `at most 6 checkpoint folders at once, not ${run.peak}`);
	const rs = records(join(dir, 'results', 'exploit', 'journal.jsonl'));
	const asked = rs.filter((r): r is AskedRecord => r.type === 'asked');
	const complete = new Map(rs.filter((r): r is CompleteRecord => r.type === 'complete').map((r) => [r.trial, r]));
	t.is(asked.length, 16, '4 members x 4 generations');
	t.is(complete.size, 16);
	const entries = log(join(dir, 'log.jsonl'));
	const exploits = asked.filter((a) => a.segment?.exploit !== undefined);
	t.true(exploits.length >= 3, 'one exploit per generation after the first');
	for (const a of asked) {
		const s = a.segment;
		if (s?.restore === undefined) continue;
		const source = asked.find((x) => x.trial === s.restore) as AskedRecord;
		// the bytes it read are the last checkpoint its source wrote, at the step recorded
		const wrote = entries.filter((e) => e.trial === source.trial && e.wrote !== undefined).at(-1);
		const read = entries.find((e) => e.trial === a.trial && e.read !== undefined);
		t.is(read?.read, wrote?.wrote, `trial ${a.trial} read what trial ${source.trial} wrote`);
		t.is(complete.get(source.trial)?.checkpoint?.step, wrote?.step);
		t.is(s.from_step, wrote?.step);
		for (const [name, value] of Object.entries(a.params)) {
			const change = s.explore?.[name];
			if (change === undefined) t.is<unknown, unknown>(value, source.params[name], `trial ${a.trial}: ${name} is its source's`);
			else t.deepEqual([change.from, change.to], [source.params[name], value]);
		}
		if (s.exploit === undefined) t.is(source.segment?.member, s.member, 'without exploit a member continues its own checkpoint');
		else t.is(source.segment?.member, s.exploit.member);
	}
	// the exploiting members are the worst of the generation before
	for (const a of exploits) {
		const g = a.segment?.generation as number;
		const before = asked.filter((x) => x.segment?.generation === g - 1).map((x) => ({ member: x.segment?.member, value: complete.get(x.trial)?.value as number }));
		const worst = before.reduce((w, x) => (x.value < w.value ? x : w));
		t.is(a.segment?.member, worst.member);
	}
	// garbage collection kept exactly each member's last checkpoint
	const last = new Map<number, number>();
	for (const a of asked) last.set(a.segment?.member as number, a.trial);
	t.deepEqual(
		folders(join(dir, 'results', 'exploit')),
		[...last.values()].sort((x, y) => x - y),
	);
	t.is(readdirSync(join(dir, 'results', 'exploit', 'checkpoints')).length, 4, 'no restore copy is left');
});

for (const [mode, expected] of [
	['forget', /reported step 10, but it continues a checkpoint of step 20: restore the state from METATUNE_RESTORE_DIR/],
	['scribble', /changed the checkpoint it restored from \(.*\): read METATUNE_RESTORE_DIR, write only into METATUNE_CHECKPOINT_DIR/],
	['liar', /announced a checkpoint at step 20 but its folder .* is empty: write your state into METATUNE_CHECKPOINT_DIR/],
	['silent', /reached step 20, the end of its pbt interval \(20\), without announcing a checkpoint: .* print \{"step": 20, "value": \.\.\., "checkpoint": true\}/],
] as const) {
	test(`a program that breaks the checkpoint protocol (${mode}) fails its lifetime with one line saying what to do; the study goes on`, async (t) => {
		const dir = tempDir();
		// two segments at once: each restores its own copy, so a scribbling member cannot damage what the other restores
		const file = populationStudy(dir, mode, { population: 2, quantile: 0.5 }, { FAIL_AS: mode, FAIL_ODD: '1' }, 40);
		const run = await spawnCli(['run', file, '--results', join(dir, 'results'), '--quiet']).done;
		t.is(run.code, 0, run.stderr);
		const rs = records(join(dir, 'results', mode, 'journal.jsonl'));
		const failed = rs.filter((r): r is FailedRecord => r.type === 'failed');
		t.true(failed.length >= 1);
		for (const f of failed) {
			t.regex(f.message, expected);
			t.false(f.message.includes('\n'));
		}
		// every segment ended and the healthy member trained to its end: the study went on
		const h = Object.values(history(join(dir, 'results', mode, 'journal.jsonl'))) as { end: { value?: number; failed?: string } | 'none' }[];
		t.true(h.every((e) => e.end !== 'none'));
		t.true(
			rs.some((r) => r.type === 'complete' && r.checkpoint === undefined),
			'a member reached its final value',
		);
	});
}

test('the same population through a module objective and a command objective (studies/pbt-toy*): the same history', async (t) => {
	const dir = tempDir();
	const runs = await Promise.all(['pbt-toy-module', 'pbt-toy-command'].map((name) => spawnCli(['run', join(root, 'studies', `${name}.yaml`), '--results', join(dir, 'results'), '--quiet']).done));
	for (const r of runs) t.is(r.code, 0, r.stderr);
	const strip = (h: Record<string, unknown>) => JSON.parse(JSON.stringify(h).replaceAll('"checkpoint":"', '"checkpoint_sha":"')) as Record<string, { end: { checkpoint_sha?: string } }>;
	const module = strip(history(join(dir, 'results', 'pbt-toy-module', 'journal.jsonl')));
	const command = strip(history(join(dir, 'results', 'pbt-toy-command', 'journal.jsonl')));
	t.is(Object.keys(module).length, 20);
	// params, seeds, decisions and values agree; the checkpoint files differ (JSON written by each language)
	for (const h of [module, command]) for (const e of Object.values(h)) delete e.end.checkpoint_sha;
	t.deepEqual(module, command);
});

test('a module checkpoint saved as bytes is restored as exactly those bytes', async (t) => {
	const dir = tempDir();
	const file = writeStudy(dir, {
		name: 'bytes',
		objective: { module: join(fixtures, 'pbt-bytes.mjs') },
		space: { lr: { type: 'float', low: 0.05, high: 1 } },
		searchers: [{ kind: 'pbt', population: 2, interval: 20, quantile: 0.5 }],
		budget: 1,
		concurrency: 2,
	});
	const run = await spawnCli(['run', file, '--results', join(dir, 'results'), '--quiet']).done;
	t.is(run.code, 0, run.stderr);
	const rs = records(join(dir, 'results', 'bytes', 'journal.jsonl'));
	const complete = rs.filter((r): r is CompleteRecord => r.type === 'complete');
	t.is(complete.length, 6, '2 members x 3 segments');
	const finals = complete.filter((c) => c.checkpoint === undefined);
	t.is(finals.length, 2);
	// each final state continues the bytes its segment restored: 60 steps in all, never restarted
	for (const f of finals) t.is(Buffer.from(f.fields.bytes as string, 'hex').readDoubleLE(0), 60);
	t.true(complete.every((c) => c.checkpoint === undefined || c.checkpoint.bytes === 16));
});
