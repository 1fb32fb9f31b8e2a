#include "run.h"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iostream>

#include "tutti/run/run.h"
#include "tutti/scenario/scenario.h"

namespace tutti::tools {

run::RunOptions prepare_run(const std::string& target, const std::string& out_dir, bool quiet) {
  std::signal(SIGPIPE, SIG_IGN);
  spdlog::set_level(spdlog::level::warn);
  run::RunOptions run_options;
  run_options.target = target;
  run_options.out_dir = out_dir;
  run_options.progress = quiet || !isatty(STDERR_FILENO) ? nullptr : &std::cerr;
  return run_options;
}

int run_command(const RunCommandOptions& options) {
  Result<scenario::Scenario> loaded = scenario::load_scenario(options.scenario_path);
  if (!loaded) {
    std::cerr << loaded.status().message() << "\n";
    std::cerr << "tutti run: not started: the scenario has errors\n";
    return 2;
  }
  const run::RunOptions run_options = prepare_run(options.target, options.out_dir, options.quiet);
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
