// `tutti demo`: a generated three-person conference (one tone each), mixed by the engine;
// prints, per participant, which tones it heard and at what level.
#pragma once

#include <ostream>

namespace tutti::tools {

struct DemoOptions {
  int sample_rate_hz = 48000;
  int tick_ms = 20;
  int threads = 0;
  int ticks = 100;
};

// Returns the process exit code: 0 when everyone heard everyone else and not themselves.
int run_demo(const DemoOptions& options, std::ostream& out);

}  // namespace tutti::tools
