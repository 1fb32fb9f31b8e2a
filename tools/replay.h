// `tutti replay CAPTURE.pcap`: a recorded call played again (docs/replay.md).
#pragma once

#include <string>

namespace tutti::tools {

struct ReplayCommandOptions {
  std::string capture_path;
  double speed = 1.0;     // timeline only; audio keeps its pitch
  int loops = 1;          // the capture this many times back to back
  std::string room;       // dial this number instead of the captured ones
  std::string target;     // HOST:PORT of a running SIP server
  std::string out_dir;    // what each replayed caller heard, as WAV
  std::string json_path;  // JSON report
  bool quiet = false;     // no progress line
};

// 0 after a replay (whatever was heard), 1 when a step could not be carried out, 2 when the
// capture cannot be read, holds no call to replay, or the run cannot start.
int replay_command(const ReplayCommandOptions& options);

}  // namespace tutti::tools
