// The captures the replay tests play: made at test time with the capture tests' generator
// (tests/harness/capture/call_generator.h). Two callers dial 1000 with PCMU tones, alice at
// 500 Hz from t = 0, bob at 700 Hz from t = 0.5 s; bob keys "12#" two and a half seconds into
// his call, after the window in which both must hear each other.
#pragma once

#include <filesystem>
#include <string>

#include "call_generator.h"

namespace tutti::replay::testing {

inline constexpr double kAliceHz = 500;
inline constexpr double kBobHz = 700;

struct TwoCallers {
  capture::testing::CallScript alice;
  capture::testing::CallScript bob;
};

TwoCallers two_callers();

// PCMU of a tone at -20 dB (relative to a full-scale sine), `frames` frames of 20 ms.
std::vector<uint8_t> pcmu_tone(double hz, int frames);

// Writes the two calls as a pcap (Ethernet, IPv4) at `path`.
void write_two_callers(const std::filesystem::path& path, const TwoCallers& calls);

// A fresh directory under the system's temp directory, named for the running test.
std::filesystem::path test_dir(const std::string& name);

}  // namespace tutti::replay::testing
