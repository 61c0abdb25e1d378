/**
 * Summary statistics for the comparison table: mean and a 95% confidence interval of the mean,
 * mean +- t_{0.975, n-1} * s / sqrt(n) (Student t; s the sample standard deviation); and the chunk
 * means that shorten a learning curve (logged by the bandit objective, drawn by the reports).
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';

/** t_{0.975, df} for df = 1..30; beyond that the normal 1.96 is within 2%. */
const t975 = [
	12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045,
	2.042,
];

/** The 97.5% quantile of Student's t with df degrees of freedom (table to 30, then within 2%). */
export function tQuantile975(df: number): number {
	return df >= 1 && df <= 30 ? (t975[df - 1] as number) : df <= 60 ? 2.0 : df <= 120 ? 1.98 : 1.96;
}

export interface MeanCi {
	readonly mean: number;
	readonly low: number;
	readonly high: number;
	readonly n: number;
}

/** Mean and 95% CI; with one value there is no interval: low = high = mean and n = 1 (tables then show the value alone). */
export function meanCi(values: readonly number[]): MeanCi | undefined {
	if (values.length === 0) return undefined;
	const m = mean(values as number[]);
	if (values.length === 1) return { mean: m, low: m, high: m, n: 1 };
	const half = (tQuantile975(values.length - 1) * sampleStandardDeviation(values as number[])) / Math.sqrt(values.length);
	return { mean: m, low: m - half, high: m + half, n: values.length };
}

/** Mean of consecutive chunks so that at most `points` values remain. */
export function downsample(xs: ArrayLike<number>, points: number): number[] {
	if (points <= 0) return [];
	const n = xs.length;
	if (n <= points) return Array.from(xs);
	const out: number[] = [];
	for (let i = 0; i < points; i++) {
		const from = Math.floor((i * n) / points);
		const to = Math.floor(((i + 1) * n) / points);
		let s = 0;
		for (let j = from; j < to; j++) s += xs[j] as number;
		out.push(s / Math.max(1, to - from));
	}
	return out;
}
