// The `tutti` command line.
#include <CLI/CLI.hpp>
#include <iostream>

#include "demo.h"

int main(int argc, char** argv) {
  CLI::App app{"tutti: real-time audio conference mixing engine"};
  app.require_subcommand(1);

  tutti::tools::DemoOptions demo;
  CLI::App* demo_cmd = app.add_subcommand(
      "demo", "mix a generated three-person conference and report who heard whom");
  demo_cmd->add_option("--rate", demo.sample_rate_hz, "room rate in Hz (8000, 16000, 48000)");
  demo_cmd->add_option("--tick-ms", demo.tick_ms, "tick length in ms (10 or 20)");
  demo_cmd->add_option("--threads", demo.threads, "mixing threads (0 = serial)");
  demo_cmd->add_option("--ticks", demo.ticks, "ticks to run")->check(CLI::Range(50, 100000));

  CLI11_PARSE(app, argc, argv);
  if (demo_cmd->parsed()) return tutti::tools::run_demo(demo, std::cout);
  return 0;
}
