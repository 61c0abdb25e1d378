/** The Mann-Whitney U test the benchmark scripts use to say whether two samples of run results differ in location. */

/** Two-sided p-value of the Mann-Whitney U test (normal approximation, average ranks for ties). */
export function mannWhitney(a: readonly number[], b: readonly number[]): number {
	const all = [...a.map((v) => ({ v, a: true })), ...b.map((v) => ({ v, a: false }))].sort((x, y) => x.v - y.v);
	let rankSumA = 0;
	for (let i = 0; i < all.length; ) {
		let j = i;
		while (j < all.length && all[j]!.v === all[i]!.v) j++;
		const rank = (i + 1 + j) / 2;
		for (let k = i; k < j; k++) if (all[k]!.a) rankSumA += rank;
		i = j;
	}
	const n1 = a.length;
	const n2 = b.length;
	const u = rankSumA - (n1 * (n1 + 1)) / 2;
	const z = (u - (n1 * n2) / 2) / Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12);
	return Math.min(1, 2 * normalTail(Math.abs(z)));
}

/** P(Z > z) for z >= 0 (Abramowitz-Stegun 7.1.26 through erfc; 1e-7 is plenty for a p-value). */
function normalTail(z: number): number {
	const x = z / Math.SQRT2;
	const t = 1 / (1 + 0.3275911 * x);
	const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
	return erfc / 2;
}
