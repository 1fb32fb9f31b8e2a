#include "replay.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "run.h"
#include "tutti/capture/capture.h"
#include "tutti/replay/replay.h"

namespace tutti::tools {
namespace {

void print_warnings(const capture::CaptureWarnings& warnings) {
  for (const std::string& m : warnings.messages)
    std::cerr << "tutti replay: warning: " << m << "\n";
  if (warnings.messages_dropped > 0) {
    std::cerr << "tutti replay: warning: " << warnings.messages_dropped << " more not shown\n";
  }
}

}  // namespace

int replay_command(const ReplayCommandOptions& options) {
  Result<capture::Capture> capture = capture::read_capture(options.capture_path);
  if (!capture) {
    std::cerr << "tutti replay: " << capture.status().message() << "\n";
    return 2;
  }
  print_warnings(capture->warnings);
  const std::filesystem::path work =
      std::filesystem::temp_directory_path() / ("tutti-replay-" + std::to_string(getpid()));
  replay::ReplayOptions replay_options;
  replay_options.speed = options.speed;
  replay_options.loops = options.loops;
  replay_options.room = options.room;
  replay_options.target = options.target;
  replay_options.work_dir = work.string();
  Result<replay::ReplayPlan> plan =
      replay::plan_replay(capture.value(), options.capture_path, replay_options);
  if (!plan) {
    std::cerr << "tutti replay: " << plan.status().message() << "\n";
    return 2;
  }
  const run::RunOptions run_options = prepare_run(options.target, options.out_dir, options.quiet);
  Result<replay::ReplayReport> report = replay::run_replay(std::move(plan.value()), run_options);
  if (!report) {
    std::cerr << "tutti replay: cannot run: " << report.status().message() << "\n";
    return 2;
  }
  if (options.out_dir.empty()) report->heard_dir.clear();  // the scratch copy goes below
  replay::write_text_report(capture.value(), report.value(), std::cout);
  if (!options.json_path.empty()) {
    std::ofstream(options.json_path) << replay::json_report(capture.value(), report.value());
  }
  if (std::getenv("TUTTI_RUN_KEEP") == nullptr) {
    std::error_code ignored;
    std::filesystem::remove_all(work, ignored);
  } else {
    std::cerr << "tutti replay: kept " << work.string() << "\n";
  }
  return report->run.problems.empty() ? 0 : 1;
}

}  // namespace tutti::tools
