// SSE4.1 kernels: 4 floats per vector, scalar tails from sample_ops.h. Compiled with -msse4.1 and
// -ffp-contract=off; there is no FMA at this level, so every kernel is bit-exact with the oracle.
#include <smmintrin.h>

#include <cstddef>
#include <cstdint>

#include "sample_ops.h"
#include "tables.h"

namespace tutti::simd {
namespace {

constexpr std::size_t kW = 4;

float horizontal_sum(__m128 v) {
  const __m128 pairs = _mm_add_ps(v, _mm_movehl_ps(v, v));
  return _mm_cvtss_f32(_mm_add_ss(pairs, _mm_shuffle_ps(pairs, pairs, 1)));
}

void accumulate(float* dst, const float* src, std::size_t n) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    _mm_storeu_ps(dst + i, _mm_add_ps(_mm_loadu_ps(dst + i), _mm_loadu_ps(src + i)));
  }
  for (; i < n; ++i) dst[i] += src[i];
}

void accumulate_scaled(float* dst, const float* src, float gain, std::size_t n) {
  const __m128 g = _mm_set1_ps(gain);
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    const __m128 scaled = _mm_mul_ps(g, _mm_loadu_ps(src + i));
    _mm_storeu_ps(dst + i, _mm_add_ps(_mm_loadu_ps(dst + i), scaled));
  }
  for (; i < n; ++i) dst[i] += gain * src[i];
}

void mix_minus(float* dst, const float* sum, const float* own, std::size_t n) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    _mm_storeu_ps(dst + i, _mm_sub_ps(_mm_loadu_ps(sum + i), _mm_loadu_ps(own + i)));
  }
  for (; i < n; ++i) dst[i] = sum[i] - own[i];
}

void gain_ramp(float* dst, const float* src, float gain_start, float gain_end, std::size_t n) {
  if (n == 0) return;
  const float step = ramp_step(gain_start, gain_end, n);
  const __m128 start_v = _mm_set1_ps(gain_start);
  const __m128 step_v = _mm_set1_ps(step);
  __m128i index = _mm_setr_epi32(0, 1, 2, 3);
  const __m128i index_step = _mm_set1_epi32(static_cast<int>(kW));
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    const __m128 g = _mm_add_ps(start_v, _mm_mul_ps(step_v, _mm_cvtepi32_ps(index)));
    _mm_storeu_ps(dst + i, _mm_mul_ps(_mm_loadu_ps(src + i), g));
    index = _mm_add_epi32(index, index_step);
  }
  for (; i < n; ++i) dst[i] = src[i] * ramp_gain(gain_start, step, i);
}

void int16_to_float(float* dst, const int16_t* src, std::size_t n) {
  const __m128 scale = _mm_set1_ps(kInt16ToFloat);
  std::size_t i = 0;
  for (; i + 2 * kW <= n; i += 2 * kW) {
    const __m128i s16 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    const __m128i lo = _mm_cvtepi16_epi32(s16);
    const __m128i hi = _mm_cvtepi16_epi32(_mm_srli_si128(s16, 8));
    _mm_storeu_ps(dst + i, _mm_mul_ps(_mm_cvtepi32_ps(lo), scale));
    _mm_storeu_ps(dst + i + kW, _mm_mul_ps(_mm_cvtepi32_ps(hi), scale));
  }
  for (; i < n; ++i) dst[i] = static_cast<float>(src[i]) * kInt16ToFloat;
}

// NaN -> 0 via the ordered mask, clamp in float, then cvtps (MXCSR default: nearest, ties to even).
__m128i float_to_int32_clamped(__m128 x) {
  __m128 s = _mm_mul_ps(x, _mm_set1_ps(kFloatToInt16));
  s = _mm_and_ps(s, _mm_cmpord_ps(s, s));
  s = _mm_min_ps(_mm_max_ps(s, _mm_set1_ps(kInt16Min)), _mm_set1_ps(kInt16Max));
  return _mm_cvtps_epi32(s);
}

