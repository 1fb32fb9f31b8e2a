// Tone levels in a block of audio (Goertzel with a Hann window): what a demo, a scenario
// check or a test uses to tell which participants a mix holds. Control plane (allocates).
#pragma once

#include <cstdint>
#include <span>

namespace tutti {

// Level of freq_hz in x, in dB relative to a full-scale sine (a full-scale sine reads ~0 dB;
// -200 for nothing). Resolution is about 2 * sample_rate_hz / x.size() Hz.
double tone_level_db(std::span<const float> x, double freq_hz, int sample_rate_hz);
double tone_level_db(std::span<const int16_t> x, double freq_hz, int sample_rate_hz);

}  // namespace tutti
