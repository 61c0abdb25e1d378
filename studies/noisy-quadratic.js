// A user-module objective for metatune: a noisy quadratic in the discount, peaked at gamma = 0.8.
// Study files point at it with `objective: {module: ./noisy-quadratic.js}`; metatune calls the
// default export once per lifetime with the trial's params and a context carrying the lifetime seed.
// Returning an object logs every field; `value` is what the study optimises.

/** Small seeded generator (mulberry32) so a lifetime's noise depends only on its seed. */
function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export default async function noisyQuadratic(params, context) {
	const gamma = Number(params.gamma);
	const lr = params.lr === undefined ? 1e-3 : Number(params.lr);
	const rand = mulberry32(context.seed);
	const noise = (rand() - 0.5) * 0.2;
	const delayMs = Number(process.env.METATUNE_EXAMPLE_DELAY_MS ?? 0);
	if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
	const lifetimeReturn = 10 - 50 * (gamma - 0.8) ** 2 - 0.5 * Math.abs(Math.log10(lr) + 3) + noise;
	return {
		value: lifetimeReturn,
		lifetime_return: lifetimeReturn,
		final_return: lifetimeReturn + 0.5,
		env_steps: 1000,
		backend: 'js',
	};
}
