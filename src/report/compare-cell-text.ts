/**
 * How a comparison cell writes its values: numbers at a few significant digits, a mean with its 95%
 * CI (the value alone when n = 1), and the chosen configuration in its study's own form (the
 * labelled param's value alone, else `name=value, ...`). The rows (compare.ts) and the table
 * (compare-format.ts) both write cells this way, so the two agree to the character.
 */
import { type Params, paramsText, paramValueText } from '../core/space.js';
import type { MeanCi } from '../core/stats.js';

/** The chosen configuration's searched params; a param inactive in it (absent) is left out. */
export function paramsCell(searched: readonly string[], labelled: boolean, chosen: Params | undefined): string {
	if (chosen === undefined || searched.length === 0) return '-';
	const present = searched.filter((name) => chosen[name] !== undefined);
	return labelled ? paramValueText(chosen[searched[0] as string] ?? '-') : paramsText(Object.fromEntries(present.map((name) => [name, chosen[name]])));
}

/** A tuner arm's chosen cell: each tuned param's final values, mean and 95% CI, marked "(final)". */
export function tunedCell(searched: readonly string[], labelled: boolean, finals: Readonly<Record<string, MeanCi>>): string {
	const names = Object.keys(finals);
	const only = names.length === 1 ? names[0] : undefined;
	if (labelled && only !== undefined && only === searched[0]) return `${ciText(finals[only] as MeanCi, 3)} (final)`;
	return `${names.map((n) => `${n}=${ciText(finals[n] as MeanCi, 3)}`).join(', ')} (final)`;
}

/** A number at `digits` significant digits, '-' for none (the table's cells and chosen_text). */
export const num = (x: number | undefined, digits = 4) => (x === undefined ? '-' : String(Number(x.toPrecision(digits))));

/** A mean with its 95% CI, or the value alone when n = 1. */
export function ciText(ci: MeanCi, digits?: number): string {
	return ci.n === 1 ? num(ci.mean, digits) : `${num(ci.mean, digits)} [${num(ci.low, digits)}, ${num(ci.high, digits)}]`;
}
