/**
 * TensorFlow.js, loaded with `require` rather than `import`.
 *
 * Why: tfjs's packages are CommonJS bundles (about 2 MB for core and the two backends). An ESM
 * `import` of a CommonJS file makes Node scan its whole source for export names (cjs-module-lexer)
 * and detect its format, on every import and in every worker thread; `require` runs the file without
 * either. Measured in a fresh worker thread (Node 20, dist): importing core, cpu and wasm took ~260 ms
 * of the thread's CPU and 0.8-1.0 s of wall, requiring them ~70 ms and ~0.1 s. Each worker of a run
 * loads tfjs once, so this is start-up paid per lane (docs/design-notes.md, "Parallel lifetimes").
 *
 * The rest of the agent imports tfjs from here; loading this module registers the wasm backend, and
 * `registerCpuBackend` the cpu one.
 */
import { createRequire } from 'node:module';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfCpu from '@tensorflow/tfjs-backend-cpu';
import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';

const load = createRequire(import.meta.url);

export const tf = load('@tensorflow/tfjs-core') as typeof TfCore;
// Types of tfjs used by name elsewhere (`tf.Tensor2D`), next to the value.
export declare namespace tf {
	type Tensor2D = TfCore.Tensor2D;
}

/**
 * Register the cpu backend (its ~0.5 MB bundle costs a worker ~15 ms of start-up, so it is loaded only
 * when `cpu` is tried: backend.ts). Idempotent: `require` runs the bundle once per thread.
 */
export function registerCpuBackend(): void {
	load('@tensorflow/tfjs-backend-cpu') as typeof TfCpu; // the type names the dependency for knip
}
/** The wasm backend (registered on loading) and its settings. */
export const tfWasm = load('@tensorflow/tfjs-backend-wasm') as typeof TfWasm;
