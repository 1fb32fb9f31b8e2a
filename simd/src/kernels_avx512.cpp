// AVX-512 (F + BW) kernels: 16 floats per vector. Tails use masked loads and stores (faults are
// suppressed on masked-off lanes), so each kernel is one vector body run with a full or a partial
// mask and there is no scalar tail. Compiled with -mavx512f -mavx512bw -mavx2 -mfma
// -ffp-contract=off: FMA only where written. Nothing here needs AVX512VL or DQ.
// GCC 12.2's avx512fintrin.h self-initialises its "undefined" vectors (__m512 __Y = __Y), which
// -Wuninitialized flags wherever a masked intrinsic inlines (GCC bug 105593, fixed in 12.3).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop
#else
#include <immintrin.h>
#endif

#include <cstddef>
#include <cstdint>

#include "sample_ops.h"
#include "tables.h"

namespace tutti::simd {
namespace {

constexpr std::size_t kW = 16;
constexpr __mmask16 kAll = 0xFFFF;

__mmask16 tail_mask(std::size_t k) { return static_cast<__mmask16>((1u << k) - 1u); }

// body(i, mask) handles samples [i, i + 16) restricted to mask.
template <typename Body>
inline void for_each_vector(std::size_t n, Body body) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) body(i, kAll);
  if (i < n) body(i, tail_mask(n - i));
}

__m512 load(__mmask16 m, const float* p) { return _mm512_maskz_loadu_ps(m, p); }

void accumulate(float* dst, const float* src, std::size_t n) {
  for_each_vector(n, [=](std::size_t i, __mmask16 m) {
    _mm512_mask_storeu_ps(dst + i, m, _mm512_add_ps(load(m, dst + i), load(m, src + i)));
  });
}

void accumulate_scaled(float* dst, const float* src, float gain, std::size_t n) {
  const __m512 g = _mm512_set1_ps(gain);
  for_each_vector(n, [=](std::size_t i, __mmask16 m) {
    _mm512_mask_storeu_ps(dst + i, m, _mm512_fmadd_ps(g, load(m, src + i), load(m, dst + i)));
  });
}

void mix_minus(float* dst, const float* sum, const float* own, std::size_t n) {
  for_each_vector(n, [=](std::size_t i, __mmask16 m) {
    _mm512_mask_storeu_ps(dst + i, m, _mm512_sub_ps(load(m, sum + i), load(m, own + i)));
  });
}

void gain_ramp(float* dst, const float* src, float gain_start, float gain_end, std::size_t n) {
  if (n == 0) return;
  const __m512 start_v = _mm512_set1_ps(gain_start);
  const __m512 step_v = _mm512_set1_ps(ramp_step(gain_start, gain_end, n));
  const __m512i lane = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  for_each_vector(n, [=](std::size_t i, __mmask16 m) {
    const __m512i index = _mm512_add_epi32(_mm512_set1_epi32(static_cast<int>(i)), lane);
    const __m512 g = _mm512_fmadd_ps(step_v, _mm512_cvtepi32_ps(index), start_v);
    _mm512_mask_storeu_ps(dst + i, m, _mm512_mul_ps(load(m, src + i), g));
  });
}

void int16_to_float(float* dst, const int16_t* src, std::size_t n) {
  const __m512 scale = _mm512_set1_ps(kInt16ToFloat);
  for_each_vector(n, [=](std::size_t i, __mmask16 m) {
    // BW's 512-bit masked load (a 256-bit one would need VL); only the low 16 words are used.
    const __m256i s16 = _mm512_castsi512_si256(_mm512_maskz_loadu_epi16(__mmask32{m}, src + i));
    const __m512 x = _mm512_cvtepi32_ps(_mm512_cvtepi16_epi32(s16));
    _mm512_mask_storeu_ps(dst + i, m, _mm512_mul_ps(x, scale));
  });
}

