#!/usr/bin/env node
/**
 * Benchmark: one lifetime of a command objective that prints N intermediate reports (default 1M),
 * then `metatune run` and `metatune status` on its journal, timed. It measures the cost per report
 * record (recording, replaying and indexing one report must not depend on how many came before).
 *
 *   node src/bench/scripts/bench-reports.mjs [reports=1000000] [--pruner]
 *
 * Runs the sources through tsx (no build needed); everything goes to a temporary folder that is
 * removed at the end. `--pruner` adds a median pruner, so every report is also judged.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const reports = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const pruner = process.argv.includes('--pruner');
const dir = mkdtempSync(join(tmpdir(), 'metatune-bench-reports-'));
try {
	// the program prints its reports in 64 KiB writes, so the program itself costs little
	writeFileSync(
		join(dir, 'chatty.mjs'),
		`const n = Number(process.argv[2]);
let buf = '';
for (let i = 1; i <= n; i++) {
	buf += '{"step":' + i + ',"value":' + (i / n) + '}\\n';
	if (buf.length > 65536) { process.stdout.write(buf); buf = ''; }
}
process.stdout.write(buf + '{"value":1}\\n');
`,
	);
	writeFileSync(
		join(dir, 'chatty.yaml'),
		[
			'name: chatty',
			'objective:',
			`  command: [node, chatty.mjs, "${reports}"]`,
			'space:',
			'  x: { type: float, low: 0, high: 1 }',
			'searchers:',
			`  - { kind: random, seed: 0${pruner ? ', pruner: { kind: median, warmup_steps: 0, min_trials: 1 }' : ''} }`,
			'budget: 1',
			'reevaluate: 0',
			'concurrency: 1',
			'',
		].join('\n'),
	);
	const cli = (args) => {
		const t0 = process.hrtime.bigint();
		execFileSync(process.execPath, ['--import=tsx', join(root, 'src/cli/main.ts'), ...args, '--results', join(dir, 'results')], {
			cwd: root,
			stdio: ['ignore', 'ignore', 'inherit'],
			maxBuffer: 1 << 30,
		});
		return Number(process.hrtime.bigint() - t0) / 1e9;
	};
	const run = cli(['run', join(dir, 'chatty.yaml'), '--quiet']);
	const status = cli(['status', 'chatty']);
	const journal = statSync(join(dir, 'results', 'chatty', 'journal.jsonl')).size;
	console.log(`${reports} reports in one lifetime${pruner ? ' (median pruner)' : ''}: run ${run.toFixed(1)} s, status ${status.toFixed(1)} s, journal ${(journal / 2 ** 20).toFixed(0)} MiB`);
} finally {
	rmSync(dir, { recursive: true, force: true });
}
