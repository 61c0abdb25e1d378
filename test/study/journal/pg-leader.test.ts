/**
 * Which socket folder a process electing a leader removes for a killed leader's entry
 * (journal/pg-leader.ts): only a leader's own folder directly in the temp folder, whatever path an
 * entry in the database holds.
 */
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import test from 'ava';
import { leftSocketFolder, socketFolderPrefix } from '../../../src/study/journal/pg-leader.js';

test('a killed leader socket folder in the temp folder is removed; no other path is', (t) => {
	const folder = join(resolve(tmpdir()), `${socketFolderPrefix}abc123`);
	t.is(leftSocketFolder(join(folder, 'leader.sock')), folder);
	t.is(leftSocketFolder(join(tmpdir(), 'deeper', `${socketFolderPrefix}abc123`, 'leader.sock')), undefined);
	t.is(leftSocketFolder(`/home/someone/${socketFolderPrefix}x/leader.sock`), undefined);
	t.is(leftSocketFolder(join(tmpdir(), `${socketFolderPrefix}x`, '..', '..', 'etc', 'leader.sock')), undefined);
	t.is(leftSocketFolder(join(tmpdir(), 'other', 'leader.sock')), undefined);
});
