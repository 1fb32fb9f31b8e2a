#include "sipp.h"

#include <sstream>
#include <thread>

#include "net.h"

#ifndef TUTTI_E2E_SCENARIOS
#error "TUTTI_E2E_SCENARIOS must name the scenarios directory"
#endif

namespace tutti::e2e {
namespace {

std::string tail(const std::string& text, std::size_t max_bytes) {
  return text.size() > max_bytes ? "..." + text.substr(text.size() - max_bytes) : text;
}

// SIPp writes a line for every 100 ms slice of a scenario's wait loop; drop those.
std::string without_wait_ticks(const std::string& text) {
  static const std::regex tick(R"([^\n]*receive timeout on message[^\n]*jumping to label \d+)");
  return std::regex_replace(text, tick, "");
}

}  // namespace

std::filesystem::path scenario_path(const std::string& file_name) {
  return std::filesystem::path(TUTTI_E2E_SCENARIOS) / file_name;
}

std::map<std::string, std::string> default_sipp_keys() {
  return {{"caller", "sipp"},          {"callee", "sipp"},       {"rtp_port", "9"},
          {"hangup_ms", "10000"},      {"answer_ms", "0"},       {"hold_after_ms", "1000"},
          {"hold_dir", "sendonly"},    {"hold_ms", "2000"},      {"refer_after_ms", "1000"},
          {"refer_to", "0"},           {"info_after_ms", "1000"}, {"info_digits", "1"},
          {"info_gap_ms", "200"}};
}

Sipp::Sipp(const std::filesystem::path& dir, const std::string& name, SippCall call)
    : name_(name),
      log_file_(dir / (name + ".log")),
      error_file_(dir / (name + ".errors")),
      message_file_(dir / (name + ".messages")),
      local_port_(call.local_port != 0 ? call.local_port : free_sip_port()) {
  std::vector<std::string> argv = {"sipp", "-sf", scenario_path(call.scenario).string()};
  if (call.remote_port != 0) argv.push_back("127.0.0.1:" + std::to_string(call.remote_port));
  if (!call.service.empty()) argv.insert(argv.end(), {"-s", call.service});
  argv.insert(argv.end(),
              {"-i", "127.0.0.1", "-p", std::to_string(local_port_), "-m", "1", "-l", "1",
               "-nostdin", "-timeout", std::to_string(call.timeout.count()) + "s",
               "-timeout_error", "-default_behaviors", "all,-abortunexp", "-trace_logs",
               "-log_file", log_file_.string(), "-trace_err", "-error_file", error_file_.string(),
               "-trace_msg", "-message_file", message_file_.string()});
  auto keys = default_sipp_keys();
  for (const auto& [k, v] : call.keys) keys[k] = v;
  for (const auto& [k, v] : keys) argv.insert(argv.end(), {"-key", k, v});
  argv.insert(argv.end(), call.extra_args.begin(), call.extra_args.end());
  process_ = std::make_unique<Process>(ProcessOptions{
      .argv = argv,
      .stdout_file = dir / (name + ".stdout"),
      .stderr_file = dir / (name + ".stderr"),
      .working_dir = dir});
}

std::optional<int> Sipp::wait(std::chrono::milliseconds timeout) {
  if (!exit_code_) exit_code_ = process_->wait(timeout);
  return exit_code_;
}

int Sipp::finish(std::chrono::milliseconds timeout) {
  if (!wait(timeout)) exit_code_ = process_->terminate(1000ms);
  return *exit_code_;
}

std::string Sipp::log() const { return read_text(log_file_); }

std::optional<std::smatch> Sipp::wait_for_log(const std::regex& re,
                                              std::chrono::milliseconds timeout) {
  std::smatch m;
  const bool found = wait_until(
      [&] {
        last_log_ = log();
        return std::regex_search(last_log_, m, re);
      },
      timeout);
  if (!found) return std::nullopt;
  return m;
}

bool Sipp::logged(const std::string& exact_line) const {
  std::istringstream in(log());
  for (std::string line; std::getline(in, line);)
    if (line == exact_line) return true;
  return false;
}

std::string Sipp::describe() const {
  std::ostringstream s;
  s << "sipp '" << name_ << "': " << process_->command_line() << "\n  exit: "
    << (exit_code_ ? std::to_string(*exit_code_) : std::string("running")) << "\n  log:\n"
    << log() << "  errors:\n"
    << tail(without_wait_ticks(read_text(error_file_)), 3000) << "\n  stderr:\n"
    << process_->stderr_tail(1000) << "\n  SIP trace (tail):\n"
    << tail(read_text(message_file_), 4000) << '\n';
  return s.str();
}

}  // namespace tutti::e2e
