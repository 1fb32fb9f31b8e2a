// AVX2 + FMA kernels: 8 floats per vector, scalar tails from sample_ops.h. Compiled with
// -mavx2 -mfma -ffp-contract=off: FMA appears only where written (accumulate_scaled, gain_ramp,
// sum_squares, whose contract allows rounding differences); everything else is bit-exact.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "sample_ops.h"
#include "tables.h"

namespace tutti::simd {
namespace {

constexpr std::size_t kW = 8;

float horizontal_sum(__m256 v) {
  __m128 x = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
  x = _mm_add_ps(x, _mm_movehl_ps(x, x));
  return _mm_cvtss_f32(_mm_add_ss(x, _mm_shuffle_ps(x, x, 1)));
}

void accumulate(float* dst, const float* src, std::size_t n) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    _mm256_storeu_ps(dst + i, _mm256_add_ps(_mm256_loadu_ps(dst + i), _mm256_loadu_ps(src + i)));
  }
  for (; i < n; ++i) dst[i] += src[i];
}

void accumulate_scaled(float* dst, const float* src, float gain, std::size_t n) {
  const __m256 g = _mm256_set1_ps(gain);
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    _mm256_storeu_ps(dst + i,
                     _mm256_fmadd_ps(g, _mm256_loadu_ps(src + i), _mm256_loadu_ps(dst + i)));
  }
  for (; i < n; ++i) dst[i] += gain * src[i];
}

void mix_minus(float* dst, const float* sum, const float* own, std::size_t n) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    _mm256_storeu_ps(dst + i, _mm256_sub_ps(_mm256_loadu_ps(sum + i), _mm256_loadu_ps(own + i)));
  }
  for (; i < n; ++i) dst[i] = sum[i] - own[i];
}

void gain_ramp(float* dst, const float* src, float gain_start, float gain_end, std::size_t n) {
  if (n == 0) return;
  const float step = ramp_step(gain_start, gain_end, n);
  const __m256 start_v = _mm256_set1_ps(gain_start);
  const __m256 step_v = _mm256_set1_ps(step);
  __m256i index = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
  const __m256i index_step = _mm256_set1_epi32(static_cast<int>(kW));
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    const __m256 g = _mm256_fmadd_ps(step_v, _mm256_cvtepi32_ps(index), start_v);
    _mm256_storeu_ps(dst + i, _mm256_mul_ps(_mm256_loadu_ps(src + i), g));
    index = _mm256_add_epi32(index, index_step);
  }
  for (; i < n; ++i) dst[i] = src[i] * ramp_gain(gain_start, step, i);
}

void int16_to_float(float* dst, const int16_t* src, std::size_t n) {
  const __m256 scale = _mm256_set1_ps(kInt16ToFloat);
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    const __m128i s16 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    _mm256_storeu_ps(dst + i, _mm256_mul_ps(_mm256_cvtepi32_ps(_mm256_cvtepi16_epi32(s16)), scale));
  }
  for (; i < n; ++i) dst[i] = static_cast<float>(src[i]) * kInt16ToFloat;
}

// NaN -> 0 via the ordered mask, clamp in float, then cvtps (MXCSR default: nearest, ties to even).
__m256i float_to_int32_clamped(__m256 x) {
  __m256 s = _mm256_mul_ps(x, _mm256_set1_ps(kFloatToInt16));
  s = _mm256_and_ps(s, _mm256_cmp_ps(s, s, _CMP_ORD_Q));
  s = _mm256_min_ps(_mm256_max_ps(s, _mm256_set1_ps(kInt16Min)), _mm256_set1_ps(kInt16Max));
  return _mm256_cvtps_epi32(s);
}

void float_to_int16(int16_t* dst, const float* src, std::size_t n) {
  std::size_t i = 0;
  for (; i + 2 * kW <= n; i += 2 * kW) {
    const __m256i lo = float_to_int32_clamped(_mm256_loadu_ps(src + i));
    const __m256i hi = float_to_int32_clamped(_mm256_loadu_ps(src + i + kW));
    // packs works per 128-bit lane: [lo0-3 hi0-3 | lo4-7 hi4-7]; the permute restores sample order.
    const __m256i packed = _mm256_permute4x64_epi64(_mm256_packs_epi32(lo, hi), 0xD8);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), packed);
  }
  for (; i < n; ++i) dst[i] = float_to_int16_sample(src[i]);
}

