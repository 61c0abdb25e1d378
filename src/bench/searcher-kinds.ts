/** The searchers `metatune bench searchers` compares (bench.ts); apart from bench.ts so the CLI's flag table does not load the searchers. */
export const benchSearcherKinds = ['grid', 'random', 'gp', 'tpe'] as const;
export type BenchSearcherKind = (typeof benchSearcherKinds)[number];
