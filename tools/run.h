// `tutti run SCENARIO.yaml`: a scripted conference, checked (docs/scenario-format.md).
#pragma once

#include <string>

#include "tutti/run/run.h"

namespace tutti::tools {

// What `run` and `replay` share before playing: SIGPIPE ignored, the embedded server's call log
// quieted (it would bury the report), and the options (the live line only on a terminal).
run::RunOptions prepare_run(const std::string& target, const std::string& out_dir, bool quiet);

struct RunCommandOptions {
  std::string scenario_path;
  std::string target;      // HOST:PORT of a running SIP server (overrides the file)
  std::string junit_path;  // JUnit XML report
  std::string json_path;   // JSON report
  std::string out_dir;     // what each participant heard, as WAV
  bool quiet = false;      // no progress line
};

// 0 when every expectation passed, 1 when one failed, 2 for a scenario that does not load or
// a run that cannot start.
int run_command(const RunCommandOptions& options);

}  // namespace tutti::tools
