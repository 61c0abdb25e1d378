import test from 'ava';
import { editDistance, nearest } from '../../src/core/nearest.js';

test('edit distance counts insertions, deletions, substitutions and adjacent swaps as one edit each', (t) => {
	t.is(editDistance('quickstrat', 'quickstart'), 1);
	t.is(editDistance('kitten', 'sitting'), 3);
	t.is(editDistance('', 'abc'), 3);
	t.is(editDistance('abc', 'abc'), 0);
	t.is(editDistance('results', 'reslts'), 1);
});

test('nearest offers a typo fix, not a guess: within a third of the name (1 to 3 edits), case-insensitive, first in order on a tie', (t) => {
	t.is(nearest('quickstrat', ['discount-comparison', 'quickstart']), 'quickstart');
	t.is(nearest('Quickstart', ['quickstart']), 'quickstart');
	t.is(nearest('quickstart', ['quickstart']), undefined, 'the name itself is no suggestion');
	t.is(nearest('xyz', ['quickstart']), undefined);
	t.is(nearest('abcdef', ['abcxyz']), undefined, '3 edits in 6 letters is too far');
	t.is(nearest('abcdef', ['abcdxy', 'abcdyx']), 'abcdxy');
});
