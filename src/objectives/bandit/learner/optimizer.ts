/**
 * Optimisers over the flat parameter vector (network.ts), with global gradient-norm clipping and a
 * trainable mask (frozen elements get no update and keep their optimiser state). Plain loops over
 * ~10k parameters take ~30 us per update, far less than the ~40 tfjs kernels (4 per variable and
 * optimiser step) the tfjs optimisers would launch, and the state is a pair of Float32Arrays that
 * checkpoints store as they are.
 *
 *   adam     m = b1 m + (1-b1) g;  v = b2 v + (1-b2) g^2;
 *            theta -= lr (m / (1-b1^k)) / (sqrt(v / (1-b2^k)) + eps)     b1 0.9, b2 0.999, eps 1e-8
 *   rmsprop  v = rho v + (1-rho) g^2;  theta -= lr g / (sqrt(v) + eps)   rho 0.99, eps 1e-5
 *   (b1, b2 and rho are the agent settings adam_beta1, adam_beta2, rmsprop_decay; defaults above)
 *   sgd      theta -= lr g                                         (used by the meta-gradient tests)
 * Clipping: g <- g min(1, clip / ||g||_2) over all trainable elements (clip <= 0 disables it).
 */

export const optimizerKinds = ['adam', 'rmsprop', 'sgd'] as const;
export type OptimizerKind = (typeof optimizerKinds)[number];

/** The moment decays: b1, b2 (adam) and rho (rmsprop). */
export interface Decays {
	readonly adam_beta1: number;
	readonly adam_beta2: number;
	readonly rmsprop_decay: number;
}

const defaultDecays: Decays = { adam_beta1: 0.9, adam_beta2: 0.999, rmsprop_decay: 0.99 };

export interface OptimizerState {
	readonly kind: OptimizerKind;
	step: number;
	readonly m: Float32Array;
	readonly v: Float32Array;
}

/**
 * A class, not an object literal: V8 turns a literal into a copied boilerplate the second time it
 * runs, which generalises its fields' types and throws away the optimised applyUpdate of the first
 * lifetime in a worker when the second agent is made (a constructor's objects keep the types).
 */
class FreshOptimizerState implements OptimizerState {
	step = 0;
	readonly m: Float32Array;
	readonly v: Float32Array;
	constructor(
		readonly kind: OptimizerKind,
		size: number,
	) {
		this.m = new Float32Array(size);
		this.v = new Float32Array(size);
	}
}

export function newOptimizerState(kind: OptimizerKind, size: number): OptimizerState {
	return new FreshOptimizerState(kind, size);
}

/** Global L2 norm of the trainable part of grad. */
function gradNorm(grad: Float32Array, mask?: Uint8Array): number {
	let s = 0;
	for (let i = 0; i < grad.length; i++) {
		if (mask && mask[i] === 0) continue;
		const g = grad[i] as number;
		s += g * g;
	}
	return Math.sqrt(s);
}

/**
 * One optimiser step in place on theta. Returns the gradient norm before clipping.
 */
export function applyUpdate(state: OptimizerState, theta: Float32Array, grad: Float32Array, lr: number, clip: number, mask?: Uint8Array, decays: Decays = defaultDecays): number {
	const norm = gradNorm(grad, mask);
	const scale = clip > 0 && norm > clip ? clip / norm : 1;
	state.step += 1;
	const { m, v } = state;
	switch (state.kind) {
		case 'adam': {
			const b1 = decays.adam_beta1;
			const b2 = decays.adam_beta2;
			const c1 = 1 / (1 - b1 ** state.step);
			const c2 = 1 / (1 - b2 ** state.step);
			for (let i = 0; i < theta.length; i++) {
				if (mask && mask[i] === 0) continue;
				const g = (grad[i] as number) * scale;
				const mi = b1 * (m[i] as number) + (1 - b1) * g;
				const vi = b2 * (v[i] as number) + (1 - b2) * g * g;
				m[i] = mi;
				v[i] = vi;
				theta[i] = (theta[i] as number) - (lr * mi * c1) / (Math.sqrt(vi * c2) + 1e-8);
			}
			return norm;
		}
		case 'sgd': {
			for (let i = 0; i < theta.length; i++) {
				if (mask && mask[i] === 0) continue;
				theta[i] = (theta[i] as number) - lr * (grad[i] as number) * scale;
			}
			return norm;
		}
		case 'rmsprop': {
			const rho = decays.rmsprop_decay;
			for (let i = 0; i < theta.length; i++) {
				if (mask && mask[i] === 0) continue;
				const g = (grad[i] as number) * scale;
				const vi = rho * (v[i] as number) + (1 - rho) * g * g;
				v[i] = vi;
				theta[i] = (theta[i] as number) - (lr * g) / (Math.sqrt(vi) + 1e-5);
			}
			return norm;
		}
	}
}

/** The factor by which the last update's clipping scaled the gradient (1 when it did not). */
export function clipScale(norm: number, clip: number): number {
	return clip > 0 && norm > clip ? clip / norm : 1;
}

/**
 * Per-element step sizes alpha of the update just applied (after `applyUpdate`, same state): the
 * derivative of the update theta' - theta with respect to this step's gradient g, holding the
 * optimiser's second-moment statistics v and the clipping factor fixed (the diagonal preconditioner):
 *   sgd      alpha = lr s
 *   rmsprop  alpha = lr s / (sqrt(v) + eps)
 *   adam     alpha = lr s (1 - b1) / (1 - b1^k) / (sqrt(v / (1 - b2^k)) + eps)
 * (s = clipping factor; frozen elements get 0). Ignoring dv/dg is exact for sgd and the usual
 * first-order treatment for adaptive optimisers (Xu et al. 2018 used RMSProp the same way).
 */
export function stepSizes(state: OptimizerState, lr: number, scale: number, mask: Uint8Array | undefined, out: Float32Array, decays: Decays = defaultDecays): Float32Array {
	const { v } = state;
	for (let i = 0; i < out.length; i++) {
		if (mask && mask[i] === 0) {
			out[i] = 0;
			continue;
		}
		switch (state.kind) {
			case 'sgd':
				out[i] = lr * scale;
				break;
			case 'rmsprop':
				out[i] = (lr * scale) / (Math.sqrt(v[i] as number) + 1e-5);
				break;
			case 'adam': {
				const c1 = 1 / (1 - decays.adam_beta1 ** state.step);
				const c2 = 1 / (1 - decays.adam_beta2 ** state.step);
				out[i] = (lr * scale * (1 - decays.adam_beta1) * c1) / (Math.sqrt((v[i] as number) * c2) + 1e-8);
				break;
			}
		}
	}
	return out;
}
