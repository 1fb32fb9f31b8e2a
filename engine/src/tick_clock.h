// Ticks on absolute deadlines: deadline_k = start + k * period, slept to with
// clock_nanosleep(TIMER_ABSTIME) so the rate never drifts with the tick's own duration.
// A tick that starts after its deadline is late; after a stall longer than a period the
// missed deadlines are skipped (counted), not run back to back: a burst of catch-up ticks would
// only push stale audio and starve the network threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <thread>

namespace tutti::detail {

// The scheduling rule, separate from the thread so it can be tested without sleeping.
struct NextDeadline {
  int64_t deadline_ns;
  uint64_t skipped;  // deadlines dropped
};
// After a tick that ended at now_ns, for a tick that was due at deadline_ns.
NextDeadline next_deadline(int64_t deadline_ns, int64_t now_ns, int64_t period_ns) noexcept;

class TickClock {
 public:
  // Control plane. on_tick runs on the clock's own thread once per period.
  // realtime_priority > 0: the thread asks for SCHED_FIFO at that priority.
  TickClock(int64_t period_ns, std::function<void()> on_tick, int realtime_priority = 0);
  ~TickClock();
  TickClock(const TickClock&) = delete;
  TickClock& operator=(const TickClock&) = delete;

  void start();
  void stop();  // waits for the running tick to finish

  uint64_t ticks() const noexcept { return ticks_.load(std::memory_order_relaxed); }
  uint64_t late_ticks() const noexcept { return late_.load(std::memory_order_relaxed); }
  uint64_t skipped_ticks() const noexcept { return skipped_.load(std::memory_order_relaxed); }
  bool realtime() const noexcept { return realtime_.load(std::memory_order_relaxed); }

 private:
  void run() noexcept;

  const int64_t period_ns_;
  std::function<void()> on_tick_;
  const int realtime_priority_;
  std::atomic<bool> running_{false};
  std::atomic<bool> realtime_{false};
  std::atomic<uint64_t> ticks_{0}, late_{0}, skipped_{0};
  std::thread thread_;
};

int64_t monotonic_now_ns() noexcept;

}  // namespace tutti::detail
