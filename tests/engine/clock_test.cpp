// The tick clock's rule: absolute deadlines, late ticks skipped rather than burst.
#include <gtest/gtest.h>
#include <pthread.h>

#include <atomic>

#include "tick_clock.h"

namespace tutti::detail {
namespace {

constexpr int64_t kPeriod = 20'000'000;

TEST(ClockTest, OnTimeTickKeepsTheAbsoluteSchedule) {
  const NextDeadline next = next_deadline(100 * kPeriod, 100 * kPeriod + 3'000'000, kPeriod);
  EXPECT_EQ(next.deadline_ns, 101 * kPeriod);
  EXPECT_EQ(next.skipped, 0u);
}

TEST(ClockTest, SlightlyLateTickRunsTheNextOneAtItsDeadline) {
  // The tick overran into the next period but the next deadline is still ahead.
  const NextDeadline next = next_deadline(100 * kPeriod, 100 * kPeriod + kPeriod - 1, kPeriod);
  EXPECT_EQ(next.deadline_ns, 101 * kPeriod);
  EXPECT_EQ(next.skipped, 0u);
}

TEST(ClockTest, StallSkipsMissedTicksInsteadOfBursting) {
  // A 105 ms stall in a 20 ms clock: deadlines 101..105 are gone, the next is 106 (in phase).
  const NextDeadline next = next_deadline(100 * kPeriod, 100 * kPeriod + 105'000'000, kPeriod);
  EXPECT_EQ(next.skipped, 5u);
  EXPECT_EQ(next.deadline_ns, 106 * kPeriod);
  EXPECT_GT(next.deadline_ns, 100 * kPeriod + 105'000'000);
}

TEST(ClockTest, RealClockCountsSkippedTicksAfterAStall) {
  int calls = 0;
  TickClock clock(5'000'000, [&] {
    if (++calls == 3) {
      timespec stall{0, 60'000'000};
      nanosleep(&stall, nullptr);
    }
  });
  clock.start();
  while (clock.ticks() < 8) {
    timespec wait{0, 5'000'000};
    nanosleep(&wait, nullptr);
  }
  clock.stop();
  EXPECT_GE(clock.skipped_ticks(), 10u);  // 60 ms stall in a 5 ms clock
}

// With a realtime priority the clock thread runs SCHED_FIFO when the process may (containers
// often refuse even root); the flag must match the policy read back from the thread itself.
TEST(ClockTest, RealtimePriorityIsAskedForAndReportedTruthfully) {
  std::atomic<int> policy{-1};
  TickClock clock(
      5'000'000,
      [&] {
        sched_param param{};
        int p = 0;
        pthread_getschedparam(pthread_self(), &p, &param);
        policy.store(p);
      },
      10);
  clock.start();
  while (clock.ticks() < 2) {
    timespec wait{0, 5'000'000};
    nanosleep(&wait, nullptr);
  }
  clock.stop();
  EXPECT_EQ(clock.realtime(), policy.load() == SCHED_FIFO);
}

}  // namespace
}  // namespace tutti::detail
