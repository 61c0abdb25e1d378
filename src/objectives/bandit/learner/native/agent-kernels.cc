// The agent's kernels as an optional Node-API addon (native-kernels.ts loads it;
// src/bench/scripts/build-native.mjs builds it): the GEMM (gemm.h), the forward step's sigmoid and
// cell (gates-cell.h), the cell's backward step (bptt-step.h) and the heads (heads.h), each the same
// floating-point operations in the same order as the agent's WebAssembly kernels (kernels.wat), so
// the same bits. They work in place on the agent's WebAssembly memory (kernels.ts): each call passes
// that memory's ArrayBuffer and byte offsets, and this glue checks that every operand lies inside it.
//
// Only the kernels are compiled for AVX2 (the pragma below); the module's start-up and the Node-API
// glue are not, so loading on a CPU without AVX2 runs no AVX instruction: there the addon exports
// `avx2: false` and no kernels. The GEMM's vector width (4 or 8 float lanes) is the faster of the
// two on this CPU, timed when the addon loads (`calibrate`).
#include <node_api.h>

#include <immintrin.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

namespace {

#pragma GCC push_options
#pragma GCC target("avx2")

#include "gemm.h"
#include "bptt-step.h"
#include "gates-cell.h"
#include "heads.h"
#pragma GCC pop_options

bool hasAvx2() {
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx2");
}

using GemmFn = void (*)(const float*, std::ptrdiff_t, std::ptrdiff_t, const float*, std::ptrdiff_t, float*, std::ptrdiff_t, int, int, int, bool);

// the vector width the products run at: 4 or 8 lanes (`lanes`, chosen by `calibrate`); one for the
// process, whose worker threads each load the addon (either value gives the same bits)
std::atomic<int> lanes{4};

GemmFn widthGemm() { return lanes.load(std::memory_order_relaxed) == 8 ? gemm8 : gemm4; }

// The faster width on this CPU, timed on the forward product's shape (64 x 55 x 192), alternated, best
// of 15 each (~3 ms): 8 lanes where the CPU has 256-bit units, 4 where it splits 256-bit operations
// in two (AMD Zen 1, where the 8-lane tiles were 1.3x slower). Both give the same bits.
int calibrate() {
	constexpr int M = 64, K = 55, N = 192;
	const std::unique_ptr<float[]> a(new float[M * K]), b(new float[K * N]), c(new float[M * N]);
	for (int i = 0; i < M * K; i++) a[i] = static_cast<float>(i % 7) - 3.0f;
	for (int i = 0; i < K * N; i++) b[i] = static_cast<float>(i % 5) - 2.0f;
	double best[2] = {1e30, 1e30};
	for (int round = 0; round < 15; round++)
		for (int w = 0; w < 2; w++) {
			const auto t0 = std::chrono::steady_clock::now();
			(w == 0 ? gemm4 : gemm8)(a.get(), K, 1, b.get(), N, c.get(), N, M, K, N, false);
			const double dt = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
			if (dt < best[w]) best[w] = dt;
		}
	return best[1] < best[0] ? 8 : 4;
}

// region ends are computed in 128 bits: sizes up to INT32_MAX multiplied together wrap 64
using wide = __int128;

napi_value fail(napi_env env, const char* message) {
	napi_throw_range_error(env, nullptr, message);
	return nullptr;
}

// A kernel's call: the memory's bytes and `count` integers after it, each in 0 .. INT32_MAX; false
// after throwing a RangeError that names the kernel (`name`) when any of that does not hold.
bool readCall(napi_env env, napi_callback_info info, const char* name, size_t count, void** data, size_t* length, int64_t* v) {
	napi_value args[16];  // the longest call, bpttStep's
	size_t argc = 16;
	const auto refuse = [&](const std::string& what) {
		fail(env, (std::string(name) + ": " + what).c_str());
		return false;
	};
	if (napi_get_cb_info(env, info, &argc, args, nullptr, nullptr) != napi_ok || argc != count + 1) return refuse("expected " + std::to_string(count + 1) + " arguments");
	if (napi_get_arraybuffer_info(env, args[0], data, length) != napi_ok) return refuse("the first argument is not an ArrayBuffer");
	for (size_t i = 0; i < count; i++) {
		if (napi_get_value_int64(env, args[i + 1], &v[i]) != napi_ok) return refuse("an argument is not a number");
		if (v[i] < 0 || v[i] > INT32_MAX) return refuse("an offset, stride or size is negative or too large");
	}
	return true;
}

// gemm(memory: ArrayBuffer, a, sam, sak, b, ldb, c, ldc, M, K, N, acc): a, b, c byte offsets
// (multiples of 4), strides in floats (as kernels.ts's Kernels.gemm passes them to kernels.wat)
napi_value GemmCall(napi_env env, napi_callback_info info) {
	void* data = nullptr;
	size_t length = 0;
	int64_t v[11];
	if (!readCall(env, info, "gemm", 11, &data, &length, v)) return nullptr;
	const int64_t pa = v[0], sam = v[1], sak = v[2], pb = v[3], ldb = v[4], pc = v[5], ldc = v[6], M = v[7], K = v[8], N = v[9], acc = v[10];
	if ((pa | pb | pc) % 4 != 0) return fail(env, "gemm: a byte offset is not a multiple of 4");
	if (M > 0 && N > 0) {
		// the last float each operand touches lies inside the memory
		const int64_t floats = static_cast<int64_t>(length / 4);
		const bool inside = (K == 0 || wide(pa / 4) + wide(M - 1) * sam + wide(K - 1) * sak < floats) && (K == 0 || wide(pb / 4) + wide(K - 1) * ldb + N - 1 < floats) &&
			wide(pc / 4) + wide(M - 1) * ldc + N - 1 < floats;
		if (!inside) return fail(env, "gemm: an operand runs past the end of the memory");
		float* base = static_cast<float*>(data);
		widthGemm()(base + pa / 4, sam, sak, base + pb / 4, ldb, base + pc / 4, ldc, static_cast<int>(M), static_cast<int>(K), static_cast<int>(N), acc != 0);
	}
	return nullptr;
}

// gatesCell(memory: ArrayBuffer, z, cprev, gates, cell, tanh, hidden, B, H, first): byte offsets
// (multiples of 4; cprev unread when first), as kernels.ts's Kernels.gatesCell passes them to kernels.wat
napi_value GatesCellCall(napi_env env, napi_callback_info info) {
	void* data = nullptr;
	size_t length = 0;
	int64_t v[9];
	if (!readCall(env, info, "gatesCell", 9, &data, &length, v)) return nullptr;
	const int64_t B = v[6], H = v[7];
	const bool first = v[8] != 0;
	const int64_t floats = static_cast<int64_t>(length / 4);
	// each region: its offset, its floats
	const wide extent[6] = {wide(4) * B * H, first ? 0 : wide(B) * H, wide(4) * B * H, wide(B) * H, wide(B) * H, wide(B) * H};
	for (int i = 0; i < 6; i++) {
		if (v[i] % 4 != 0) return fail(env, "gatesCell: a byte offset is not a multiple of 4");
		if (wide(v[i] / 4) + extent[i] > floats) return fail(env, "gatesCell: a region runs past the end of the memory");
	}
	float* base = static_cast<float*>(data);
	cell::gatesCell(base + v[0] / 4, base + v[1] / 4, base + v[2] / 4, base + v[3] / 4, base + v[4] / 4, base + v[5] / 4, static_cast<int>(B), static_cast<int>(H), first);
	return nullptr;
}

// bpttStep(memory: ArrayBuffer, dout, N, n0, B, K1, H, w, dhn, dcn, gates, tanh, cell, dz, last, first):
// byte offsets (multiples of 4) and sizes, as kernels.ts's Kernels.bpttStep passes them to kernels.wat
napi_value BpttStepCall(napi_env env, napi_callback_info info) {
	void* data = nullptr;
	size_t length = 0;
	int64_t v[15];
	if (!readCall(env, info, "bpttStep", 15, &data, &length, v)) return nullptr;
	const int64_t dout = v[0], N = v[1], n0 = v[2], B = v[3], K1 = v[4], H = v[5], w = v[6], dhn = v[7], dcn = v[8], gates = v[9], tanh = v[10], cell = v[11], dz = v[12];
	const bool last = v[13] != 0, first = v[14] != 0;
	if (n0 + B > N || (!first && n0 < B)) return fail(env, "bpttStep: rows n0 .. n0 + B - 1 (and the step before unless first) are not within the N rows");
	const int64_t floats = static_cast<int64_t>(length / 4);
	// each region: its byte offset, its floats
	const wide region[8][2] = {{dout, wide(K1) * N}, {w, wide(K1) * H}, {dhn, last ? 0 : wide(B) * H}, {dcn, wide(B) * H}, {gates, wide(4) * N * H}, {tanh, wide(N) * H}, {cell, wide(N) * H}, {dz, wide(4) * N * H}};
	for (const auto& r : region) {
		if (r[0] % 4 != 0) return fail(env, "bpttStep: a byte offset is not a multiple of 4");
		if (r[0] / 4 + r[1] > floats) return fail(env, "bpttStep: a region runs past the end of the memory");
	}
	float* base = static_cast<float*>(data);
	bptt::step(base + dout / 4, static_cast<int>(N), static_cast<int>(n0), static_cast<int>(B), static_cast<int>(K1), static_cast<int>(H), base + w / 4, base + dhn / 4, base + dcn / 4, base + gates / 4, base + tanh / 4,
		base + cell / 4, base + dz / 4, last, first);
	return nullptr;
}

// heads(memory: ArrayBuffer, hid, w, out, B, H, K1): byte offsets (out 8-byte aligned), as kernels.ts's
// Kernels.heads passes them to kernels.wat
napi_value HeadsCall(napi_env env, napi_callback_info info) {
	void* data = nullptr;
	size_t length = 0;
	int64_t v[6];
	if (!readCall(env, info, "heads", 6, &data, &length, v)) return nullptr;
	const int64_t hid = v[0], w = v[1], out = v[2], B = v[3], H = v[4], K1 = v[5];
	if (hid % 4 != 0 || w % 4 != 0 || out % 8 != 0) return fail(env, "heads: a byte offset is not aligned");
	const int64_t bytes = static_cast<int64_t>(length);
	if (wide(hid) + wide(4) * B * H > bytes || wide(w) + wide(4) * K1 * (H + 1) > bytes || wide(out) + wide(8) * B * K1 > bytes) return fail(env, "heads: a region runs past the end of the memory");
	char* base = static_cast<char*>(data);
	heads::step(reinterpret_cast<const float*>(base + hid), reinterpret_cast<const float*>(base + w), reinterpret_cast<double*>(base + out), static_cast<int>(B), static_cast<int>(H), static_cast<int>(K1));
	return nullptr;
}

// lanes(n?): sets the width when n is 4 or 8 (tests run both), returns the width in use
napi_value LanesCall(napi_env env, napi_callback_info info) {
	size_t argc = 1;
	napi_value arg;
	napi_get_cb_info(env, info, &argc, &arg, nullptr, nullptr);
	if (argc == 1) {
		int32_t n = 0;
		if (napi_get_value_int32(env, arg, &n) != napi_ok || (n != 4 && n != 8)) return fail(env, "lanes: expected 4 or 8");
		lanes.store(n, std::memory_order_relaxed);
	}
	napi_value out;
	napi_create_int32(env, lanes.load(std::memory_order_relaxed), &out);
	return out;
}

napi_value Init(napi_env env, napi_value exports) {
	const bool avx2 = hasAvx2();
	napi_value flag;
	napi_get_boolean(env, avx2, &flag);
	napi_set_named_property(env, exports, "avx2", flag);
	if (avx2) {
		lanes.store(calibrate(), std::memory_order_relaxed);
		napi_value fn;
		napi_create_function(env, "gemm", NAPI_AUTO_LENGTH, GemmCall, nullptr, &fn);
		napi_set_named_property(env, exports, "gemm", fn);
		napi_create_function(env, "gatesCell", NAPI_AUTO_LENGTH, GatesCellCall, nullptr, &fn);
		napi_set_named_property(env, exports, "gatesCell", fn);
		napi_create_function(env, "bpttStep", NAPI_AUTO_LENGTH, BpttStepCall, nullptr, &fn);
		napi_set_named_property(env, exports, "bpttStep", fn);
		napi_create_function(env, "heads", NAPI_AUTO_LENGTH, HeadsCall, nullptr, &fn);
		napi_set_named_property(env, exports, "heads", fn);
		napi_create_function(env, "lanes", NAPI_AUTO_LENGTH, LanesCall, nullptr, &fn);
		napi_set_named_property(env, exports, "lanes", fn);
	}
	return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
