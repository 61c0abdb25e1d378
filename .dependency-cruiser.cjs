/**
 * The layer rule of metatune (README, Architecture): imports run one way,
 *   cli -> report, bench -> study -> objectives -> searchers, tuners -> core
 * and the heavy dependencies stay where they belong (TensorFlow.js in the bandit agent, Vega in the
 * figure renderer). `npm test` runs `depcruise`; a violation names the importing and imported file.
 */
const layer = {
	cli: '^src/(cli/|index\\.ts$)',
	report: '^src/report/',
	bench: '^src/bench/',
	study: '^src/study/',
	objectives: '^src/objectives/',
	searchers: '^searchers/',
	tuners: '^src/tuners/',
	core: '^src/core/',
};
const ours = '^(src|searchers)/';
const below = (name, allowed) => ({
	name: `${name}-layer`,
	comment: `${name} may import only ${allowed.join(', ')}`,
	severity: 'error',
	from: { path: layer[name] },
	to: { path: ours, pathNot: allowed.map((l) => layer[l]) },
});

module.exports = {
	forbidden: [
		below('core', ['core']),
		below('searchers', ['searchers', 'core']),
		below('tuners', ['tuners', 'core']),
		below('objectives', ['objectives', 'searchers', 'tuners', 'core']),
		below('study', ['study', 'objectives', 'searchers', 'tuners', 'core']),
		below('bench', ['bench', 'study', 'objectives', 'searchers', 'tuners', 'core']),
		below('report', ['report', 'study', 'objectives', 'searchers', 'tuners', 'core']),
		{
			name: 'report-reads-the-view',
			comment: 'reports read a study only through its read-only view (src/study/view.ts), never its storage or runner',
			severity: 'error',
			from: { path: layer.report },
			to: { path: layer.study, pathNot: '^src/study/view\\.ts$' },
		},
		{
			name: 'study-spec-below-journal',
			comment: 'the study file layer (spec/) does not know how studies are stored or run',
			severity: 'error',
			from: { path: '^src/study/spec/' },
			to: { path: '^src/study/(journal|run)/|^src/study/[^/]+\\.ts$' },
		},
		{
			name: 'study-journal-below-run',
			comment: 'storage (journal/) does not know how trials are run',
			severity: 'error',
			from: { path: '^src/study/journal/' },
			to: { path: '^src/study/run/|^src/study/[^/]+\\.ts$' },
		},
		{
			name: 'tfjs-only-in-the-agent',
			comment: 'only the bandit agent (src/objectives/bandit/) imports TensorFlow.js',
			severity: 'error',
			from: { pathNot: '^src/objectives/bandit/' },
			to: { path: '@tensorflow/' },
		},
		{
			name: 'vega-only-in-the-renderer',
			comment: 'only the figure renderer (src/report/plots/render.ts) imports Vega',
			severity: 'error',
			from: { pathNot: '^src/report/plots/render\\.ts$' },
			to: { path: '(^|/)node_modules/vega(-lite)?/' },
		},
		{
			name: 'no-circular',
			comment: 'modules do not import each other in a circle',
			severity: 'error',
			from: { path: ours },
			to: { circular: true },
		},
	],
	options: {
		doNotFollow: { path: 'node_modules' },
		tsPreCompilationDeps: true,
		exclude: { path: '^(dist|node_modules)/' },
	},
};
