// A child process owned by a test: started with fork/exec, stdout read line by line by a
// reader thread (kept in memory and copied to a file), stderr to a file. The destructor ends it
// by its PID (SIGTERM, then SIGKILL after a grace period) and always reaps it, so a failing
// test never leaves a server or a SIPp behind.
//
// Threads: one test thread owns a Process; wait_for_line() and output() may be called while the
// reader thread runs.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <thread>
#include <vector>

namespace tutti::e2e {

using namespace std::chrono_literals;

struct ProcessOptions {
  std::vector<std::string> argv;        // argv[0] is looked up on PATH when it has no '/'
  std::filesystem::path stdout_file;    // copy of stdout (empty: memory only)
  std::filesystem::path stderr_file;    // empty: /dev/null
  std::filesystem::path working_dir;    // empty: inherit
};

class Process {
 public:
  explicit Process(ProcessOptions options);
  ~Process();
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  bool running();

  // First stdout line (from the start of the output) matching re, or nullopt after timeout or
  // once the process has closed stdout without printing one.
  std::optional<std::smatch> wait_for_line(const std::regex& re, std::chrono::milliseconds timeout);

  // Exit status as a shell shows it (code, or 128 + signal), nullopt if still running at timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout);

  // SIGTERM, wait up to grace, then SIGKILL; returns the exit status. Idempotent.
  int terminate(std::chrono::milliseconds grace = 3000ms);

  // Everything read from stdout so far, and the last lines of stderr (for failure messages).
  std::string output() const;
  std::string stderr_tail(std::size_t max_bytes = 4000) const;
  std::string command_line() const;

 private:
  void read_stdout(int fd);
  bool try_reap(int options);

  ProcessOptions options_;
  pid_t pid_ = -1;
  std::optional<int> status_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
  bool stdout_closed_ = false;
};

// Status of a finished child as a shell shows it: exit code, or 128 + signal number.
int shell_status(int wait_status);

}  // namespace tutti::e2e
