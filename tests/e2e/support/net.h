// Loopback ports and scratch directories for end-to-end tests.
// Control plane only (tests' own thread).
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace tutti::e2e {

// A port the kernel just handed out for 127.0.0.1 (bind to port 0, then close). SIP wants it free
// for both UDP and TCP, HTTP for TCP. Another process may take it before the test binds it: the
// ephemeral range is large enough that tests accept that risk.
int free_tcp_port();
int free_sip_port();  // free for UDP and TCP

// LOW..LOW+count-1 (LOW even) with every port free for UDP, starting at 30000 + an offset from
// the PID so parallel test processes look in different places first.
struct PortRange {
  int low = 0;
  int high = 0;
};
PortRange free_udp_range(int count);

// A fresh directory under $TMPDIR (or /tmp) that the destructor removes, unless the
// TUTTI_E2E_KEEP environment variable is set (to read logs after a failure).
class TempDir {
 public:
  explicit TempDir(const std::string& prefix);
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The whole file as text ("" if it cannot be read).
std::string read_text(const std::filesystem::path& file);

// Polls condition every 20 ms until it holds or timeout passes; returns its last value.
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace tutti::e2e
