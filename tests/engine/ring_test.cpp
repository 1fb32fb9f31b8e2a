// The lock-free queues: order, bounds, and two threads hammering them (run under TSan).
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "mpsc_queue.h"
#include "shared_frame.h"
#include "spsc_ring.h"

namespace tutti::detail {
namespace {

TEST(SpscRingTest, HoldsExactlyItsCapacityInOrder) {
  SpscRing<int> ring(3);
  EXPECT_TRUE(ring.try_push(1));
  EXPECT_TRUE(ring.try_push(2));
  EXPECT_TRUE(ring.try_push(3));
  EXPECT_FALSE(ring.try_push(4));
  int v = 0;
  for (int want = 1; want <= 3; ++want) {
    ASSERT_TRUE(ring.try_pop(v));
    EXPECT_EQ(v, want);
  }
  EXPECT_FALSE(ring.try_pop(v));
}

TEST(SpscRingTest, TwoThreadsPassAMillionItemsInOrder) {
  SpscRing<uint64_t> ring(64);
  constexpr uint64_t kCount = 1'000'000;
  std::thread producer([&] {
    for (uint64_t i = 0; i < kCount;) {
      if (ring.try_push(i)) ++i;
    }
  });
  uint64_t expected = 0;
  while (expected < kCount) {
    uint64_t v;
    if (ring.try_pop(v)) {
      ASSERT_EQ(v, expected);
      ++expected;
    }
  }
  producer.join();
}

TEST(MpscQueueTest, RefusesWhenFullAndKeepsFifoPerProducer) {
  MpscQueue<int> q(4);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(q.try_push(i));
  EXPECT_FALSE(q.try_push(99));
  int v;
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(q.try_pop(v));
    EXPECT_EQ(v, i);
  }
  EXPECT_FALSE(q.try_pop(v));
}

TEST(MpscQueueTest, FourProducersLoseNothing) {
  MpscQueue<uint64_t> q(128);
  constexpr uint64_t kPerProducer = 100'000;
  std::vector<std::thread> producers;
  for (uint64_t p = 0; p < 4; ++p) {
    producers.emplace_back([&, p] {
      for (uint64_t i = 0; i < kPerProducer;) {
        if (q.try_push(p << 32 | i)) ++i;
      }
    });
  }
  std::vector<uint64_t> next(4, 0);
  for (uint64_t received = 0; received < 4 * kPerProducer;) {
    uint64_t v;
    if (!q.try_pop(v)) continue;
    const uint64_t p = v >> 32;
    ASSERT_EQ(v & 0xffffffff, next[p]) << "producer " << p << " out of order";
    ++next[p];
    ++received;
  }
  for (auto& t : producers) t.join();
}

// A reader that falls kFrameSlots behind sees "stale", never a torn frame.
TEST(SharedFrameTest, ReaderNeverSeesATornFrame) {
  SharedFrame frame;
  std::atomic<uint64_t> published{0};
  std::atomic<uint64_t> acknowledged{0};
  std::atomic<bool> done{false};
  std::thread writer([&] {
    std::vector<int16_t> pcm(480);
    for (uint64_t t = 1; t <= 20000; ++t) {
      std::fill(pcm.begin(), pcm.end(), static_cast<int16_t>(t & 0x7fff));
      frame.publish(t, pcm.data(), pcm.size());
      published.store(t, std::memory_order_release);
      // Every 64 frames wait for the reader, so some reads are sure to be clean ones.
      while (t % 64 == 0 && acknowledged.load(std::memory_order_acquire) < t) {
        std::this_thread::yield();
      }
    }
    done = true;
  });
  std::vector<int16_t> out(480);
  uint64_t good = 0;
  while (!done) {
    const uint64_t t = published.load(std::memory_order_acquire);
    if (t == 0) continue;
    if (frame.read(t, out.data(), out.size() * sizeof(int16_t)) != SharedFrame::kStale) {
      for (int16_t s : out) ASSERT_EQ(s, static_cast<int16_t>(t & 0x7fff));
      ++good;
    }
    acknowledged.store(t, std::memory_order_release);
  }
  writer.join();
  EXPECT_GT(good, 0u);
}

}  // namespace
}  // namespace tutti::detail
