/**
 * Seeded, splittable pseudo-random streams. No Math.random anywhere in metatune: every random draw
 * comes from an `Rng` that was passed in explicitly.
 *
 * Generator: xoshiro128** (Blackman & Vigna), 128-bit state, seeded through splitmix32 so that any
 * 32-bit integer seed gives a well-mixed state. `split(label)` derives an independent child stream
 * from the parent's seed and a label (a number or string) without advancing the parent, so
 * "the stream for trial 17" is the same whatever happened before it. Hand-written (40 lines) because
 * the hot loops (action sampling for B environments every step) need plain-number calls with no
 * allocation; pure-rand's immutable API allocates per draw.
 */

function splitmix32(state: number): () => number {
	let s = state >>> 0;
	return () => {
		s = (s + 0x9e3779b9) >>> 0;
		let z = s;
		z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
		z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
		return (z ^ (z >>> 16)) >>> 0;
	};
}

/** FNV-1a hash of a string to 32 bits, used to turn split labels into numbers. */
function hashString(text: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 0x01000193) >>> 0;
	}
	return h >>> 0;
}

export class Rng {
	readonly seed: number;
	private a: number;
	private b: number;
	private c: number;
	private d: number;
	private spareNormal: number | undefined;

	constructor(seed: number) {
		if (!Number.isFinite(seed)) throw new RangeError(`Rng seed must be a finite number, got ${seed}`);
		this.seed = Math.trunc(seed) >>> 0;
		const mix = splitmix32(this.seed);
		this.a = mix();
		this.b = mix();
		this.c = mix();
		this.d = mix();
		if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
	}

	/** Independent child stream for `label`; does not advance this stream. */
	split(label: number | string): Rng {
		const l = typeof label === 'number' ? label >>> 0 : hashString(label);
		const mix = splitmix32((this.seed ^ Math.imul(l + 0x632be5ab, 0x9e3779b1)) >>> 0);
		mix();
		return new Rng((mix() ^ hashString(`${this.seed}/${String(label)}`)) >>> 0);
	}

	/** Next 32-bit unsigned integer. */
	nextUint32(): number {
		const result = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
		const t = (this.b << 9) >>> 0;
		this.c ^= this.a;
		this.d ^= this.b;
		this.b ^= this.c;
		this.a ^= this.d;
		this.c = (this.c ^ t) >>> 0;
		this.d = rotl(this.d, 11);
		this.a >>>= 0;
		this.b >>>= 0;
		return result;
	}

	/** Uniform in [0, 1) with 53 bits of precision. */
	next(): number {
		const hi = this.nextUint32() >>> 5;
		const lo = this.nextUint32() >>> 6;
		return (hi * 67108864 + lo) / 9007199254740992;
	}

	/** Uniform in [low, high). */
	uniform(low: number, high: number): number {
		return low + (high - low) * this.next();
	}

	/** Uniform integer in [0, n). */
	int(n: number): number {
		return Math.floor(this.next() * n);
	}

	/** Standard normal (Box-Muller, caching the second draw). */
	normal(): number {
		if (this.spareNormal !== undefined) {
			const v = this.spareNormal;
			this.spareNormal = undefined;
			return v;
		}
		let u = 0;
		while (u === 0) u = this.next();
		const v = this.next();
		const r = Math.sqrt(-2 * Math.log(u));
		this.spareNormal = r * Math.sin(2 * Math.PI * v);
		return r * Math.cos(2 * Math.PI * v);
	}

	/** Gamma(shape, 1) by Marsaglia-Tsang; shape > 0. */
	gamma(shape: number): number {
		if (shape < 1) return this.gamma(shape + 1) * (this.next() || Number.MIN_VALUE) ** (1 / shape);
		const d = shape - 1 / 3;
		const c = 1 / Math.sqrt(9 * d);
		for (;;) {
			let x: number;
			let v: number;
			do {
				x = this.normal();
				v = 1 + c * x;
			} while (v <= 0);
			v = v * v * v;
			const u = this.next();
			if (u < 1 - 0.0331 * x * x * x * x) return d * v;
			if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
		}
	}

	/** Beta(a, b) via two gamma draws. */
	beta(a: number, b: number): number {
		const x = this.gamma(a);
		const y = this.gamma(b);
		return x / (x + y);
	}

	/** A fresh 31-bit seed drawn from this stream (for handing to another component). */
	seedInt(): number {
		return this.nextUint32() >>> 1;
	}
}

function rotl(x: number, k: number): number {
	return ((x << k) | (x >>> (32 - k))) >>> 0;
}
