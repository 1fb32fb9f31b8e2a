#include "tick_clock.h"

#include <pthread.h>
#include <sched.h>

#include <ctime>

#include "rt.h"

namespace tutti::detail {

int64_t monotonic_now_ns() noexcept {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

NextDeadline next_deadline(int64_t deadline_ns, int64_t now_ns, int64_t period_ns) noexcept {
  int64_t next = deadline_ns + period_ns;
  uint64_t skipped = 0;
  if (now_ns >= next) {
    // The next deadline has already passed: keep the phase, jump to the first one still ahead.
    const int64_t behind = (now_ns - next) / period_ns + 1;
    skipped = static_cast<uint64_t>(behind);
    next += behind * period_ns;
  }
  return {next, skipped};
}

TickClock::TickClock(int64_t period_ns, std::function<void()> on_tick, int realtime_priority)
    : period_ns_(period_ns), on_tick_(std::move(on_tick)), realtime_priority_(realtime_priority) {}

TickClock::~TickClock() { stop(); }

void TickClock::start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { run(); });
}

void TickClock::stop() {
  running_.store(false);
  if (thread_.joinable()) thread_.join();
}

void TickClock::run() noexcept {
  enable_flush_denormals();
  if (realtime_priority_ > 0) {
    sched_param param{};
    param.sched_priority = realtime_priority_;
    realtime_.store(pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0,
                    std::memory_order_relaxed);
  }
  int64_t deadline = monotonic_now_ns() + period_ns_;
  while (running_.load(std::memory_order_relaxed)) {
    timespec ts{static_cast<time_t>(deadline / 1'000'000'000),
                static_cast<long>(deadline % 1'000'000'000)};
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) != 0) {
    }
    if (!running_.load(std::memory_order_relaxed)) break;
    const int64_t started = monotonic_now_ns();
    if (started - deadline > period_ns_ / 2) late_.fetch_add(1, std::memory_order_relaxed);
    on_tick_();
    ticks_.fetch_add(1, std::memory_order_relaxed);
    const NextDeadline next = next_deadline(deadline, monotonic_now_ns(), period_ns_);
    skipped_.fetch_add(next.skipped, std::memory_order_relaxed);
    deadline = next.deadline_ns;
  }
}

}  // namespace tutti::detail
