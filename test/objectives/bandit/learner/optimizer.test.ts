/**
 * The optimiser step sizes the meta-gradient uses (optimizer.ts `stepSizes`): alpha_i must be the
 * derivative of the update theta' - theta with respect to the gradient g_i with the second moments v
 * held fixed (Adam: with both bias corrections at the current step). Checked against a finite
 * difference of `applyUpdate` itself, in a state where v is so large that a small change of g moves it
 * by ~1e-9 of itself (the held-fixed part), at step 3, where Adam's corrections are far from 1.
 */
import test from 'ava';
import { applyUpdate, newOptimizerState, type OptimizerKind, type OptimizerState, optimizerKinds, stepSizes } from '../../../../src/objectives/bandit/learner/optimizer.js';

const size = 4;
const lr = 0.5;

function stateAtStep2(kind: OptimizerKind): OptimizerState {
	const s = newOptimizerState(kind, size);
	s.step = 2;
	for (let i = 0; i < size; i++) {
		s.m[i] = 0.01 * (i + 1);
		s.v[i] = 1 + i;
	}
	return s;
}

const copy = (s: OptimizerState): OptimizerState => ({ kind: s.kind, step: s.step, m: Float32Array.from(s.m), v: Float32Array.from(s.v) });

for (const kind of optimizerKinds) {
	test(`${kind}: stepSizes is d(theta - theta')/dg of the step just applied, v held fixed`, (t) => {
		const g = Float32Array.from({ length: size }, (_, i) => 1e-3 * (i + 1));
		const applied = copy(stateAtStep2(kind));
		applyUpdate(applied, new Float32Array(size), g, lr, 0);
		const alpha = stepSizes(applied, lr, 1, undefined, new Float32Array(size));
		for (let i = 0; i < size; i++) {
			const delta = 1e-3;
			const step = (gi: number) => {
				const theta = new Float32Array(size);
				const grad = Float32Array.from(g);
				grad[i] = gi;
				applyUpdate(copy(stateAtStep2(kind)), theta, grad, lr, 0);
				return theta[i] as number;
			};
			const fd = -(step((g[i] as number) + delta) - step((g[i] as number) - delta)) / (2 * delta);
			t.true(Math.abs((alpha[i] as number) - fd) <= 1e-3 * Math.abs(fd), `${kind} alpha[${i}] ${alpha[i]} vs finite difference ${fd}`);
		}
	});
}

const decays = { adam_beta1: 0.5, adam_beta2: 0.9, rmsprop_decay: 0.5 };

for (const kind of ['adam', 'rmsprop'] as const) {
	test(`${kind}: the decay settings are used by the step and by stepSizes`, (t) => {
		const g = Float32Array.from({ length: size }, (_, i) => 1e-3 * (i + 1));
		const withDefaults = new Float32Array(size);
		applyUpdate(copy(stateAtStep2(kind)), withDefaults, g, lr, 0);
		const stated = new Float32Array(size);
		applyUpdate(copy(stateAtStep2(kind)), stated, g, lr, 0, undefined, { adam_beta1: 0.9, adam_beta2: 0.999, rmsprop_decay: 0.99 });
		t.deepEqual(stated, withDefaults, 'the defaults are the documented constants');
		const applied = copy(stateAtStep2(kind));
		const changed = new Float32Array(size);
		applyUpdate(applied, changed, g, lr, 0, undefined, decays);
		t.notDeepEqual(changed, withDefaults);
		const alpha = stepSizes(applied, lr, 1, undefined, new Float32Array(size), decays);
		const i = 2;
		const delta = 1e-3;
		const step = (gi: number) => {
			const theta = new Float32Array(size);
			const grad = Float32Array.from(g);
			grad[i] = gi;
			applyUpdate(copy(stateAtStep2(kind)), theta, grad, lr, 0, undefined, decays);
			return theta[i] as number;
		};
		const fd = -(step((g[i] as number) + delta) - step((g[i] as number) - delta)) / (2 * delta);
		t.true(Math.abs((alpha[i] as number) - fd) <= 1e-3 * Math.abs(fd), `alpha ${alpha[i]} vs finite difference ${fd}`);
	});
}
