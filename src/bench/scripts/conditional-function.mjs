/**
 * A small conditional test function for `metatune bench searchers --module` (minimised, minimum 0):
 * how the searchers do when part of the space exists only under a choice.
 *
 *   metatune bench searchers --module src/bench/scripts/conditional-function.mjs \
 *     --functions conditional5 --searchers random,gp --budget 60 --seeds 30
 *
 * Notation (5 searchable params, at most 4 active at once)
 *   branch   categorical a | b | c
 *   s        float [0, 1], always active: adds 2 (s - 0.3)^2
 *   a: x, y  floats [0, 1] (only under a):     1 + 4 ((x - 0.2)^2 + (y - 0.7)^2)    (branch minimum 1)
 *   b: z, n  float [-2, 2], int 1..5 (under b): (z - 0.5)^2 + 0.1 (n - 3)^2          (the global minimum 0)
 *   c:       no params of its own:              0.8
 * f = branch value + 2 (s - 0.3)^2; minimum 0 at branch b, z = 0.5, n = 3, s = 0.3. Branch c is a
 * decoy that random search finds good enough a third of the time.
 */
export default [
	{
		name: 'conditional5',
		space: {
			branch: { type: 'categorical', choices: ['a', 'b', 'c'] },
			s: { type: 'float', low: 0, high: 1 },
			x: { type: 'float', low: 0, high: 1, when: { branch: 'a' } },
			y: { type: 'float', low: 0, high: 1, when: { branch: 'a' } },
			z: { type: 'float', low: -2, high: 2, when: { branch: 'b' } },
			n: { type: 'int', low: 1, high: 5, when: { branch: 'b' } },
		},
		evaluate(p) {
			const shared = 2 * (p.s - 0.3) ** 2;
			switch (p.branch) {
				case 'a':
					return 1 + 4 * ((p.x - 0.2) ** 2 + (p.y - 0.7) ** 2) + shared;
				case 'b':
					return (p.z - 0.5) ** 2 + 0.1 * (p.n - 3) ** 2 + shared;
				default:
					return 0.8 + shared;
			}
		},
		minimum: 0,
	},
];
