// PhoneMediaPool: the port range and the one media thread (see the header for the design).
//
// Locking: the media thread takes mutex_ for each batch of epoll events; the control calls take
// it to add or remove a phone. Phone methods take the phone's own mutex after mutex_, never the
// other way round. Epoll events carry a phone id (and an RTCP bit), not a pointer: a phone
// removed while the thread waited is simply not found.
#include "tutti/runner/phone_media_pool.h"

#include <arpa/inet.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace tutti::runner {
namespace {

constexpr uint64_t kTimerKey = ~uint64_t{0};
constexpr int kBatch = 16;
constexpr int kMaxCatchUpTicks = 10;
constexpr int kSocketBufferBytes = 256 * 1024;
constexpr int64_t kTickNs = int64_t{kPtimeMs} * 1'000'000;

int open_bound_socket(sockaddr_in address, uint16_t port) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  const int size = kSocketBufferBytes;
  setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
  address.sin_port = htons(port);
  if (bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

timespec to_timespec(int64_t ns) {
  timespec t{};
  t.tv_sec = static_cast<time_t>(ns / 1'000'000'000);
  t.tv_nsec = static_cast<long>(ns % 1'000'000'000);
  return t;
}

int64_t steady_ns(PhoneMediaPool::Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

struct PhoneMediaPool::Impl {
  PhoneMediaPoolConfig config;
  sockaddr_in bind_address{};
  int epoll_fd = -1;
  int timer_fd = -1;

  mutable std::mutex mutex;
  std::map<uint32_t, std::shared_ptr<PhoneMedia>> phones;
  uint32_t next_id = 1;
  std::vector<bool> pair_used;
  std::size_t cursor = 0;

  std::thread thread;
  std::atomic<bool> stopping{false};
  std::atomic<int64_t> start_ns{0};

  // Receive buffers, used by the media thread only.
  std::array<std::array<uint8_t, 2048>, kBatch> buffers{};
  std::array<sockaddr_in, kBatch> sources{};
  std::array<iovec, kBatch> iovecs{};
  std::array<mmsghdr, kBatch> messages{};

  ~Impl() {
    for (auto& [id, phone] : phones) phone->close_sockets();
    if (timer_fd >= 0) close(timer_fd);
    if (epoll_fd >= 0) close(epoll_fd);
  }

  int64_t now_us() const {
    return (steady_ns(Clock::now()) - start_ns.load(std::memory_order_relaxed)) / 1000;
  }

  void run();
  bool arm_timer();
  void tick();
  void receive(PhoneMedia& phone, bool rtcp);
};

bool PhoneMediaPool::Impl::arm_timer() {
  const int64_t start = start_ns.load();
  const int64_t now = steady_ns(Clock::now());
  const int64_t ticks_done = now > start ? (now - start) / kTickNs + 1 : 0;
  itimerspec spec{};
  spec.it_value = to_timespec(start + ticks_done * kTickNs);
  spec.it_interval = to_timespec(kTickNs);
  return timerfd_settime(timer_fd, TFD_TIMER_ABSTIME, &spec, nullptr) == 0;
}

void PhoneMediaPool::Impl::run() {
  std::array<epoll_event, 64> events{};
  while (!stopping.load(std::memory_order_acquire)) {
    const int n = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()), 50);
    if (n <= 0) continue;
    std::lock_guard lock(mutex);
    for (int i = 0; i < n; ++i) {
      const uint64_t key = events[static_cast<std::size_t>(i)].data.u64;
      if (key == kTimerKey) {
        tick();
        continue;
      }
      auto it = phones.find(static_cast<uint32_t>(key >> 1));
      if (it != phones.end()) receive(*it->second, (key & 1) != 0);
    }
  }
}

// Ticks missed while the thread was late (expirations > 1) are sent at once, flagged late.
void PhoneMediaPool::Impl::tick() {
  uint64_t expirations = 0;
  if (read(timer_fd, &expirations, sizeof(expirations)) != sizeof(expirations)) return;
  const uint64_t ticks = std::min<uint64_t>(expirations, kMaxCatchUpTicks);
  for (uint64_t k = 0; k < ticks; ++k) {
    for (auto& [id, phone] : phones) phone->on_tick(k + 1 < ticks);
  }
}

void PhoneMediaPool::Impl::receive(PhoneMedia& phone, bool rtcp) {
  const int fd = rtcp ? phone.rtcp_fd_ : phone.rtp_fd_;
  if (fd < 0) return;
  for (;;) {
    for (std::size_t i = 0; i < kBatch; ++i) {
      iovecs[i] = {buffers[i].data(), buffers[i].size()};
      messages[i] = {};
      messages[i].msg_hdr.msg_iov = &iovecs[i];
      messages[i].msg_hdr.msg_iovlen = 1;
      messages[i].msg_hdr.msg_name = &sources[i];
      messages[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
    }
    const int n = recvmmsg(fd, messages.data(), kBatch, MSG_DONTWAIT, nullptr);
    if (n <= 0) return;
    const int64_t arrival_us = now_us();
    for (std::size_t i = 0; i < static_cast<std::size_t>(n); ++i) {
      if (rtcp) {
        phone.on_rtcp();
      } else {
        phone.on_rtp(std::span<const uint8_t>(buffers[i].data(), messages[i].msg_len), arrival_us,
                     sources[i]);
      }
    }
    if (n < kBatch) return;
  }
}

Result<std::unique_ptr<PhoneMediaPool>> PhoneMediaPool::create(const PhoneMediaPoolConfig& config) {
  auto impl = std::make_unique<Impl>();
  impl->config = config;
  impl->config.port_low = static_cast<uint16_t>(config.port_low + (config.port_low & 1));
  impl->bind_address.sin_family = AF_INET;
  if (inet_pton(AF_INET, config.bind_address.c_str(), &impl->bind_address.sin_addr) != 1) {
    return Status(
        StatusCode::kInvalidArgument,
        "phone media: bind address must be numeric IPv4 (got " + config.bind_address + ")");
  }
  if (impl->config.port_low == 0 || config.port_high < impl->config.port_low + 1) {
    return Status(StatusCode::kInvalidArgument,
                  "phone media: the port range must hold at least one even/odd pair");
  }
  impl->pair_used.assign(
      static_cast<std::size_t>((config.port_high - impl->config.port_low + 1) / 2), false);
  impl->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  impl->timer_fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.u64 = kTimerKey;
  if (impl->epoll_fd < 0 || impl->timer_fd < 0 ||
      epoll_ctl(impl->epoll_fd, EPOLL_CTL_ADD, impl->timer_fd, &event) != 0) {
    return Status(StatusCode::kInternal, "phone media: cannot create epoll or timerfd");
  }
  return std::unique_ptr<PhoneMediaPool>(new PhoneMediaPool(std::move(impl)));
}

PhoneMediaPool::PhoneMediaPool(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

PhoneMediaPool::~PhoneMediaPool() { stop(); }

Result<std::shared_ptr<PhoneMedia>> PhoneMediaPool::add_phone(std::string name) {
  Impl& p = *impl_;
  std::lock_guard lock(p.mutex);
  for (std::size_t tried = 0; tried < p.pair_used.size(); ++tried) {
    const std::size_t pair = p.cursor;
    p.cursor = (p.cursor + 1) % p.pair_used.size();  // rotate: a freed port rests a while
    if (p.pair_used[pair]) continue;
    const auto port = static_cast<uint16_t>(p.config.port_low + 2 * pair);
    const int rtp_fd = open_bound_socket(p.bind_address, port);
    if (rtp_fd < 0) continue;
    const int rtcp_fd = open_bound_socket(p.bind_address, static_cast<uint16_t>(port + 1));
    if (rtcp_fd < 0) {
      close(rtp_fd);
      continue;
    }
    std::shared_ptr<PhoneMedia> phone(
        new PhoneMedia(std::move(name), p.config.bind_address, port, rtp_fd, rtcp_fd));
    const uint32_t id = p.next_id++;
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.u64 = uint64_t{id} << 1;
    epoll_ctl(p.epoll_fd, EPOLL_CTL_ADD, rtp_fd, &event);
    event.data.u64 = (uint64_t{id} << 1) | 1;
    epoll_ctl(p.epoll_fd, EPOLL_CTL_ADD, rtcp_fd, &event);
    p.pair_used[pair] = true;
    p.phones.emplace(id, phone);
    return phone;
  }
  return Status(StatusCode::kResourceExhausted,
                "phone media: no free RTP port pair in " + std::to_string(p.config.port_low) + "-" +
                    std::to_string(p.config.port_high) + " for " + name);
}

void PhoneMediaPool::remove_phone(const std::shared_ptr<PhoneMedia>& phone) {
  Impl& p = *impl_;
  std::lock_guard lock(p.mutex);
  for (auto it = p.phones.begin(); it != p.phones.end(); ++it) {
    if (it->second != phone) continue;
    if (phone->rtp_fd_ >= 0) epoll_ctl(p.epoll_fd, EPOLL_CTL_DEL, phone->rtp_fd_, nullptr);
    if (phone->rtcp_fd_ >= 0) epoll_ctl(p.epoll_fd, EPOLL_CTL_DEL, phone->rtcp_fd_, nullptr);
    phone->close_sockets();
    p.pair_used[static_cast<std::size_t>((phone->rtp_port() - p.config.port_low) / 2)] = false;
    p.phones.erase(it);
    return;
  }
}

int PhoneMediaPool::phone_count() const {
  std::lock_guard lock(impl_->mutex);
  return static_cast<int>(impl_->phones.size());
}

Status PhoneMediaPool::start(Clock::time_point scenario_start) {
  Impl& p = *impl_;
  if (p.thread.joinable()) {
    return Status(StatusCode::kFailedPrecondition, "phone media: already running");
  }
  p.start_ns.store(steady_ns(scenario_start));
  if (!p.arm_timer()) return Status(StatusCode::kInternal, "phone media: cannot arm the timer");
  p.stopping.store(false);
  p.thread = std::thread([&p] { p.run(); });
  return Status::ok();
}

void PhoneMediaPool::stop() {
  Impl& p = *impl_;
  if (!p.thread.joinable()) return;
  p.stopping.store(true, std::memory_order_release);
  p.thread.join();
  itimerspec off{};
  timerfd_settime(p.timer_fd, 0, &off, nullptr);
}

bool PhoneMediaPool::running() const { return impl_->thread.joinable(); }

double PhoneMediaPool::now_s() const {
  if (impl_->start_ns.load() == 0) return 0;
  return static_cast<double>(impl_->now_us()) / 1e6;
}

}  // namespace tutti::runner
