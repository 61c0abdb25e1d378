/**
 * What `metatune init` writes: a study file and a toy objective, in JavaScript (a module objective)
 * or Python (a command objective, standard library only). String constants rather than files, so
 * they ship inside dist/. The objective's score peaks at lr = 0.01, layers = 2, activation = tanh
 * and climbs over 20 steps, each reported, so a newcomer's first run shows the table, the chosen
 * params and (in `metatune report`) the learning curves within a few seconds.
 */

export const objectiveKinds = ['js', 'python'] as const;
export type ObjectiveKind = (typeof objectiveKinds)[number];

/** One file `init` writes: its name in the target folder and its text. */
export interface InitFile {
	readonly name: string;
	readonly text: string;
}

const schemaLine = '# yaml-language-server: $schema=node_modules/metatune/studies/study.schema.json';

/** The objective file of each kind (`.mjs`: an ES module even in a package.json of "type": "commonjs", which `npm init` writes). */
const objectiveFileName: Record<ObjectiveKind, string> = { js: 'objective.mjs', python: 'train.py' };

const objectiveLines: Record<ObjectiveKind, string> = {
	js: `objective:
  module: ./objective.mjs             # relative to this file`,
	python: `objective:                            # a program per lifetime; {name} is the param's value
  command: [python3, train.py, --lr, "{lr}", --layers, "{layers}", --activation, "{activation}", --seed, "{seed}"]`,
};

export function studyFile(name: string, kind: ObjectiveKind): InitFile {
	const objective = objectiveFileName[kind];
	return {
		name: `${name}.yaml`,
		text: `${schemaLine}
# Which settings of ${objective} give the highest value? Two searchers (arms) compete with 12
# lifetimes (training runs) each; each arm's best settings are then re-run on 3 fresh seeds.
#   npx metatune run ${name}.yaml    (results in results/${name}/; run it again to resume)
name: ${name}
${objectiveLines[kind]}
metric: value                         # the field of the result to optimise
direction: maximize
space:                                # the params ${objective} gets
  lr: { type: float, low: 0.0001, high: 1, log: true }
  layers: { type: int, low: 1, high: 4 }
  activation: { type: categorical, choices: [relu, tanh] }
searchers:
  - { kind: random, seed: 0 }
  - { kind: gp, seed: 0 }             # Gaussian-process (Bayesian) search
budget: 12                            # lifetimes per searcher
reevaluate: 3                         # fresh-seed re-runs of each searcher's choice
`,
	};
}

const objectiveTexts: Record<ObjectiveKind, string> = {
	js: `// The objective metatune tunes: called once per lifetime (one training run) with the params the
// searcher chose, e.g. {lr: 0.01, layers: 2, activation: 'tanh'}, and a context. Replace the toy
// score below with your own training loop.
export default async function objective(params, context) {
	const ceiling = 10 - (Math.log10(params.lr) + 2) ** 2 - (params.layers - 2) ** 2 + (params.activation === 'tanh' ? 0.5 : 0);
	const noise = 0.1 * Math.sin(context.seed); // seed your randomness with context.seed: same seed, same result
	let score = 0;
	for (let step = 1; step <= 20; step++) {
		score = ceiling * (1 - Math.exp(-step / 5)) + noise;
		// report progress; true means the study's pruner stopped this lifetime early
		if (await context.report?.(step, score)) break;
	}
	return { value: score }; // the study's metric; other fields returned here are logged too
}
`,
	python: `#!/usr/bin/env python3
# The objective metatune tunes: it runs this program once per lifetime (one training run), e.g.
#   python3 train.py --lr 0.01 --layers 2 --activation tanh --seed 7
# and reads its stdout, one JSON object a line (print logs to stderr). Replace the toy score below
# with your own training loop.
import argparse, json, math, random

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float)
parser.add_argument("--layers", type=int)
parser.add_argument("--activation")
parser.add_argument("--seed", type=int)  # seed your randomness with it: same seed, same result
args = parser.parse_args()

rng = random.Random(args.seed)
ceiling = 10 - (math.log10(args.lr) + 2) ** 2 - (args.layers - 2) ** 2 + (0.5 if args.activation == "tanh" else 0)
for step in range(1, 21):
    score = ceiling * (1 - math.exp(-step / 5)) + rng.gauss(0, 0.1)
    print(json.dumps({"step": step, "value": score}), flush=True)  # progress; a pruner may stop it here
print(json.dumps({"value": score}))  # the final result: the study's metric
`,
};

export function objectiveFile(kind: ObjectiveKind): InitFile {
	return { name: objectiveFileName[kind], text: objectiveTexts[kind] };
}
