#include "replay_captures.h"

#include <unistd.h>

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "tutti/codecs/registry.h"

namespace tutti::replay::testing {

std::vector<uint8_t> pcmu_tone(double hz, int frames) {
  auto encoder = codecs::create_encoder(*codecs::find("PCMU", 8000));
  if (!encoder) throw std::runtime_error("no PCMU encoder");
  std::vector<uint8_t> out;
  std::array<int16_t, 160> pcm{};
  std::array<uint8_t, 160> payload{};
  const double amplitude = 0.1 * 32767;  // -20 dB below a full-scale sine
  for (int frame = 0; frame < frames; ++frame) {
    for (std::size_t i = 0; i < pcm.size(); ++i) {
      const double n = static_cast<double>(frame) * 160.0 + static_cast<double>(i);
      pcm[i] = static_cast<int16_t>(amplitude * std::sin(2 * std::numbers::pi * hz * n / 8000));
    }
    if (encoder.value()->encode(pcm, payload) != 160) throw std::runtime_error("PCMU encode");
    out.insert(out.end(), payload.begin(), payload.end());
  }
  return out;
}

TwoCallers two_callers() {
  TwoCallers calls;
  calls.alice.call_id = "alice-call@test";
  calls.alice.from_user = "alice";
  calls.alice.from_display = "Alice Example";
  calls.alice.frames = 250;
  calls.alice.caller_audio = pcmu_tone(kAliceHz, calls.alice.frames);

  calls.bob.call_id = "bob-call@test";
  calls.bob.from_user = "Bob.Smith";  // sanitised to "bob-smith"
  calls.bob.from_display = "Bob";
  calls.bob.caller_sip = {"10.0.0.2", 5060};
  calls.bob.caller_media = {"10.0.0.2", 4002};
  calls.bob.server_media = {"10.0.0.100", 20002};
  calls.bob.invite_time = calls.alice.invite_time + 0.5;
  calls.bob.frames = 200;
  calls.bob.digits = "12#";
  calls.bob.first_digit_frame = 125;
  calls.bob.caller_audio = pcmu_tone(kBobHz, calls.bob.frames);
  return calls;
}

void write_two_callers(const std::filesystem::path& path, const TwoCallers& calls) {
  capture::testing::CaptureWriter writer;
  capture::testing::add_call(writer, calls.alice);
  capture::testing::add_call(writer, calls.bob);
  writer.write_pcap(path);
}

std::filesystem::path test_dir(const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("tutti-replay-test-" + name + "-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace tutti::replay::testing
