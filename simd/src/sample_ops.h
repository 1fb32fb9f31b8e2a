// Per-sample definitions shared by the scalar oracle and the scalar tails of the SIMD kernels, so
// every ISA rounds exactly where the oracle does. Plain C++: no intrinsics.
//
// Everything here has internal linkage on purpose. Each ISA TU is compiled with its own -m flags;
// an inline function with external linkage would be emitted once per TU and the linker could keep
// the AVX-512 copy for the scalar TU, which would then fault on an older CPU.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>

namespace tutti::simd {
namespace {

constexpr float kInt16ToFloat = 1.0f / 32768.0f;  // exact: a power of two
constexpr float kFloatToInt16 = 32768.0f;
constexpr float kInt16Min = -32768.0f;
constexpr float kInt16Max = 32767.0f;
constexpr float kBelowOne = 0x1.fffffep-1f;  // the largest float below 1.0

// g(i) = start + step * i, with step = (end - start) / n computed once in float. SIMD kernels build
// float(i) per lane the same way (exact integer conversion) so only FMA rounding can differ.
inline float ramp_step(float gain_start, float gain_end, std::size_t n) {
  return (gain_end - gain_start) / static_cast<float>(n);
}
inline float ramp_gain(float gain_start, float step, std::size_t i) {
  return gain_start + step * static_cast<float>(i);
}

// Clamping before rounding is equivalent to saturating after it because both bounds are integers,
// and it keeps the value inside the range the SIMD float->int32 conversions handle exactly.
inline int16_t float_to_int16_sample(float x) {
  float s = x * kFloatToInt16;
  if (std::isnan(s)) return 0;
  s = s > kInt16Min ? s : kInt16Min;
  s = s < kInt16Max ? s : kInt16Max;
  return static_cast<int16_t>(std::nearbyint(s));  // default rounding: nearest, ties to even
}

// Above the knee: y = knee + r*u/(1+u) with u = (a - knee)/r, evaluated as the same function
// 1 - r^2/((a - knee) + r): one division instead of two, and a = inf gives 1 instead of inf/inf.
// The clamp keeps float rounding from ever reaching 1.0; it is written as
// "kBelowOne < y ? kBelowOne : y" so a NaN passes through (float_to_int16 then makes it 0).
inline float soft_limit_sample(float x, float knee, float range) {
  const float a = std::fabs(x);
  if (a <= knee) return x;
  const float y = 1.0f - (range * range) / ((a - knee) + range);
  return std::copysign(kBelowOne < y ? kBelowOne : y, x);
}

// Ignores NaN samples: a NaN compares false and leaves the running peak alone.
inline float peak_step(float peak, float x) {
  const float a = std::fabs(x);
  return a > peak ? a : peak;
}

}  // namespace
}  // namespace tutti::simd
