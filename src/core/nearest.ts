/**
 * "Did you mean": the name among `candidates` nearest to a misspelt one, by edit distance with
 * adjacent transpositions counted as one edit (optimal string alignment: `quickstrat` is one edit
 * from `quickstart`), case-insensitive. A candidate further than a third of the name's length (at
 * least 1, at most 3 edits) is not offered: a suggestion should look like a typo's fix, not a guess.
 */

/** Edit distance between `a` and `b`: insertions, deletions, substitutions and adjacent swaps each cost 1. */
export function editDistance(a: string, b: string): number {
	// rows i-2, i-1 and i of the DP table, d[i][j] = distance between a[0..i) and b[0..j)
	let before = new Array<number>(b.length + 1).fill(0);
	let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			let d = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (before[j - 2] as number) + 1);
			current.push(d);
		}
		before = previous;
		previous = current;
	}
	return previous[b.length] as number;
}

/** The candidate nearest to `name` within the typo distance, or undefined (the first in sort order on a tie). */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
	const limit = Math.min(3, Math.max(1, Math.floor(name.length / 3)));
	let best: { candidate: string; distance: number } | undefined;
	for (const candidate of [...candidates].sort()) {
		if (candidate === name) continue;
		const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
		if (distance <= limit && (best === undefined || distance < best.distance)) best = { candidate, distance };
	}
	return best?.candidate;
}
