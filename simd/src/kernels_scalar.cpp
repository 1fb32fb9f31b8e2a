// The oracle. Built with -O2, no auto-vectorization and no FP contraction (see simd/CMakeLists.txt)
// so it is plain sequential float arithmetic; every other ISA is tested against it.
#include <cstddef>
#include <cstdint>

#include "sample_ops.h"
#include "tables.h"

namespace tutti::simd {
namespace {

void accumulate(float* dst, const float* src, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] += src[i];
}

void accumulate_scaled(float* dst, const float* src, float gain, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] += gain * src[i];
}

void mix_minus(float* dst, const float* sum, const float* own, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = sum[i] - own[i];
}

void gain_ramp(float* dst, const float* src, float gain_start, float gain_end, std::size_t n) {
  if (n == 0) return;
  const float step = ramp_step(gain_start, gain_end, n);
  for (std::size_t i = 0; i < n; ++i) dst[i] = src[i] * ramp_gain(gain_start, step, i);
}

void int16_to_float(float* dst, const int16_t* src, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]) * kInt16ToFloat;
}

void float_to_int16(int16_t* dst, const float* src, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) dst[i] = float_to_int16_sample(src[i]);
}

float sum_squares(const float* src, std::size_t n) {
  float acc = 0.0f;
  for (std::size_t i = 0; i < n; ++i) acc += src[i] * src[i];
  return acc;
}

float peak(const float* src, std::size_t n) {
  float p = 0.0f;
  for (std::size_t i = 0; i < n; ++i) p = peak_step(p, src[i]);
  return p;
}

int64_t sum_squares_int16(const int16_t* src, std::size_t n) {
  int64_t acc = 0;
  for (std::size_t i = 0; i < n; ++i) acc += int32_t{src[i]} * int32_t{src[i]};
  return acc;
}

void soft_limit(float* dst, const float* src, float knee, std::size_t n) {
  const float range = 1.0f - knee;
  for (std::size_t i = 0; i < n; ++i) dst[i] = soft_limit_sample(src[i], knee, range);
}

constexpr KernelTable kTable{Isa::kScalar, accumulate,        accumulate_scaled, mix_minus,
                             gain_ramp,    int16_to_float,    float_to_int16,    sum_squares,
                             peak,         sum_squares_int16, soft_limit};

}  // namespace

const KernelTable& scalar_table() { return kTable; }

}  // namespace tutti::simd
