import { conformance } from './conformance.js';

conformance('grid', { kind: 'grid', points: 4, seed: 0, shuffle: true }, { budget: 20 });
conformance('random', { kind: 'random', seed: 0 }, { budget: 30 });
conformance('gp', { kind: 'gp', seed: 0, n_startup: 4, acquisition: 'log_ei', ucb_beta: 2 }, { budget: 10 });
conformance('gp (ucb)', { kind: 'gp', seed: 0, n_startup: 4, acquisition: 'ucb', ucb_beta: 2 }, { budget: 8 });
