// `tutti replay CAPTURE.pcap`: the calls of a capture (tutti/capture/capture.h) played again as
// a scenario (tutti/scenario/scenario.h) through the runner of `tutti run` (tutti/run/run.h).
//
// Each answered call with a codec tutti speaks (PCMU, PCMA, G722, opus) becomes a participant
// whose audio is a WAV decoded from the caller's captured payloads, laid out on their capture
// times (loss and silence become silence); its call, send, digits and hangup are timeline
// steps at the captured times. What is kept and what is not is listed in docs/replay.md.
//
// Control plane only: plan_replay() decodes and writes files, run_replay() blocks for the
// whole run (the runner starts its own threads). Never call them from a real-time thread.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/capture/capture.h"
#include "tutti/run/run.h"
#include "tutti/scenario/scenario.h"
#include "tutti/status.h"

namespace tutti::replay {

inline constexpr double kMinSpeed = 0.1;
inline constexpr double kMaxSpeed = 100.0;
inline constexpr int kMaxLoops = 100;

struct ReplayOptions {
  double speed = 1.0;    // timeline only: 2 plays the steps twice as fast, audio at its pitch
  int loops = 1;         // the whole capture this many times, back to back
  std::string room;      // dial this number instead of each INVITE's
  std::string target;    // "HOST:PORT" of a running SIP server; empty: an embedded server
  std::string work_dir;  // where the callers' audio is written (created; required)
};

// One captured call as replayed (one per loop pass).
struct ReplayedCall {
  std::string participant;  // the replayed caller's name (from the From header, made unique)
  int pass = 1;             // 1..loops
  std::string call_id;      // as captured
  std::string from;         // From user (or display name) as captured
  std::string captured_number;
  std::string number;  // dialled in the replay (captured_number, or ReplayOptions::room)
  std::string codec;   // SDP name
  capture::StreamSummary sent;      // the caller's stream in the capture
  capture::StreamSummary received;  // the server's stream back to it in the capture
  std::string digits;               // keyed by the caller, as captured (RFC 4733 and INFO)
  double call_at_s = 0;             // scenario times of its steps
  double send_at_s = 0;
  double hangup_at_s = 0;
  std::string audio_path;  // the WAV it sends
  double audio_s = 0;      // length of that WAV
  std::size_t audio_packets = 0;  // captured audio packets decoded into it
};

struct ReplayPlan {
  scenario::Scenario scenario;
  std::vector<ReplayedCall> calls;  // in scenario order (pass, then INVITE time)
  std::vector<std::string> skipped;  // captured calls not replayed, and why
};

// Builds the scenario and writes each caller's audio into options.work_dir. kInvalidArgument
// for bad options, or when no call of the capture can be replayed (the message lists why each
// was skipped); kInternal when a file cannot be written.
Result<ReplayPlan> plan_replay(const capture::Capture& capture, std::string_view capture_path,
                               const ReplayOptions& options);

struct ReplayReport {
  ReplayPlan plan;
  run::RunReport run;
  std::vector<double> heard_rms_dbfs;  // per plan.calls: what it heard between call and hangup
  std::string heard_dir;               // DIR/PARTICIPANT.wav: what each one heard
};

// Plays the plan through run::run_scenario. Without options.out_dir, what each participant
// heard goes to WORK_DIR/heard (it is measured from there).
Result<ReplayReport> run_replay(ReplayPlan plan, run::RunOptions options);

// The report: captured stream (packets, loss, jitter, digits), replayed phone (packets, loss,
// jitter, digits received, final status) and the level each one heard, per call.
void write_text_report(const capture::Capture& capture, const ReplayReport& report,
                       std::ostream& out);
std::string json_report(const capture::Capture& capture, const ReplayReport& report);

}  // namespace tutti::replay
