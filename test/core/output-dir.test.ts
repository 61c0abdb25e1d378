import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import test from 'ava';
import { InputError } from '../../src/core/errors.js';
import { ensureOutputDir } from '../../src/core/output-dir.js';
import { tempDir } from '../temp.js';

test('ensureOutputDir creates missing parents and accepts an existing folder', (t) => {
	const root = tempDir('metatune-outdir-');
	const dir = join(root, 'a', 'b', 'c');
	t.is(ensureOutputDir(dir, '--out'), dir);
	t.true(statSync(dir).isDirectory());
	t.is(ensureOutputDir(dir, '--out'), dir, 'idempotent');
});

test('ensureOutputDir: a file in the way, /proc and /sys fail at once with one line naming the flag', (t) => {
	const root = tempDir('metatune-outdir-');
	const file = join(root, 'afile');
	writeFileSync(file, 'x');
	const cases: [string, RegExp][] = [
		[file, /^--out: cannot use .*afile as an output folder \(it is a file\); choose a folder you can write to$/],
		[join(file, 'sub'), /\(.*afile is a file\)/],
		['/proc/metatune-x/y', /^--out: cannot use \/proc\/metatune-x\/y as an output folder/],
	];
	for (const [path, says] of cases) {
		const error = t.throws(() => ensureOutputDir(path, '--out'), { instanceOf: InputError });
		t.regex(error?.message ?? '', says);
		t.is((error as InputError).field, 'out');
	}
});
