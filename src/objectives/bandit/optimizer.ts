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
 * Clipping: g <- g min(1, clip / ||g||_2) over all trainable elements (clip <= 0 disables it).
 */

export const optimizerKinds = ['adam', 'rmsprop'] as const;
export type OptimizerKind = (typeof optimizerKinds)[number];

export interface OptimizerState {
	readonly kind: OptimizerKind;
	step: number;
	readonly m: Float32Array;
	readonly v: Float32Array;
}

export function newOptimizerState(kind: OptimizerKind, size: number): OptimizerState {
	return { kind, step: 0, m: new Float32Array(size), v: new Float32Array(size) };
}

/** Global L2 norm of the trainable part of grad. */
export function gradNorm(grad: Float32Array, mask?: Uint8Array): number {
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
export function applyUpdate(state: OptimizerState, theta: Float32Array, grad: Float32Array, lr: number, clip: number, mask?: Uint8Array): number {
	const norm = gradNorm(grad, mask);
	const scale = clip > 0 && norm > clip ? clip / norm : 1;
	state.step += 1;
	const { m, v } = state;
	switch (state.kind) {
		case 'adam': {
			const b1 = 0.9;
			const b2 = 0.999;
			const c1 = 1 / (1 - Math.pow(b1, state.step));
			const c2 = 1 / (1 - Math.pow(b2, state.step));
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
		case 'rmsprop': {
			const rho = 0.99;
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
