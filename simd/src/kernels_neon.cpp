// NEON (AArch64) kernels: 4 floats per vector, scalar tails from sample_ops.h. Compiled only for
// aarch64 targets (simd/CMakeLists.txt), with -ffp-contract=off: FMA only where written
// (accumulate_scaled, gain_ramp, sum_squares); everything else is bit-exact with the oracle.
#if defined(__aarch64__)

#include <arm_neon.h>

#include <cstddef>
#include <cstdint>

#include "sample_ops.h"
#include "tables.h"

namespace tutti::simd {
namespace {

constexpr std::size_t kW = 4;

void accumulate(float* dst, const float* src, std::size_t n) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW)
    vst1q_f32(dst + i, vaddq_f32(vld1q_f32(dst + i), vld1q_f32(src + i)));
  for (; i < n; ++i) dst[i] += src[i];
}

void accumulate_scaled(float* dst, const float* src, float gain, std::size_t n) {
  const float32x4_t g = vdupq_n_f32(gain);
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    vst1q_f32(dst + i, vfmaq_f32(vld1q_f32(dst + i), vld1q_f32(src + i), g));  // dst + src * g
  }
  for (; i < n; ++i) dst[i] += gain * src[i];
}

void mix_minus(float* dst, const float* sum, const float* own, std::size_t n) {
  std::size_t i = 0;
  for (; i + kW <= n; i += kW)
    vst1q_f32(dst + i, vsubq_f32(vld1q_f32(sum + i), vld1q_f32(own + i)));
  for (; i < n; ++i) dst[i] = sum[i] - own[i];
}

void gain_ramp(float* dst, const float* src, float gain_start, float gain_end, std::size_t n) {
  if (n == 0) return;
  const float step = ramp_step(gain_start, gain_end, n);
  const float32x4_t start_v = vdupq_n_f32(gain_start);
  const float32x4_t step_v = vdupq_n_f32(step);
  static constexpr uint32_t kLanes[4] = {0, 1, 2, 3};
  uint32x4_t index = vld1q_u32(kLanes);
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    const float32x4_t g = vfmaq_f32(start_v, step_v, vcvtq_f32_u32(index));  // start + step * i
    vst1q_f32(dst + i, vmulq_f32(vld1q_f32(src + i), g));
    index = vaddq_u32(index, vdupq_n_u32(static_cast<uint32_t>(kW)));
  }
  for (; i < n; ++i) dst[i] = src[i] * ramp_gain(gain_start, step, i);
}

void int16_to_float(float* dst, const int16_t* src, std::size_t n) {
  std::size_t i = 0;
  for (; i + 2 * kW <= n; i += 2 * kW) {
    const int16x8_t s16 = vld1q_s16(src + i);
    const float32x4_t lo = vcvtq_f32_s32(vmovl_s16(vget_low_s16(s16)));
    const float32x4_t hi = vcvtq_f32_s32(vmovl_high_s16(s16));
    vst1q_f32(dst + i, vmulq_n_f32(lo, kInt16ToFloat));
    vst1q_f32(dst + i + kW, vmulq_n_f32(hi, kInt16ToFloat));
  }
  for (; i < n; ++i) dst[i] = static_cast<float>(src[i]) * kInt16ToFloat;
}

// NaN -> 0 via the ordered mask, clamp in float, then FCVTNS (nearest, ties to even, like the
// oracle's nearbyint under the default rounding mode).
int32x4_t float_to_int32_clamped(float32x4_t x) {
  const float32x4_t s = vmulq_n_f32(x, kFloatToInt16);
  const uint32x4_t ordered = vceqq_f32(s, s);
  const float32x4_t cleaned = vreinterpretq_f32_u32(vandq_u32(vreinterpretq_u32_f32(s), ordered));
  const float32x4_t clamped =
      vminq_f32(vmaxq_f32(cleaned, vdupq_n_f32(kInt16Min)), vdupq_n_f32(kInt16Max));
  return vcvtnq_s32_f32(clamped);
}

