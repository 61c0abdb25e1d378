#!/usr/bin/env node
/**
 * Where a CPU profile's self time went, per trial: a .cpuprofile (the inspector's, e.g.
 * runner-warmup.mjs --profile, or `node --cpu-prof`) summed by module (our dist/src files, `pg`'s,
 * Node's internals, V8's GC and the rest) and by function, divided by the trials it covered.
 *
 *   node src/bench/scripts/profile-self.mjs FILE.cpuprofile --trials 1000 [--top 40]
 *
 * Notation: self time of a node = the sum of the time deltas of the samples that landed in it (the
 * function running, not its callees); with callees: the self time of every sample with the function
 * on its stack; `(idle)` is the main thread waiting (not CPU) and is left out
 * of the total.
 */
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
	const i = args.indexOf(name);
	return i < 0 ? fallback : Number(args[i + 1]);
};
const trials = option('--trials', 1000);
const top = option('--top', 40);
const profile = JSON.parse(readFileSync(args[0], 'utf8'));

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
	const delta = profile.timeDeltas[i + 1] ?? 0;
	self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + delta);
}

/** The module a frame belongs to: our file (path under src/), a package, a node: module, or V8's own. */
function moduleOf(frame) {
	const url = frame.url;
	if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
	const ours = url.match(/dist\/(src\/.*)$/);
	if (ours) return ours[1];
	const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\/(.*)$/);
	if (pkg) return `${pkg[1]}/${pkg[2]}`;
	return url.replace(/^file:\/\/.*\//, '');
}

const modules = new Map();
const functions = new Map();
let total = 0;
for (const [id, us] of self) {
	const frame = byId.get(id).callFrame;
	if (frame.functionName === '(idle)') continue;
	total += us;
	const module = moduleOf(frame);
	modules.set(module, (modules.get(module) ?? 0) + us);
	const key = `${frame.functionName || '(anonymous)'} ${module}:${frame.lineNumber + 1}`;
	functions.set(key, (functions.get(key) ?? 0) + us);
}

/** Total (self and callees) time per function: each node's self time counted once for each distinct function on its stack. */
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const totals = new Map();
for (const [id, us] of self) {
	if (byId.get(id).callFrame.functionName === '(idle)') continue;
	const seen = new Set();
	for (let at = id; at !== undefined; at = parent.get(at)) {
		const frame = byId.get(at).callFrame;
		const key = `${frame.functionName || '(anonymous)'} ${moduleOf(frame)}:${frame.lineNumber + 1}`;
		if (seen.has(key)) continue;
		seen.add(key);
		totals.set(key, (totals.get(key) ?? 0) + us);
	}
}

const groups = new Map();
for (const [module, us] of modules) {
	const group = module.startsWith('src/')
		? module.split('/').slice(0, 3).join('/')
		: module.startsWith('pg')
			? 'pg (package)'
			: module.startsWith('node:') || !module.includes('/')
				? module.startsWith('(')
					? module
					: 'node internals'
				: module.split('/')[0];
	groups.set(group, (groups.get(group) ?? 0) + us);
}

const per = (us) => (us / trials).toFixed(1).padStart(7);
const print = (title, map, n) => {
	console.log(`\n${title} (us per trial)`);
	for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) console.log(`${per(us)}  ${k}`);
};
console.log(`${args[0]}: ${(total / 1000).toFixed(0)} ms of self time outside (idle), ${per(total).trim()} us per trial over ${trials} trials`);
print('by group', groups, 30);
print('by module', modules, top);
print('by function', functions, top);
print('by function, with callees', totals, top);
