// One SIPp run (`sipp -sf SCENARIO ... -m 1`), bounded by SIPp's own -timeout and by a PID kill,
// with its logs kept in the test's directory for failure messages.
//
// Scenarios live in tests/e2e/scenarios (see the comment at the top of each for its keys and the
// lines it logs). Every run passes the default keys below, overridden by SippCall::keys, so a
// scenario never meets an unknown keyword. Runs use -default_behaviors all,-abortunexp: a BYE
// that lands while SIPp stands on a <nop> is dropped and taken on its UDP retransmission instead
// of failing the call.
//
// Threads: owned by one test thread.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "process.h"

namespace tutti::e2e {

struct SippCall {
  std::string scenario;      // file name in tests/e2e/scenarios, e.g. "uac_call.xml"
  std::string service;       // number dialled ([service]); empty for a UAS
  int remote_port = 0;       // SIP port of the far end on 127.0.0.1; 0 for a UAS
  int local_port = 0;        // 0: a free port
  std::map<std::string, std::string> keys;
  std::vector<std::string> extra_args;
  std::chrono::seconds timeout{20};
};

// SIPp's exit codes (sipp(1)).
inline constexpr int kSippAllCallsOk = 0;
inline constexpr int kSippSomeCallsFailed = 1;

class Sipp {
 public:
  // Starts SIPp at once; logs go to dir/<name>.*.
  Sipp(const std::filesystem::path& dir, const std::string& name, SippCall call);
  ~Sipp() = default;

  int local_port() const { return local_port_; }
  const std::string& name() const { return name_; }

  // Exit code, or nullopt if SIPp still runs after timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);
  // Waits up to timeout, then ends SIPp by its PID; returns the exit code.
  int finish(std::chrono::milliseconds timeout);

  // The scenario's <log> lines so far, and the first one matching re (polling until timeout).
  std::string log() const;
  std::optional<std::smatch> wait_for_log(const std::regex& re, std::chrono::milliseconds timeout);
  bool logged(const std::string& exact_line) const;

  // Command, exit code, log lines, unexpected messages and the tail of the SIP trace.
  std::string describe() const;

 private:
  std::string name_;
  std::filesystem::path log_file_, error_file_, message_file_;
  int local_port_ = 0;
  std::unique_ptr<Process> process_;
  std::optional<int> exit_code_;
  std::string last_log_;  // holds the text a returned smatch points into
};

// The keys every run gets unless overridden.
std::map<std::string, std::string> default_sipp_keys();

std::filesystem::path scenario_path(const std::string& file_name);

}  // namespace tutti::e2e
