#include "prompts.h"

#include <sndfile.h>

#include <cmath>
#include <filesystem>
#include <numbers>
#include <vector>

namespace tutti::server {
namespace {

struct Beep {
  double f1 = 0;  // Hz; 0 = pause
  double f2 = 0;  // second frequency of a dual tone, 0 = none
  int ms = 0;
};

std::vector<int16_t> render(const std::vector<Beep>& beeps, int rate_hz) {
  std::vector<int16_t> pcm;
  for (const Beep& beep : beeps) {
    const int n = rate_hz * beep.ms / 1000;
    const int ramp = std::min(n / 2, rate_hz / 200);  // 5 ms in and out: no clicks
    for (int i = 0; i < n; ++i) {
      double v = 0;
      const double t = static_cast<double>(i) / rate_hz;
      if (beep.f1 > 0) v += std::sin(2 * std::numbers::pi * beep.f1 * t);
      if (beep.f2 > 0) v += std::sin(2 * std::numbers::pi * beep.f2 * t);
      double envelope = 1.0;
      if (i < ramp) envelope = static_cast<double>(i) / ramp;
      if (n - i < ramp) envelope = static_cast<double>(n - i) / ramp;
      pcm.push_back(static_cast<int16_t>(std::lrint(v * envelope * 6000.0)));
    }
  }
  return pcm;
}

Result<Prompt> write_one(const std::string& dir, const std::string& name,
                         const std::vector<Beep>& beeps, int rate_hz) {
  const std::vector<int16_t> pcm = render(beeps, rate_hz);
  Prompt prompt;
  prompt.path = (std::filesystem::path(dir) / (name + ".wav")).string();
  prompt.duration_ms = static_cast<int>(pcm.size() * 1000 / static_cast<std::size_t>(rate_hz));
  SF_INFO info{};
  info.samplerate = rate_hz;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(prompt.path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) {
    return Status{StatusCode::kInternal,
                  "cannot write prompt " + prompt.path + ": " + sf_strerror(nullptr)};
  }
  const sf_count_t written = sf_write_short(file, pcm.data(), static_cast<sf_count_t>(pcm.size()));
  sf_close(file);
  if (written != static_cast<sf_count_t>(pcm.size())) {
    return Status{StatusCode::kInternal, "short write of prompt " + prompt.path};
  }
  return prompt;
}

}  // namespace

Result<Prompts> write_prompts(const std::string& dir, int rate_hz) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) {
    return Status{StatusCode::kInternal, "cannot create " + dir + ": " + error.message()};
  }
  Prompts prompts;
  struct Entry {
    const char* name;
    Prompt* out;
    std::vector<Beep> beeps;
  };
  const std::vector<Entry> entries = {
      {"enter_pin", &prompts.enter_pin, {{600, 0, 150}, {0, 0, 80}, {800, 0, 150}}},
      {"bad_pin", &prompts.bad_pin, {{300, 0, 250}, {0, 0, 100}, {300, 0, 250}}},
      {"goodbye",
       &prompts.goodbye,
       {{800, 0, 120}, {0, 0, 60}, {600, 0, 120}, {0, 0, 60}, {400, 0, 200}}},
      {"refused", &prompts.refused, {{480, 620, 250}, {0, 0, 250}, {480, 620, 250}}},
      {"on", &prompts.on, {{1000, 0, 150}}},
      {"off", &prompts.off, {{500, 0, 150}}},
      {"denied", &prompts.denied, {{200, 0, 300}}},
  };
  for (const Entry& entry : entries) {
    Result<Prompt> written = write_one(dir, entry.name, entry.beeps, rate_hz);
    if (!written) return written.status();
    *entry.out = written.value();
  }
  return prompts;
}

}  // namespace tutti::server
