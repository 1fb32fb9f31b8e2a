// A real capture: tcpdump records loopback while SIPp's built-in UAC calls SIPp's built-in UAS
// once; read_capture() must find that dialog. Skipped, with the reason, where tcpdump or SIPp is
// missing or capturing is not permitted. Every child is bounded by its own timeout and ended by
// its PID.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tutti/capture/capture.h"

namespace tutti::capture {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr int kUacPort = 47060;
constexpr int kUasPort = 47061;

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (!dir.empty() && access((fs::path(dir) / program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

// A child with stdout and stderr to a file, ended by its PID in the destructor.
class Child {
 public:
  Child(std::vector<std::string> argv, const fs::path& log) : log_(log) {
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      const int null_fd = open("/dev/null", O_RDONLY);
      if (fd < 0 || null_fd < 0) _exit(127);
      dup2(null_fd, STDIN_FILENO);
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      execvp(args[0], args.data());
      _exit(127);
    }
  }
  ~Child() { stop(); }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Exit status, or nullopt if still running after timeout.
  std::optional<int> wait(std::chrono::milliseconds timeout) {
    if (status_) return status_;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    do {
      int raw = 0;
      if (pid_ > 0 && waitpid(pid_, &raw, WNOHANG) == pid_) {
        status_ = WIFEXITED(raw) ? WEXITSTATUS(raw) : 128 + WTERMSIG(raw);
        return status_;
      }
      std::this_thread::sleep_for(20ms);
    } while (std::chrono::steady_clock::now() < deadline);
    return std::nullopt;
  }
  // SIGTERM (tcpdump then flushes its file), SIGKILL if it lingers.
  int stop() {
    if (pid_ <= 0 || status_) return status_.value_or(-1);
    kill(pid_, SIGTERM);
    if (!wait(3s)) {
      kill(pid_, SIGKILL);
      wait(3s);
    }
    return status_.value_or(-1);
  }
  std::string log() const { return read_text(log_); }

 private:
  pid_t pid_ = -1;
  fs::path log_;
  std::optional<int> status_;
};

TEST(CaptureSipp, DialogRecordedOnLoopbackIsFound) {
  if (!on_path("tcpdump")) GTEST_SKIP() << "tcpdump not installed (apt install tcpdump)";
  if (!on_path("sipp")) GTEST_SKIP() << "sipp not installed (apt install sip-tester)";
  const fs::path dir =
      fs::temp_directory_path() / ("tutti_capture_sipp_" + std::to_string(getpid()));
  fs::create_directories(dir);
  const fs::path pcap = dir / "sipp.pcap";
  Child tcpdump(
      {"tcpdump", "-i", "lo", "-U", "-n", "-w", pcap.string(),
       "udp and (port " + std::to_string(kUacPort) + " or port " + std::to_string(kUasPort) + ")"},
      dir / "tcpdump.log");
  const auto listening_deadline = std::chrono::steady_clock::now() + 10s;
  while (tcpdump.log().find("listening on") == std::string::npos) {
    if (tcpdump.wait(0ms) || std::chrono::steady_clock::now() > listening_deadline) {
      const std::string why = tcpdump.log();
      tcpdump.stop();
      fs::remove_all(dir);
      GTEST_SKIP() << "tcpdump cannot capture on lo here: " << why;
    }
    std::this_thread::sleep_for(50ms);
  }
  const std::vector<std::string> common = {"-i",       "127.0.0.1", "-m",  "1",
                                           "-nostdin", "-timeout",  "15s", "-timeout_error"};
  std::vector<std::string> uas_argv = {"sipp", "-sn", "uas", "-p", std::to_string(kUasPort)};
  uas_argv.insert(uas_argv.end(), common.begin(), common.end());
  Child uas(uas_argv, dir / "uas.log");
  std::this_thread::sleep_for(300ms);  // the UAS binds its port
  std::vector<std::string> uac_argv = {
      "sipp", "-sn", "uac", "127.0.0.1:" + std::to_string(kUasPort), "-p", std::to_string(kUacPort),
      "-s",   "1000"};
  uac_argv.insert(uac_argv.end(), common.begin(), common.end());
  Child uac(uac_argv, dir / "uac.log");
  const auto uac_status = uac.wait(20s);
  const auto uas_status = uas.wait(5s);
  std::this_thread::sleep_for(200ms);  // the last packets reach tcpdump's file
  tcpdump.stop();
  ASSERT_EQ(uac_status, 0) << uac.log();
  ASSERT_EQ(uas_status, 0) << uas.log();

  auto capture = read_capture(pcap.string());
  ASSERT_TRUE(capture.is_ok()) << capture.status().to_string();
  ASSERT_EQ(capture->calls.size(), 1u) << "packets read: " << capture->packets_read;
  const CapturedCall& call = capture->calls[0];
  EXPECT_EQ(call.number, "1000");
  EXPECT_EQ(call.from_user, "sipp");
  EXPECT_EQ(call.final_status, 200);
  EXPECT_TRUE(call.answered());
  EXPECT_TRUE(call.hung_up());
  EXPECT_LT(call.invite_time, call.answer_time);
  EXPECT_LE(call.answer_time, call.bye_time);
  EXPECT_EQ(call.caller_sip.port, kUacPort);
  ASSERT_TRUE(call.offer.has_value());
  EXPECT_EQ(call.codec.name, "PCMU");
  EXPECT_EQ(capture->warnings.sip_unparsed, 0u);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace tutti::capture
