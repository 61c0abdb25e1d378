/**
 * The agent's optional native kernels (native/agent-kernels.cc, a Node-API addon built best-effort by
 * `npm run build` into dist/native/agent-kernels.node): kernels.ts's GEMM, forward cell, BPTT step
 * and heads, on the kernels' WebAssembly memory in place, with the same bits as the WebAssembly
 * kernels (the same float32 and float64 operations in the same order; no fused multiply-add).
 *
 * Why: compiled AVX2 code runs them 1.2-1.6x faster than V8's code for the WebAssembly ones on the
 * development machine (docs/design-notes.md, "The agent's kernels in a native addon").
 *
 * Loaded lazily, once, when the first agent's kernels start (kernels.ts); used when it loaded and the
 * CPU has AVX2 (the addon checks), unless METATUNE_NATIVE=0. Otherwise the WebAssembly kernels run,
 * as they would without the addon.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The addon's exports (agent-kernels.cc). */
export interface NativeAddon {
	/** C = A B (acc: C += A B) on `memory`: byte offsets a, b, c; strides in floats (kernels.ts's Kernels.gemm). */
	gemm(memory: ArrayBuffer, a: number, sam: number, sak: number, b: number, ldb: number, c: number, ldc: number, m: number, k: number, n: number, acc: number): void;
	/** The forward step's sigmoid and cell (kernels.ts's Kernels.gatesCell) on `memory`: byte offsets, `first` 1 at t = 0. */
	gatesCell(memory: ArrayBuffer, z: number, cprev: number, gates: number, cell: number, tanh: number, hidden: number, batch: number, units: number, first: number): void;
	/** The backward step of the cell (kernels.ts's Kernels.bpttStep) on `memory`: byte offsets and sizes, `last` and `first` 0 or 1. */
	bpttStep(
		memory: ArrayBuffer,
		dout: number,
		n: number,
		n0: number,
		batch: number,
		outputs: number,
		hidden: number,
		w: number,
		dhNext: number,
		dcNext: number,
		gates: number,
		tanh: number,
		cell: number,
		dz: number,
		last: number,
		first: number,
	): void;
	/** The heads of a step (kernels.ts's Kernels.heads) on `memory`: byte offsets (logits 8-byte aligned) and sizes. */
	heads(memory: ArrayBuffer, hidden: number, w: number, logits: number, batch: number, units: number, outputs: number): void;
	/** The vector width in use (4 or 8 float lanes, the faster on this CPU, timed when the addon loads); `set` changes it (tests). */
	lanes(set?: 4 | 8): number;
}

/** Which products the agent's kernels run, and why not the native ones. */
export type NativeStatus =
	| { readonly kind: 'native' }
	| { readonly kind: 'off' }
	| { readonly kind: 'missing'; readonly tried: readonly string[] }
	| { readonly kind: 'no-avx2' }
	| { readonly kind: 'failed'; readonly message: string };

/** Where the build puts the addon, seen from this module in src/ (tsx) and in dist/src/ (built). */
const candidates = ['../../../../dist/native/agent-kernels.node', '../../../../native/agent-kernels.node'].map((p) => fileURLToPath(new URL(p, import.meta.url)));

let loaded: { status: NativeStatus; addon: NativeAddon | undefined } | undefined;

function load(): { status: NativeStatus; addon: NativeAddon | undefined } {
	if (process.env.METATUNE_NATIVE === '0') return { status: { kind: 'off' }, addon: undefined };
	const path = candidates.find((p) => existsSync(p));
	if (path === undefined) return { status: { kind: 'missing', tried: candidates }, addon: undefined };
	try {
		const addon = createRequire(import.meta.url)(path) as { avx2: boolean } & Partial<NativeAddon>;
		if (!addon.avx2 || addon.gemm === undefined || addon.gatesCell === undefined || addon.bpttStep === undefined || addon.heads === undefined || addon.lanes === undefined)
			return { status: { kind: 'no-avx2' }, addon: undefined };
		return { status: { kind: 'native' }, addon: { gemm: addon.gemm, gatesCell: addon.gatesCell, bpttStep: addon.bpttStep, heads: addon.heads, lanes: addon.lanes } };
	} catch (error) {
		return { status: { kind: 'failed', message: error instanceof Error ? error.message : String(error) }, addon: undefined };
	}
}

/** The native kernels when they run here (loads the addon on the first call), else undefined. */
export function nativeAddon(): NativeAddon | undefined {
	loaded ??= load();
	return loaded.addon;
}

/** Why the native kernels run or not (loads the addon on the first call). */
export function nativeStatus(): NativeStatus {
	loaded ??= load();
	return loaded.status;
}

/** Why the native kernels do not run, in a few words (for `bench agent`'s header); undefined when it runs. */
export function nativeWhyNot(): string | undefined {
	const status = nativeStatus();
	switch (status.kind) {
		case 'native':
			return undefined;
		case 'off':
			return 'METATUNE_NATIVE=0';
		case 'missing':
			return 'the native addon is not built: npm run build';
		case 'no-avx2':
			return 'this CPU has no AVX2';
		case 'failed':
			return `the native addon did not load: ${status.message}`;
	}
}
