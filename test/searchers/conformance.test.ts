import { conformance, multiObjectiveConformance } from './conformance.js';

conformance('grid', { kind: 'grid', points: 4, seed: 0, shuffle: true }, { budget: 20 });
conformance('random', { kind: 'random', seed: 0 }, { budget: 30 });
conformance('gp', { kind: 'gp', seed: 0, n_startup: 4, acquisition: 'log_ei', ucb_beta: 2 }, { budget: 10 });
conformance('gp (ucb)', { kind: 'gp', seed: 0, n_startup: 4, acquisition: 'ucb', ucb_beta: 2 }, { budget: 8 });
conformance('tpe', { kind: 'tpe', seed: 0, n_startup: 4, multivariate: true, constant_liar: true, n_ei_candidates: 24, prior_weight: 1 }, { budget: 14 });
conformance('tpe (independent, no liar)', { kind: 'tpe', seed: 0, n_startup: 4, multivariate: false, constant_liar: false, n_ei_candidates: 24, prior_weight: 1 }, { budget: 14 });

multiObjectiveConformance('grid', { kind: 'grid', points: 4, seed: 0, shuffle: true }, { budget: 12, ignoresValues: true });
multiObjectiveConformance('random', { kind: 'random', seed: 0 }, { budget: 12, ignoresValues: true });
multiObjectiveConformance('gp', { kind: 'gp', seed: 0, n_startup: 4, acquisition: 'log_ei', ucb_beta: 2 }, { budget: 8, ignoresValues: false });
multiObjectiveConformance('tpe', { kind: 'tpe', seed: 0, n_startup: 4, multivariate: true, constant_liar: true, n_ei_candidates: 24, prior_weight: 1 }, { budget: 14, ignoresValues: false });