float sum_squares(const float* src, std::size_t n) {
  __m256 acc0 = _mm256_setzero_ps();
  __m256 acc1 = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + 2 * kW <= n; i += 2 * kW) {
    const __m256 x0 = _mm256_loadu_ps(src + i);
    const __m256 x1 = _mm256_loadu_ps(src + i + kW);
    acc0 = _mm256_fmadd_ps(x0, x0, acc0);
    acc1 = _mm256_fmadd_ps(x1, x1, acc1);
  }
  if (i + kW <= n) {
    const __m256 x = _mm256_loadu_ps(src + i);
    acc0 = _mm256_fmadd_ps(x, x, acc0);
    i += kW;
  }
  float total = horizontal_sum(_mm256_add_ps(acc0, acc1));
  for (; i < n; ++i) total += src[i] * src[i];
  return total;
}

float peak(const float* src, std::size_t n) {
  const __m256 abs_mask = _mm256_castsi256_ps(_mm256_set1_epi32(0x7fffffff));
  __m256 acc = _mm256_setzero_ps();
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    // maxps(a, acc) is "a > acc ? a : acc": a NaN sample leaves acc alone, as in peak_step.
    acc = _mm256_max_ps(_mm256_and_ps(_mm256_loadu_ps(src + i), abs_mask), acc);
  }
  __m128 x = _mm_max_ps(_mm256_castps256_ps128(acc), _mm256_extractf128_ps(acc, 1));
  x = _mm_max_ps(x, _mm_movehl_ps(x, x));
  x = _mm_max_ss(x, _mm_shuffle_ps(x, x, 1));
  float p = _mm_cvtss_f32(x);
  for (; i < n; ++i) p = peak_step(p, src[i]);
  return p;
}

// madd gives x0^2 + x1^2 <= 2^31, which overflows int32 only for (-32768, -32768) but always fits
// uint32, so each pair sum is zero-extended into int64 lanes before it is added.
int64_t sum_squares_int16(const int16_t* src, std::size_t n) {
  const __m256i zero = _mm256_setzero_si256();
  __m256i acc = _mm256_setzero_si256();
  std::size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    const __m256i x = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i));
    const __m256i pairs = _mm256_madd_epi16(x, x);
    acc = _mm256_add_epi64(acc, _mm256_unpacklo_epi32(pairs, zero));
    acc = _mm256_add_epi64(acc, _mm256_unpackhi_epi32(pairs, zero));
  }
  const __m128i half = _mm_add_epi64(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
  int64_t total = _mm_cvtsi128_si64(half) + _mm_extract_epi64(half, 1);
  for (; i < n; ++i) total += int32_t{src[i]} * int32_t{src[i]};
  return total;
}

void soft_limit(float* dst, const float* src, float knee, std::size_t n) {
  const float range = 1.0f - knee;
  const __m256 knee_v = _mm256_set1_ps(knee);
  const __m256 range_v = _mm256_set1_ps(range);
  const __m256 range_sq = _mm256_set1_ps(range * range);
  const __m256 one = _mm256_set1_ps(1.0f);
  const __m256 below_one = _mm256_set1_ps(kBelowOne);
  const __m256 sign_mask = _mm256_castsi256_ps(_mm256_set1_epi32(INT32_MIN));
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    const __m256 x = _mm256_loadu_ps(src + i);
    const __m256 a = _mm256_andnot_ps(sign_mask, x);
    const __m256 d = _mm256_add_ps(_mm256_sub_ps(a, knee_v), range_v);
    const __m256 y = _mm256_sub_ps(one, _mm256_div_ps(range_sq, d));
    const __m256 limited = _mm256_or_ps(_mm256_min_ps(below_one, y), _mm256_and_ps(sign_mask, x));
    _mm256_storeu_ps(dst + i, _mm256_blendv_ps(limited, x, _mm256_cmp_ps(a, knee_v, _CMP_LE_OQ)));
  }
  for (; i < n; ++i) dst[i] = soft_limit_sample(src[i], knee, range);
}

constexpr KernelTable kTable{Isa::kAvx2, accumulate,        accumulate_scaled, mix_minus,
                             gain_ramp,  int16_to_float,    float_to_int16,    sum_squares,
                             peak,       sum_squares_int16, soft_limit};

}  // namespace

const KernelTable& avx2_table() { return kTable; }

}  // namespace tutti::simd
