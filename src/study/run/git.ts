/** The git commit of the working directory's repository, if any (logged with every lifetime). */
import { execFileSync } from 'node:child_process';

export function gitCommit(cwd = process.cwd()): string | undefined {
	try {
		const out = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 })
			.toString()
			.trim();
		if (out === '') return undefined;
		const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 })
			.toString()
			.trim();
		return dirty === '' ? out : `${out}-dirty`;
	} catch {
		return undefined;
	}
}