void float_to_int16(int16_t* dst, const float* src, std::size_t n) {
  const __m512 scale = _mm512_set1_ps(kFloatToInt16);
  const __m512 lo = _mm512_set1_ps(kInt16Min);
  const __m512 hi = _mm512_set1_ps(kInt16Max);
  for_each_vector(n, [=](std::size_t i, __mmask16 m) {
    __m512 s = _mm512_mul_ps(load(m, src + i), scale);
    s = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(s, s, _CMP_ORD_Q), s);  // NaN -> 0
    s = _mm512_min_ps(_mm512_max_ps(s, lo), hi);
    // cvtps rounds with MXCSR (nearest, ties to even); the clamp already made saturation moot.
    _mm512_mask_cvtsepi32_storeu_epi16(dst + i, m, _mm512_cvtps_epi32(s));
  });
}

float sum_squares(const float* src, std::size_t n) {
  __m512 acc = _mm512_setzero_ps();
  for_each_vector(n, [&](std::size_t i, __mmask16 m) {
    const __m512 x = load(m, src + i);
    acc = _mm512_fmadd_ps(x, x, acc);
  });
  return _mm512_reduce_add_ps(acc);
}

float peak(const float* src, std::size_t n) {
  __m512 acc = _mm512_setzero_ps();
  for_each_vector(n, [&](std::size_t i, __mmask16 m) {
    // vmaxps(a, acc) is "a > acc ? a : acc": a NaN sample leaves acc alone, as in peak_step.
    acc = _mm512_max_ps(_mm512_abs_ps(load(m, src + i)), acc);
  });
  return _mm512_reduce_max_ps(acc);
}

// madd gives x0^2 + x1^2 <= 2^31, which overflows int32 only for (-32768, -32768) but always fits
// uint32, so each pair sum is zero-extended into int64 lanes before it is added.
int64_t sum_squares_int16(const int16_t* src, std::size_t n) {
  constexpr std::size_t kWords = 32;
  const __m512i zero = _mm512_setzero_si512();
  __m512i acc = _mm512_setzero_si512();
  for (std::size_t i = 0; i < n; i += kWords) {
    const std::size_t k = n - i < kWords ? n - i : kWords;
    const __mmask32 m = k == kWords ? ~__mmask32{0} : (__mmask32{1} << k) - 1u;
    const __m512i x = _mm512_maskz_loadu_epi16(m, src + i);
    const __m512i pairs = _mm512_madd_epi16(x, x);
    acc = _mm512_add_epi64(acc, _mm512_unpacklo_epi32(pairs, zero));
    acc = _mm512_add_epi64(acc, _mm512_unpackhi_epi32(pairs, zero));
  }
  return _mm512_reduce_add_epi64(acc);
}

void soft_limit(float* dst, const float* src, float knee, std::size_t n) {
  const __m512 knee_v = _mm512_set1_ps(knee);
  const float range = 1.0f - knee;
  const __m512 range_v = _mm512_set1_ps(range);
  const __m512 range_sq = _mm512_set1_ps(range * range);
  const __m512 one = _mm512_set1_ps(1.0f);
  const __m512 below_one = _mm512_set1_ps(kBelowOne);
  const __m512i sign_mask = _mm512_set1_epi32(INT32_MIN);
  for_each_vector(n, [=](std::size_t i, __mmask16 m) {
    const __m512 x = load(m, src + i);
    const __m512 a = _mm512_abs_ps(x);
    const __m512 d = _mm512_add_ps(_mm512_sub_ps(a, knee_v), range_v);
    const __m512 y = _mm512_min_ps(below_one, _mm512_sub_ps(one, _mm512_div_ps(range_sq, d)));
    const __m512i sign = _mm512_and_si512(_mm512_castps_si512(x), sign_mask);
    const __m512 limited = _mm512_castsi512_ps(_mm512_or_si512(_mm512_castps_si512(y), sign));
    const __mmask16 below_knee = _mm512_cmp_ps_mask(a, knee_v, _CMP_LE_OQ);
    _mm512_mask_storeu_ps(dst + i, m, _mm512_mask_blend_ps(below_knee, limited, x));
  });
}

constexpr KernelTable kTable{Isa::kAvx512, accumulate,        accumulate_scaled, mix_minus,
                             gain_ramp,    int16_to_float,    float_to_int16,    sum_squares,
                             peak,         sum_squares_int16, soft_limit};

}  // namespace

const KernelTable& avx512_table() { return kTable; }

}  // namespace tutti::simd