void float_to_int16(int16_t* dst, const float* src, std::size_t n) {
  std::size_t i = 0;
  for (; i + 2 * kW <= n; i += 2 * kW) {
    const __m128i lo = float_to_int32_clamped(_mm_loadu_ps(src + i));
    const __m128i hi = float_to_int32_clamped(_mm_loadu_ps(src + i + kW));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), _mm_packs_epi32(lo, hi));
  }
  for (; i < n; ++i) dst[i] = float_to_int16_sample(src[i]);
}

float sum_squares(const float* src, std::size_t n) {
  __m128 acc = _mm_setzero_ps();
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    const __m128 x = _mm_loadu_ps(src + i);
    acc = _mm_add_ps(acc, _mm_mul_ps(x, x));
  }
  float total = horizontal_sum(acc);
  for (; i < n; ++i) total += src[i] * src[i];
  return total;
}

float peak(const float* src, std::size_t n) {
  const __m128 abs_mask = _mm_castsi128_ps(_mm_set1_epi32(0x7fffffff));
  __m128 acc = _mm_setzero_ps();
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    // maxps(a, acc) is "a > acc ? a : acc": a NaN sample leaves acc alone, as in peak_step.
    acc = _mm_max_ps(_mm_and_ps(_mm_loadu_ps(src + i), abs_mask), acc);
  }
  acc = _mm_max_ps(acc, _mm_movehl_ps(acc, acc));
  acc = _mm_max_ss(acc, _mm_shuffle_ps(acc, acc, 1));
  float p = _mm_cvtss_f32(acc);
  for (; i < n; ++i) p = peak_step(p, src[i]);
  return p;
}

// madd gives x0^2 + x1^2 <= 2^31, which overflows int32 only for (-32768, -32768) but always fits
// uint32, so each pair sum is zero-extended into int64 lanes before it is added.
int64_t sum_squares_int16(const int16_t* src, std::size_t n) {
  const __m128i zero = _mm_setzero_si128();
  __m128i acc = _mm_setzero_si128();
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    const __m128i pairs = _mm_madd_epi16(x, x);
    acc = _mm_add_epi64(acc, _mm_unpacklo_epi32(pairs, zero));
    acc = _mm_add_epi64(acc, _mm_unpackhi_epi32(pairs, zero));
  }
  int64_t total = _mm_cvtsi128_si64(acc) + _mm_extract_epi64(acc, 1);
  for (; i < n; ++i) total += int32_t{src[i]} * int32_t{src[i]};
  return total;
}

void soft_limit(float* dst, const float* src, float knee, std::size_t n) {
  const float range = 1.0f - knee;
  const __m128 knee_v = _mm_set1_ps(knee);
  const __m128 range_v = _mm_set1_ps(range);
  const __m128 range_sq = _mm_set1_ps(range * range);
  const __m128 one = _mm_set1_ps(1.0f);
  const __m128 below_one = _mm_set1_ps(kBelowOne);
  const __m128 sign_mask = _mm_castsi128_ps(_mm_set1_epi32(INT32_MIN));
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    const __m128 x = _mm_loadu_ps(src + i);
    const __m128 a = _mm_andnot_ps(sign_mask, x);
    const __m128 d = _mm_add_ps(_mm_sub_ps(a, knee_v), range_v);
    const __m128 y = _mm_sub_ps(one, _mm_div_ps(range_sq, d));
    const __m128 limited = _mm_or_ps(_mm_min_ps(below_one, y), _mm_and_ps(sign_mask, x));
    _mm_storeu_ps(dst + i, _mm_blendv_ps(limited, x, _mm_cmple_ps(a, knee_v)));
  }
  for (; i < n; ++i) dst[i] = soft_limit_sample(src[i], knee, range);
}

constexpr KernelTable kTable{Isa::kSse41, accumulate,        accumulate_scaled, mix_minus,
                             gain_ramp,   int16_to_float,    float_to_int16,    sum_squares,
                             peak,        sum_squares_int16, soft_limit};

}  // namespace

const KernelTable& sse41_table() { return kTable; }

}  // namespace tutti::simd
