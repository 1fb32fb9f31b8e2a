// `tutti serve --config FILE`: the conference server (docs/config.md, docs/api.md).
#pragma once

#include <string>

namespace tutti::tools {

struct ServeOptions {
  std::string config_path;
  std::string sip_listen;   // overrides sip.listen when set
  std::string http_listen;  // overrides http.listen when set
  std::string rtp_ports;    // overrides rtp.ports when set
  std::string record_scripts_dir;  // --record-scripts: each conference as a scenario there
  bool check_only = false;  // validate the file and exit
};

// Runs until SIGTERM or SIGINT; returns the process exit code (0 after a clean stop, 2 for a
// broken configuration, 1 when the server could not start).
int run_serve(const ServeOptions& options);

}  // namespace tutti::tools
