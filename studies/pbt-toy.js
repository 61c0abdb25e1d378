// A module objective that checkpoints, for a pbt arm (studies/pbt-toy-module.yaml): a toy training
// run whose progress per step is best at lr = 0.5. Each lifetime is one segment of a population
// member: it restores the state it continues from (undefined at a fresh start), trains, saves its
// state and reports; the report at or past context.checkpoint.end answers true (the segment ends).
export default async function toy(params, context) {
	const state = context.checkpoint?.restore() ?? { step: 0, w: 0 };
	const steps = 200;
	while (state.step < steps) {
		state.step += 10;
		state.w += 10 * (params.lr - params.lr * params.lr);
		if (state.step === steps) break; // the last step: the final value, no checkpoint needed
		context.checkpoint?.save(state); // JSON; a Uint8Array is saved as bytes
		if (await context.report?.(state.step, state.w)) return { value: state.w };
	}
	return { value: state.w };
}
