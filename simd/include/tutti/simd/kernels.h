// Vector kernels for the mixer: one table of function pointers, filled once at start-up.
//
// Conventions (JUCE-style): destination first, verbs for names, lengths in samples.
// Every kernel is real-time safe: no allocation, no locks, no syscalls. Any pointer may be
// unaligned; n may be 0. Float audio is full scale at +-1.0; int16 audio at +-32768.
//
// The scalar table is the oracle: every other ISA is tested against it (tests/simd/simd_test.cpp).
// No intrinsics in this header; each ISA lives in its own translation unit in simd/src/.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace tutti::simd {

enum class Isa : int { kScalar = 0, kSse41 = 1, kAvx2 = 2, kAvx512 = 3, kNeon = 4 };

struct KernelTable {
  Isa isa;
  // dst[i] += src[i]
  void (*accumulate)(float* dst, const float* src, std::size_t n);
  // dst[i] += gain * src[i]
  void (*accumulate_scaled)(float* dst, const float* src, float gain, std::size_t n);
  // dst[i] = sum[i] - own[i]   (mix-minus: everyone but yourself)
  void (*mix_minus)(float* dst, const float* sum, const float* own, std::size_t n);
  // dst[i] = src[i] * g(i), g moving linearly from gain_start (i = 0) towards gain_end, reaching
  // it at i = n (so consecutive frames chain without a step): g(i) = start + (end-start)*i/n.
  void (*gain_ramp)(float* dst, const float* src, float gain_start, float gain_end,
                    std::size_t n);
  // dst[i] = src[i] / 32768
  void (*int16_to_float)(float* dst, const int16_t* src, std::size_t n);
  // dst[i] = saturate(round_to_nearest_even(src[i] * 32768)) into [-32768, 32767]; NaN -> 0.
  void (*float_to_int16)(int16_t* dst, const float* src, std::size_t n);
  // sum of src[i]^2 (float accumulation; ISAs may differ from scalar by rounding)
  float (*sum_squares)(const float* src, std::size_t n);
  // max |src[i]| (0 for n == 0); NaN samples are ignored
  float (*peak)(const float* src, std::size_t n);
  // sum of src[i]^2 on int16 input, exact (int64 accumulation): input levels without conversion
  int64_t (*sum_squares_int16)(const int16_t* src, std::size_t n);
  // Soft limiter: identity for |x| <= knee; above it y = sign(x) * (knee + r * u / (1 + u)),
  // r = 1 - knee, u = (|x| - knee) / r: continuous with slope 1 at the knee, never reaches 1.0.
  // 0 < knee < 1. dst may equal src. Evaluated as 1 - r^2 / ((|x| - knee) + r) (the same function,
  // one division, finite for |x| = inf) and clamped to the largest float below 1.0, so rounding
  // cannot reach full scale either; NaN stays NaN. Every ISA is bit-exact with the scalar table.
  void (*soft_limit)(float* dst, const float* src, float knee, std::size_t n);
};

// The best table this CPU supports, capped by the environment variable TUTTI_SIMD
// (scalar | sse41 | avx2 | avx512 | neon) when set. Chosen once; thread-safe.
const KernelTable& kernels();

// The table for one ISA, or nullptr when this build or this CPU lacks it. For tests and benchmarks.
const KernelTable* kernels_for(Isa isa);

// True when this CPU (and this build) can run the ISA.
bool cpu_supports(Isa isa);

std::string_view isa_name(Isa isa);
// Parses "scalar", "sse41", "avx2", "avx512", "neon"; returns false for anything else.
bool parse_isa(std::string_view name, Isa* out);

}  // namespace tutti::simd
