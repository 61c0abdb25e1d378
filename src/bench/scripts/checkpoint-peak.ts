/**
 * Benchmark: how many checkpoint folders, and how many bytes, a pbt study holds on disk at once, per
 * arm. It runs `metatune run` on a study in a child process and lists `<results>/<study>/checkpoints/`
 * every few milliseconds while it runs; once the run has ended, each folder is charged to its arm
 * through the journal (a folder is named after its segment's trial: `<trial>`, `<trial>.restore`, a
 * copy being made `<trial>.restore.tmp`). Prints per arm the population, the peak of folders and of
 * bytes, and how many listings were taken (a listing misses what lived shorter than its interval).
 *
 *   npx tsx src/bench/scripts/checkpoint-peak.ts STUDY.yaml [--results DIR] [--every-ms 3]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readJournal } from '../../study/journal/journal.js';
import { loadStudyFile } from '../../study/spec/file.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { results: { type: 'string' }, 'every-ms': { type: 'string', default: '3' } } });
const file = positionals[0];
const everyMs = Number(values['every-ms']);
if (file === undefined || !(everyMs > 0)) {
	process.stderr.write('checkpoint-peak: give a study file (checkpoint-peak.ts STUDY.yaml [--results DIR] [--every-ms 3])\n');
	process.exit(2);
}
const { spec } = loadStudyFile(file);
const results = values.results ?? mkdtempSync(join(tmpdir(), 'metatune-checkpoint-peak-'));
const root = join(results, spec.name, 'checkpoints');

/** One listing: the size of every folder under checkpoints/, by name. */
function listing(): Map<string, number> {
	const out = new Map<string, number>();
	if (!existsSync(root)) return out;
	for (const name of readdirSync(root)) {
		let bytes = 0;
		try {
			const walk = (dir: string) => {
				for (const e of readdirSync(dir, { withFileTypes: true })) {
					if (e.isDirectory()) walk(join(dir, e.name));
					else bytes += statSync(join(dir, e.name)).size;
				}
			};
			walk(join(root, name));
		} catch {
			// deleted while listed: counted with what was seen
		}
		out.set(name, bytes);
	}
	return out;
}

const listings: Map<string, number>[] = [];
const main = join(import.meta.dirname, '../../cli/main.ts');
const child = spawn(process.execPath, ['--import', 'tsx', main, 'run', file, '--results', results, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
let running = true;
child.on('close', () => {
	running = false;
});
const t0 = performance.now();
while (running) {
	listings.push(listing());
	await new Promise((r) => setTimeout(r, everyMs));
}
const seconds = (performance.now() - t0) / 1000;
const armOf = new Map<number, string>();
for (const r of readJournal(join(results, spec.name, 'journal.jsonl'), () => undefined)) if (r.type === 'asked') armOf.set(r.trial, r.arm);
process.stdout.write(`${spec.name}: ${listings.length} listings in ${seconds.toFixed(1)} s (every ${everyMs} ms)\n`);
process.stdout.write('arm            population  peak folders  peak MB   folders at end\n');
for (const arm of spec.arms) {
	if (arm.config.kind !== 'pbt') continue;
	let peakFolders = 0;
	let peakBytes = 0;
	let last = 0;
	for (const l of listings) {
		let folders = 0;
		let bytes = 0;
		for (const [name, size] of l) {
			if (armOf.get(Number(name.split('.')[0])) !== arm.name) continue;
			folders++;
			bytes += size;
		}
		peakFolders = Math.max(peakFolders, folders);
		peakBytes = Math.max(peakBytes, bytes);
		last = folders;
	}
	process.stdout.write(
		`${arm.name.padEnd(14)} ${String(arm.config.population).padStart(10)}  ${String(peakFolders).padStart(12)}  ${(peakBytes / 1e6).toFixed(3).padStart(7)}  ${String(last).padStart(15)}\n`,
	);
}
if (values.results === undefined) rmSync(results, { recursive: true, force: true });
