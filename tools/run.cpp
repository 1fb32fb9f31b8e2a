#include "run.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iostream>

#include "tutti/run/run.h"
#include "tutti/scenario/scenario.h"

namespace tutti::tools {

int run_command(const RunCommandOptions& options) {
  Result<scenario::Scenario> loaded = scenario::load_scenario(options.scenario_path);
  if (!loaded) {
    std::cerr << loaded.status().message() << "\n";
    std::cerr << "tutti run: not started: the scenario has errors\n";
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::set_level(spdlog::level::warn);  // the embedded server's call log would bury the report
  run::RunOptions run_options;
  run_options.target = options.target;
  run_options.out_dir = options.out_dir;
  // The live line only on a terminal; CI logs get the report alone.
  run_options.progress = options.quiet || !isatty(STDERR_FILENO) ? nullptr : &std::cerr;
  Result<run::RunReport> report = run::run_scenario(loaded.value(), run_options);
  if (!report) {
    std::cerr << "tutti run: cannot run: " << report.status().message() << "\n";
    return 2;
  }
  run::write_text_report(report.value(), std::cout);
  if (!options.json_path.empty()) std::ofstream(options.json_path) << run::json_report(*report);
  if (!options.junit_path.empty()) std::ofstream(options.junit_path) << run::junit_report(*report);
  return report->passed ? 0 : 1;
}

}  // namespace tutti::tools
