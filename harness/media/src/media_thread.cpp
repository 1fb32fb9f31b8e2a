#include "media_thread.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

namespace tutti::media::detail {
namespace {

constexpr int kMaxEvents = 64;
constexpr int kMaxDrainRounds = 8;  // per readable socket and wake-up, so no socket starves others

int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// A quarter tick, 2..5 ms: often enough that a payload waits at most a few ms in the link.
int64_t pump_interval_us(int tick_ms) { return std::clamp(tick_ms / 4, 2, 5) * int64_t{1000}; }

}  // namespace

MediaThread::MediaThread(const MediaContext& context, int max_streams)
    : context_(context),
      pump_interval_us_(pump_interval_us(context.tick_ms)),
      recv_(std::make_unique<RecvBatch>()),
      send_(std::make_unique<SendBatch>()) {
  streams_.reserve(static_cast<std::size_t>(max_streams));
  pending_.reserve(64);
  work_.reserve(64);
}

MediaThread::~MediaThread() {
  stop();
  if (epoll_fd_ >= 0) close(epoll_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

Status MediaThread::start() {
  epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (epoll_fd_ < 0 || wake_fd_ < 0) return {StatusCode::kInternal, "media: epoll/eventfd failed"};
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;  // the wake-up eventfd
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev) != 0) {
    return {StatusCode::kInternal, "media: epoll_ctl failed"};
  }
  running_.store(true, std::memory_order_release);
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

void MediaThread::stop() {
  if (!thread_.joinable()) return;
  running_.store(false, std::memory_order_release);
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = write(wake_fd_, &one, sizeof(one));
  thread_.join();
}

void MediaThread::attach(Stream& stream, Target& target) {
  Command c;
  c.type = CommandType::kAttach;
  c.stream = &stream;
  c.target = &target;
  wait_applied(post(c));
}

void MediaThread::retarget(Stream& stream, Target& target) {
  Command c;
  c.type = CommandType::kRetarget;
  c.stream = &stream;
  c.target = &target;
  wait_applied(post(c));
}

void MediaThread::detach(Stream& stream) {
  Command c;
  c.type = CommandType::kDetach;
  c.stream = &stream;
  wait_applied(post(c));
}

void MediaThread::send_digit(Stream& stream, uint8_t event, int duration_ms) {
  Command c;
  c.type = CommandType::kDigit;
  c.stream = &stream;
  c.event = event;
  c.duration_ms = duration_ms;
  post(c);
}

uint64_t MediaThread::post(const Command& command) {
  uint64_t sequence = 0;
  {
    std::lock_guard lock(mutex_);
    pending_.push_back(command);
    sequence = ++posted_;
  }
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = write(wake_fd_, &one, sizeof(one));
  return sequence;
}

void MediaThread::wait_applied(uint64_t sequence) {
  std::unique_lock lock(mutex_);
  applied_cv_.wait(lock, [&] { return applied_ >= sequence; });
}

void MediaThread::run() {
  std::array<epoll_event, kMaxEvents> events{};
  next_pump_us_ = now_us();
  while (running_.load(std::memory_order_acquire)) {
    const int64_t wait_us = std::max<int64_t>(0, next_pump_us_ - now_us());
    const int n =
        epoll_wait(epoll_fd_, events.data(), kMaxEvents, static_cast<int>((wait_us + 999) / 1000));
    const int64_t now = now_us();
    for (int i = 0; i < n; ++i) {
      const auto* tag = static_cast<const SocketTag*>(events[static_cast<std::size_t>(i)].data.ptr);
      if (tag == nullptr) {
        uint64_t count = 0;
        [[maybe_unused]] const ssize_t r = read(wake_fd_, &count, sizeof(count));
      } else {
        handle_readable(*tag, now);
      }
    }
    if (now >= next_pump_us_) {
      pump(now);
      next_pump_us_ = now + pump_interval_us_;
    }
    // After the packets: a stream detached here had no events left in this wake-up's list.
    apply_commands(now);
  }
}

void MediaThread::handle_readable(const SocketTag& tag, int64_t now_us) {
  Stream& s = *tag.stream;
  const int fd = tag.rtcp ? s.rtcp_fd : s.rtp_fd;
  for (int round = 0; round < kMaxDrainRounds; ++round) {
    const std::size_t n = recv_->receive(fd);
    for (std::size_t i = 0; i < n; ++i) {
      const std::span<const uint8_t> data = recv_->packet(i);
      const sockaddr* from = recv_->source(i);
      const socklen_t from_length = recv_->source_length(i);
      if (data.empty()) {
        bump(tag.rtcp ? s.counters.malformed_rtcp : s.counters.malformed_rtp);
      } else if (tag.rtcp) {
        receive_rtcp(s, data, from, from_length, now_us);
      } else {
        receive_on_rtp_socket(s, data, from, from_length, now_us, context_);
      }
    }
    if (n < RecvBatch::kPackets) break;
  }
}

void MediaThread::pump(int64_t now_us) {
  for (Stream* s : streams_) {
    pump_output(*s, now_us, context_, *send_, scratch_);
    maybe_send_rtcp(*s, now_us, context_);
  }
}

void MediaThread::apply_commands(int64_t now_us) {
  uint64_t taken = 0;
  {
    std::lock_guard lock(mutex_);
    if (pending_.empty()) return;
    work_.swap(pending_);
    taken = posted_;
  }
  for (const Command& c : work_) apply(c, now_us);
  work_.clear();
  {
    std::lock_guard lock(mutex_);
    applied_ = taken;
  }
  applied_cv_.notify_all();
}

void MediaThread::apply(const Command& c, int64_t now_us) {
  switch (c.type) {
    case CommandType::kAttach:
      on_attach(*c.stream, *c.target, now_us);
      break;
    case CommandType::kRetarget:
      on_retarget(*c.stream, *c.target);
      break;
    case CommandType::kDetach:
      on_detach(*c.stream, now_us);
      break;
    case CommandType::kDigit:
      queue_digit(*c.stream, c.event, c.duration_ms);
      break;
  }
}

void MediaThread::on_attach(Stream& stream, Target& target, int64_t now_us) {
  StreamMediaState& m = stream.media;
  m.target = &target;
  m.next_sequence = stream.first_sequence;
  m.rtp_latch.reset(target.rtp_sdp);
  m.rtcp_latch.reset(target.rtcp_sdp);
  m.next_rtcp_ms = now_us / 1000 + context_.rtcp_interval_ms / 2;
  // Whatever arrived between open and start belongs to no call yet.
  for (const int fd : {stream.rtp_fd, stream.rtcp_fd}) {
    while (recv_->receive(fd) == RecvBatch::kPackets) {
    }
  }
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = &stream.rtp_tag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, stream.rtp_fd, &ev);
  ev.data.ptr = &stream.rtcp_tag;
  epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, stream.rtcp_fd, &ev);
  streams_.push_back(&stream);
}

void MediaThread::on_retarget(Stream& stream, Target& target) {
  StreamMediaState& m = stream.media;
  const Target& old = *m.target;
  if (!(old.rtp_sdp == target.rtp_sdp)) m.rtp_latch.reset(target.rtp_sdp);
  if (!(old.rtcp_sdp == target.rtcp_sdp)) m.rtcp_latch.reset(target.rtcp_sdp);
  // Another link may tick on another clock: the pacing estimate starts again.
  if (!(old.params.link.id() == target.params.link.id())) m.anchored = false;
  m.target = &target;
}

void MediaThread::on_detach(Stream& stream, int64_t now_us) {
  flush_received_dtmf(stream, context_);
  send_rtcp_bye(stream, now_us);
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, stream.rtp_fd, nullptr);
  epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, stream.rtcp_fd, nullptr);
  const auto it = std::find(streams_.begin(), streams_.end(), &stream);
  if (it != streams_.end()) {
    *it = streams_.back();
    streams_.pop_back();
  }
  stream.media.target = nullptr;
}

}  // namespace tutti::media::detail
