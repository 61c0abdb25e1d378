/**
 * The layer rule of metatune (README, Architecture): imports run one way,
 *   cli -> serve -> report, bench -> study -> objectives, tuners -> searchers -> core
 * and inside the bandit agent: objective (src/objectives/bandit/*.ts) -> lifetimes/ -> learner/ -> bandits/,
 * and the heavy dependencies stay where they belong (TensorFlow.js in the bandit agent's learner, Vega in the
 * figure renderer). The docs generators (docs/*.ts) sit above everything. `npm test` runs `depcruise`; a violation names the importing and imported file.
 */
const layer = {
	cli: '^src/(cli/|index\\.ts$)',
	serve: '^src/serve/',
	report: '^src/report/',
	bench: '^src/bench/',
	study: '^src/study/',
	objectives: '^src/objectives/',
	searchers: '^searchers/',
	tuners: '^src/tuners/',
	core: '^src/core/',
};
const ours = '^(src|searchers|docs)/';
const below = (name, allowed) => ({
	name: `${name}-layer`,
	comment: `${name} may import only ${allowed.join(', ')}`,
	severity: 'error',
	from: { path: layer[name] },
	to: { path: ours, pathNot: allowed.map((l) => layer[l]) },
});

module.exports = {
	forbidden: [
		{
			name: 'docs-on-top',
			comment: 'the docs generators (docs/*.ts) read the code; no code imports them',
			severity: 'error',
			from: { path: '^(src|searchers)/' },
			to: { path: '^docs/' },
		},
		below('core', ['core']),
		below('searchers', ['searchers', 'core']),
		below('tuners', ['tuners', 'searchers', 'core']),
		below('objectives', ['objectives', 'searchers', 'tuners', 'core']),
		below('study', ['study', 'objectives', 'searchers', 'tuners', 'core']),
		below('bench', ['bench', 'study', 'objectives', 'searchers', 'tuners', 'core']),
		below('report', ['report', 'study', 'objectives', 'searchers', 'tuners', 'core']),
		below('serve', ['serve', 'report', 'study', 'objectives', 'searchers', 'tuners', 'core']),
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
			name: 'bandit-bandits-below-the-agent',
			comment: 'the bandits and their reference policies (bandit/bandits/) know nothing of the agent that plays them',
			severity: 'error',
			from: { path: '^src/objectives/bandit/bandits/' },
			to: { path: '^src/objectives/bandit/', pathNot: '^src/objectives/bandit/bandits/' },
		},
		{
			name: 'bandit-learner-below-the-lifetimes',
			comment: 'the A2C-LSTM learner (bandit/learner/) does not know the lifetimes that train it, nor the objective',
			severity: 'error',
			from: { path: '^src/objectives/bandit/learner/' },
			to: { path: '^src/objectives/bandit/(lifetimes/|[^/]+$)' },
		},
		{
			name: 'bandit-lifetimes-below-the-objective',
			comment: 'the lifetimes (bandit/lifetimes/) do not know the study objective, its settings or recipes (bandit/*.ts)',
			severity: 'error',
			from: { path: '^src/objectives/bandit/lifetimes/' },
			to: { path: '^src/objectives/bandit/[^/]+$' },
		},
		{
			name: 'tfjs-only-in-the-learner',
			comment: "only the bandit agent's learner (src/objectives/bandit/learner/) imports TensorFlow.js",
			severity: 'error',
			from: { pathNot: '^src/objectives/bandit/learner/' },
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
		exclude: { path: '^dist/' },
	},
};