void float_to_int16(int16_t* dst, const float* src, std::size_t n) {
  std::size_t i = 0;
  for (; i + 2 * kW <= n; i += 2 * kW) {
    const int16x4_t lo = vqmovn_s32(float_to_int32_clamped(vld1q_f32(src + i)));
    const int16x4_t hi = vqmovn_s32(float_to_int32_clamped(vld1q_f32(src + i + kW)));
    vst1q_s16(dst + i, vcombine_s16(lo, hi));
  }
  for (; i < n; ++i) dst[i] = float_to_int16_sample(src[i]);
}

float sum_squares(const float* src, std::size_t n) {
  float32x4_t acc = vdupq_n_f32(0.0f);
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    const float32x4_t x = vld1q_f32(src + i);
    acc = vfmaq_f32(acc, x, x);
  }
  float total = vaddvq_f32(acc);
  for (; i < n; ++i) total += src[i] * src[i];
  return total;
}

float peak(const float* src, std::size_t n) {
  float32x4_t acc = vdupq_n_f32(0.0f);
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    // Not vmaxq (FMAX propagates NaN): "a > acc ? a : acc" ignores a NaN sample, as peak_step does.
    const float32x4_t a = vabsq_f32(vld1q_f32(src + i));
    acc = vbslq_f32(vcgtq_f32(a, acc), a, acc);
  }
  float p = vmaxvq_f32(acc);
  for (; i < n; ++i) p = peak_step(p, src[i]);
  return p;
}

// Each product fits int32 (<= 2^30); SADALP widens pairs of them into the int64 accumulator.
int64_t sum_squares_int16(const int16_t* src, std::size_t n) {
  int64x2_t acc = vdupq_n_s64(0);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const int16x8_t x = vld1q_s16(src + i);
    acc = vpadalq_s32(acc, vmull_s16(vget_low_s16(x), vget_low_s16(x)));
    acc = vpadalq_s32(acc, vmull_high_s16(x, x));
  }
  int64_t total = vaddvq_s64(acc);
  for (; i < n; ++i) total += int32_t{src[i]} * int32_t{src[i]};
  return total;
}

void soft_limit(float* dst, const float* src, float knee, std::size_t n) {
  const float range = 1.0f - knee;
  const float32x4_t knee_v = vdupq_n_f32(knee);
  const float32x4_t range_v = vdupq_n_f32(range);
  const float32x4_t range_sq = vdupq_n_f32(range * range);
  const float32x4_t one = vdupq_n_f32(1.0f);
  const float32x4_t below_one = vdupq_n_f32(kBelowOne);
  const uint32x4_t sign_mask = vdupq_n_u32(0x80000000u);
  std::size_t i = 0;
  for (; i + kW <= n; i += kW) {
    const float32x4_t x = vld1q_f32(src + i);
    const float32x4_t a = vabsq_f32(x);
    const float32x4_t d = vaddq_f32(vsubq_f32(a, knee_v), range_v);
    const float32x4_t y = vsubq_f32(one, vdivq_f32(range_sq, d));
    // "below_one < y ? below_one : y", written out so a NaN passes through as in the oracle.
    const float32x4_t clamped = vbslq_f32(vcltq_f32(below_one, y), below_one, y);
    const float32x4_t limited = vbslq_f32(sign_mask, x, clamped);  // copysign
    vst1q_f32(dst + i, vbslq_f32(vcleq_f32(a, knee_v), x, limited));
  }
  for (; i < n; ++i) dst[i] = soft_limit_sample(src[i], knee, range);
}

constexpr KernelTable kTable{Isa::kNeon, accumulate,        accumulate_scaled, mix_minus,
                             gain_ramp,  int16_to_float,    float_to_int16,    sum_squares,
                             peak,       sum_squares_int16, soft_limit};

}  // namespace

const KernelTable& neon_table() { return kTable; }

}  // namespace tutti::simd

#endif  // defined(__aarch64__)
