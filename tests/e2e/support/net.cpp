#include "net.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

namespace tutti::e2e {
namespace {

// Binds a socket of this type to 127.0.0.1:port; returns the bound port or 0.
int try_bind(int type, int port) {
  const int fd = socket(AF_INET, type, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int bound = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    socklen_t len = sizeof addr;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) bound = ntohs(addr.sin_port);
  }
  close(fd);
  return bound;
}

}  // namespace

int free_tcp_port() {
  const int port = try_bind(SOCK_STREAM, 0);
  if (port == 0) throw std::runtime_error("free_tcp_port: bind failed");
  return port;
}

int free_sip_port() {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int port = try_bind(SOCK_DGRAM, 0);
    if (port != 0 && try_bind(SOCK_STREAM, port) == port) return port;
  }
  throw std::runtime_error("free_sip_port: no port free for both UDP and TCP");
}

PortRange free_udp_range(int count) {
  constexpr int kBase = 30000;
  constexpr int kSpan = 2700;  // stays below the ephemeral range (32768+)
  const int step = (count + 1) & ~1;
  const int slots = kSpan / step;
  const int first = static_cast<int>(getpid()) % slots;
  for (int i = 0; i < slots; ++i) {
    const int low = kBase + ((first + i) % slots) * step;
    bool all_free = true;
    for (int p = low; p < low + count && all_free; ++p) all_free = try_bind(SOCK_DGRAM, p) == p;
    if (all_free) return PortRange{.low = low, .high = low + count - 1};
  }
  throw std::runtime_error("free_udp_range: no free range of " + std::to_string(count));
}

TempDir::TempDir(const std::string& prefix) {
  const char* tmp = std::getenv("TMPDIR");
  std::string templ = std::string(tmp && *tmp ? tmp : "/tmp") + "/" + prefix + "-XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) throw std::runtime_error("TempDir: mkdtemp failed");
  path_ = templ;
}

TempDir::~TempDir() {
  if (std::getenv("TUTTI_E2E_KEEP") != nullptr) return;
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string read_text(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace tutti::e2e
