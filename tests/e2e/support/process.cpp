#include "process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "net.h"

namespace tutti::e2e {

int shell_status(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return -1;
}

Process::Process(ProcessOptions options) : options_(std::move(options)) {
  if (options_.argv.empty()) throw std::invalid_argument("Process: empty argv");
  // Everything the child touches is prepared before fork: only async-signal-safe calls after.
  std::vector<char*> argv;
  for (auto& a : options_.argv) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string err_path =
      options_.stderr_file.empty() ? std::string("/dev/null") : options_.stderr_file.string();
  const std::string dir = options_.working_dir.string();
  const pid_t parent = getpid();

  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) throw std::runtime_error("Process: pipe failed");
  pid_ = fork();
  if (pid_ < 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    throw std::runtime_error("Process: fork failed");
  }
  if (pid_ == 0) {
    // A test binary that dies (crash, timeout kill) takes its children with it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    const int err_fd = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int in_fd = open("/dev/null", O_RDONLY);
    if (err_fd < 0 || in_fd < 0) _exit(127);
    dup2(in_fd, STDIN_FILENO);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    if (!dir.empty() && chdir(dir.c_str()) != 0) _exit(127);
    execvp(argv[0], argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  reader_ = std::thread([this, fd = out_pipe[0]] { read_stdout(fd); });
}

Process::~Process() {
  terminate();
  if (reader_.joinable()) reader_.join();
}

void Process::read_stdout(int fd) {
  std::ofstream copy;
  if (!options_.stdout_file.empty()) copy.open(options_.stdout_file);
  std::string partial;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (copy) copy.write(buf, n).flush();
    partial.append(buf, static_cast<std::size_t>(n));
    std::size_t eol;
    std::lock_guard lock(mutex_);
    while ((eol = partial.find('\n')) != std::string::npos) {
      lines_.push_back(partial.substr(0, eol));
      partial.erase(0, eol + 1);
    }
    changed_.notify_all();
  }
  close(fd);
  std::lock_guard lock(mutex_);
  if (!partial.empty()) lines_.push_back(partial);
  stdout_closed_ = true;
  changed_.notify_all();
}

std::optional<std::smatch> Process::wait_for_line(const std::regex& re,
                                                  std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  std::size_t checked = 0;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (; checked < lines_.size(); ++checked) {
      std::smatch m;
      if (std::regex_search(lines_[checked], m, re)) return m;  // lines_ only grows
    }
    if (stdout_closed_) return std::nullopt;
    if (changed_.wait_until(lock, deadline) == std::cv_status::timeout && checked == lines_.size())
      return std::nullopt;
  }
}

bool Process::try_reap(int options) {
  if (status_) return true;
  int st = 0;
  const pid_t r = waitpid(pid_, &st, options);
  if (r == pid_) {
    status_ = shell_status(st);
    return true;
  }
  if (r < 0 && errno == ECHILD) {
    status_ = -1;
    return true;
  }
  return false;
}

bool Process::running() { return !try_reap(WNOHANG); }

std::optional<int> Process::wait(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!try_reap(WNOHANG)) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
  return status_;
}

int Process::terminate(std::chrono::milliseconds grace) {
  if (pid_ <= 0) return -1;
  if (!try_reap(WNOHANG)) {
    kill(pid_, SIGTERM);
    if (!wait(grace)) {
      kill(pid_, SIGKILL);
      try_reap(0);
    }
  }
  return *status_;
}

std::string Process::output() const {
  std::lock_guard lock(mutex_);
  std::string all;
  for (const auto& l : lines_) all += l + '\n';
  return all;
}

std::string Process::stderr_tail(std::size_t max_bytes) const {
  if (options_.stderr_file.empty()) return {};
  const std::string text = read_text(options_.stderr_file);
  return text.size() > max_bytes ? text.substr(text.size() - max_bytes) : text;
}

std::string Process::command_line() const {
  std::ostringstream s;
  for (const auto& a : options_.argv) s << a << ' ';
  return s.str();
}

}  // namespace tutti::e2e
