// The media thread that serves every virtual participant of a `tutti run`, and the port range
// their RTP/RTCP pairs come from.
//
// One thread: epoll over every phone's two sockets (recvmmsg batches) and a timerfd armed on
// absolute CLOCK_MONOTONIC deadlines (TFD_TIMER_ABSTIME, the same clock and semantics as
// clock_nanosleep(TIMER_ABSTIME) but waitable next to the sockets), so each 20 ms tick sends one
// frame per sending phone without drift, and arrivals are timestamped as they come.
//
// Scenario time: start(t0) fixes t0; arrival times, heard() windows and digit times are
// seconds since t0 (steady_clock). Ticks fall on t0 + k * 20 ms.
//
// Threads: add_phone/remove_phone/start/stop are for control threads and thread safe. The
// media thread holds the pool mutex while it handles one batch of events, so once
// remove_phone() returns the thread will not touch that phone again; it looks phones up by id,
// never through a pointer kept across the wait.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "tutti/runner/phone_media.h"
#include "tutti/status.h"

namespace tutti::runner {

struct PhoneMediaPoolConfig {
  std::string bind_address = "127.0.0.1";  // numeric IPv4
  uint16_t port_low = 48000;               // even; RTP ports are low, low+2, ... <= port_high
  uint16_t port_high = 48999;
};

class PhoneMediaPool {
 public:
  using Clock = std::chrono::steady_clock;

  // kInvalidArgument for a bad address or range; kInternal if epoll/timerfd cannot be made.
  static Result<std::unique_ptr<PhoneMediaPool>> create(const PhoneMediaPoolConfig& config);
  ~PhoneMediaPool();  // stops the thread, closes every phone's sockets
  PhoneMediaPool(const PhoneMediaPool&) = delete;
  PhoneMediaPool& operator=(const PhoneMediaPool&) = delete;

  // Binds the next free even/odd pair of the range (ports taken by other programs are
  // skipped); kResourceExhausted when none is left. Works before and after start().
  Result<std::shared_ptr<PhoneMedia>> add_phone(std::string name);
  // Stops serving the phone and frees its ports; what it heard stays readable. Safe while
  // running; a phone that is not in the pool is ignored.
  void remove_phone(const std::shared_ptr<PhoneMedia>& phone);
  int phone_count() const;

  // Starts the media thread with scenario time 0 at scenario_start. kFailedPrecondition if
  // already running.
  Status start(Clock::time_point scenario_start);
  // Joins the thread; phones stay (start() again to resume). Idempotent.
  void stop();
  bool running() const;

  // Seconds since the scenario start (negative before it); 0 before the first start().
  double now_s() const;

 private:
  struct Impl;
  explicit PhoneMediaPool(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tutti::runner
