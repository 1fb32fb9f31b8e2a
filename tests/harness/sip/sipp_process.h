// Runs SIPp as a child of the test: fork/exec, output to a log file, waited with a deadline
// and killed by its PID when it overruns, so a broken scenario can never hang the suite.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace tutti::sip::testing {

// The sipp executable on PATH, or "" when there is none.
std::string find_sipp();

// A port in 46060.. whose UDP and TCP sides are free right now on 127.0.0.1; successive calls
// in one process never repeat, and the start depends on the PID so parallel tests rarely meet.
uint16_t free_port();

class SippProcess {
 public:
  SippProcess() = default;
  ~SippProcess();  // kills a child still running
  SippProcess(const SippProcess&) = delete;
  SippProcess& operator=(const SippProcess&) = delete;

  // Starts `sipp args...`; stdout and stderr go to `log_path`.
  bool start(const std::string& sipp, const std::vector<std::string>& args,
             const std::string& log_path);
  // The exit code, or -1 after killing a child that outlived `timeout`.
  int wait(std::chrono::milliseconds timeout);
  const std::string& log_path() const { return log_path_; }
  std::string log_tail() const;  // the end of the log, for failure messages

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

}  // namespace tutti::sip::testing
