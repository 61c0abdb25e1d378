/**
 * The checks of an online tuner's arm (metagradient, pbt on the bandit objective) against its study:
 * the objective kind it tunes, and a space it can tune. The space is shared by all arms, so every
 * param the tuner does not tune must be fixed, and none may be conditional.
 */
import type { Space } from '../../core/space.js';
import type { OnlineTuner } from '../../tuners/tuner.js';

/** The first problem of a tuner arm fails through `fail` (field, message); nothing when it can run. */
export function checkTunerArm(tuner: OnlineTuner, arm: string, field: string, objective: string, space: Space, fail: (field: string, message: string) => never): void {
	if (tuner.objective !== objective) fail(`${field}.kind`, `${tuner.kind} tunes the ${tuner.objective} objective inside its lifetimes; it needs objective: {${tuner.objective}: ...}`);
	const tuned = tuner.tuned(space);
	for (const { name, example } of tuned) {
		if (space[name]?.type !== 'float') fail(`space.${name}`, `the ${tuner.kind} arm "${arm}" needs a float param named ${name} (the param it tunes), e.g. ${example}`);
	}
	const conditional = Object.keys(space).find((name) => space[name]?.when !== undefined);
	if (conditional !== undefined)
		fail(`space.${conditional}.when`, `the ${tuner.kind} arm "${arm}" tunes every param in every lifetime, so none can be conditional; drop when or run the ${tuner.kind} arm in its own study`);
	const problem = tuner.check(space);
	if (problem !== undefined) fail(problem.field, problem.message);
	const names = tuned.map((p) => p.name);
	for (const [name, param] of Object.entries(space)) {
		if (!names.includes(name) && param.type !== 'fixed')
			fail(
				`space.${name}`,
				`searched, but the ${tuner.kind} arm "${arm}" tunes only ${names.join(', ')} and the space is shared by all arms; fix it (${name}: {type: fixed, value: ...}) or run the ${tuner.kind} arm in its own study`,
			);
	}
}
