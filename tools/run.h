// `tutti run SCENARIO.yaml`: a scripted conference, checked (docs/scenario-format.md).
#pragma once

#include <string>

namespace tutti::tools {

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
