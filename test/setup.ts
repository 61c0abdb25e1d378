/**
 * Loaded by every ava worker before its test file (package.json `ava.require`): tests compare exact
 * output, so the worker, `main()` run in it and every process it spawns write without colour,
 * whatever the shell or CI set. FORCE_COLOR goes (it would win over NO_COLOR, and Node warns on
 * stderr when both are set); tests of colour itself pass their own variables to the process they spawn.
 */
delete process.env.FORCE_COLOR;
process.env.NO_COLOR = '1';
