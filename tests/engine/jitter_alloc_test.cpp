// The jitter buffer never allocates after construction: every malloc and operator new in this
// process is counted across ten thousand insert/pop rounds with jitter, loss, duplicates,
// sequence wraps and SSRC changes.
// Sanitizer runtimes own malloc, so under ASan/TSan this test is skipped.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <random>

#include "jitter_buffer.h"
#include "support/alloc_counter.h"

namespace tutti::detail {
namespace {

TEST(JitterAllocTest, InsertAndPopNeverAllocate) {
  if (!test::alloc::interposed()) GTEST_SKIP() << "the sanitizer runtime owns malloc";
  JitterBuffer jb(JitterConfig{});
  std::mt19937 rng(42);
  std::array<uint8_t, 160> payload{};
  uint16_t seq = 65000;  // wraps during the run
  uint32_t ts = 0;
  uint32_t ssrc = 1;
  uint64_t played = 0;

  test::alloc::arm();
  for (int i = 0; i < 10000; ++i) {
    if (i % 3000 == 2999) ++ssrc;
    const uint32_t roll = rng() % 100;
    if (roll >= 3) {  // 3 % loss
      const RtpPacketView v{seq, ts, ssrc, 111, false, payload};
      static_cast<void>(jb.insert(v, int64_t{i} * 20 + static_cast<int64_t>(rng() % 40)));
      if (roll < 6) static_cast<void>(jb.insert(v, int64_t{i} * 20 + 1));  // duplicate
    }
    ++seq;
    ts += 960;
    if (jb.pop().status == PopStatus::kPacket) ++played;
    static_cast<void>(jb.next_payload());
    static_cast<void>(jb.counters());
  }
  test::alloc::disarm();

  EXPECT_EQ(test::alloc::count(), 0u);
  EXPECT_GT(played, 9000u);
}

}  // namespace
}  // namespace tutti::detail
