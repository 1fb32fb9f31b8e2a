// `tutti run SCENARIO.yaml`: plays a scenario (docs/scenario-format.md) over real SIP and RTP on
// loopback — an embedded `tutti serve` or a running target — with one virtual phone per
// participant, then checks every expectation against what each phone actually received.
//
// Control plane: run_scenario() blocks for the scenario's duration and starts threads of its
// own (the SIP agent of the phones, their media thread, the event stream reader, and the
// embedded server's).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "tutti/scenario/scenario.h"
#include "tutti/status.h"

namespace tutti::run {

struct RunOptions {
  std::string target;  // "HOST:PORT": test this SIP server instead (overrides the file)
  std::ostream* progress = nullptr;  // a live progress line (\r-updated) when set
  uint16_t port_base = 0;
  std::string out_dir;  // when set: what each participant heard, as DIR/NAME.wav         // 0:
                        // ports from the process id; else phones, SIP, RTP from here
};

struct ExpectationResult {
  std::string what;  // "alice hears bob, carol in 3.0-6.0 s"
  bool passed = false;
  std::string measured;  // "bob -21.4 dB, carol -22.0 dB (need >= -40 dB)"
  scenario::SourceLine where;
};

struct PhoneSummary {
  std::string name;
  uint64_t packets_in = 0;
  uint64_t packets_out = 0;
  int64_t lost = 0;
  double jitter_ms = 0;
  std::string digits_received;
  int final_status = 0;  // of its call: 200 after a BYE, the failure status when refused
};

struct RunReport {
  std::string scenario;
  std::string source;
  bool passed = false;
  double duration_s = 0;
  std::vector<ExpectationResult> results;
  std::vector<std::string> problems;  // actions that could not be carried out
  std::vector<PhoneSummary> phones;
  double server_cpu_s = 0;  // embedded server: CPU of this process over the run
};

// Runs the scenario; an error Status only when it cannot start (ports, server, files). A run
// whose expectations fail returns a report with passed == false.
Result<RunReport> run_scenario(const scenario::Scenario& scenario, const RunOptions& options);

void write_text_report(const RunReport& report, std::ostream& out);
std::string json_report(const RunReport& report);
std::string junit_report(const RunReport& report);

}  // namespace tutti::run
