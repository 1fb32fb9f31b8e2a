// The jitter buffer's contract: order restored, duplicates and late packets counted, gaps
// reported for concealment with the next packet at hand for FEC, wraps seamless, streams
// resynced, depth bounded, and the target delay following the jitter within its bounds.
#include "jitter_buffer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <vector>

namespace tutti::detail {
namespace {

constexpr uint32_t kSsrc = 0x1234;
constexpr uint32_t kSamples20 = 960;  // 20 ms at 48 kHz

// One packet whose 2-byte payload carries its sequence number, so the output can be checked.
struct TestPacket {
  uint16_t seq = 0;
  uint32_t ts = 0;
  uint32_t ssrc = kSsrc;
  int64_t arrival_ms = 0;
  std::array<uint8_t, 2> bytes{};

  RtpPacketView view() {
    bytes = {static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq & 0xff)};
    return RtpPacketView{seq, ts, ssrc, 111, false, bytes};
  }
};

uint16_t seq_of(std::span<const uint8_t> payload) {
  return static_cast<uint16_t>(payload[0] << 8 | payload[1]);
}

// count packets of 20 ms, arriving on time every 20 ms from t = 0.
std::vector<TestPacket> stream(int count, uint16_t first_seq = 0, uint32_t first_ts = 0,
                               uint32_t samples = kSamples20) {
  std::vector<TestPacket> packets;
  for (int i = 0; i < count; ++i) {
    TestPacket p;
    p.seq = static_cast<uint16_t>(first_seq + i);
    p.ts = first_ts + static_cast<uint32_t>(i) * samples;
    p.arrival_ms = int64_t{i} * 20;
    packets.push_back(p);
  }
  return packets;
}

JitterConfig config(int min_delay_ms = 20, int max_delay_ms = 200, int max_packets = 64) {
  JitterConfig c;
  c.clock_rate_hz = 48000;
  c.frame_ms = 20;
  c.min_delay_ms = min_delay_ms;
  c.max_delay_ms = max_delay_ms;
  c.max_packets = max_packets;
  return c;
}

// Runs a 20 ms tick from t = 0: inserts every packet that has arrived by then, pops once.
// Returns the sequence numbers played (-1 for kLost, -2 for kEmpty) per tick.
std::vector<int> run(JitterBuffer& jb, std::vector<TestPacket> packets, int ticks) {
  std::stable_sort(packets.begin(), packets.end(), [](const TestPacket& a, const TestPacket& b) {
    return a.arrival_ms < b.arrival_ms;
  });
  std::vector<int> out;
  std::size_t next = 0;
  for (int t = 0; t < ticks; ++t) {
    const int64_t now_ms = int64_t{t} * 20;
    while (next < packets.size() && packets[next].arrival_ms <= now_ms) {
      const TestPacket& p = packets[next];
      static_cast<void>(jb.insert(packets[next].view(), p.arrival_ms));
      ++next;
    }
    const PopResult r = jb.pop();
    out.push_back(r.status == PopStatus::kPacket ? seq_of(r.payload)
                  : r.status == PopStatus::kLost ? -1
                                                 : -2);
  }
  return out;
}

std::vector<int> played_only(const std::vector<int>& out) {
  std::vector<int> played;
  for (int s : out) {
    if (s >= 0) played.push_back(s);
  }
  return played;
}

TEST(JitterBufferTest, InOrderPacketsComeOutInOrderAfterTheTargetDelay) {
  JitterBuffer jb(config(40));
  const std::vector<int> out = run(jb, stream(50), 52);
  // 40 ms of target delay: two ticks of silence, then every packet in order.
  EXPECT_EQ(out[0], -2);
  EXPECT_EQ(out[1], -2);
  for (int i = 0; i < 48; ++i) EXPECT_EQ(out[static_cast<std::size_t>(i + 2)], i) << i;
  EXPECT_EQ(jb.counters().lost, 0u);
  EXPECT_EQ(jb.counters().target_delay_ms, 40);
}

TEST(JitterBufferTest, ReorderedPacketsAreRestored) {
  // Adjacent pairs swapped, including the very first two.
  std::vector<TestPacket> packets = stream(40);
  for (std::size_t i = 0; i + 1 < packets.size(); i += 2) {
    std::swap(packets[i].arrival_ms, packets[i + 1].arrival_ms);
  }
  JitterBuffer jb(config(40));
  const std::vector<int> played = played_only(run(jb, packets, 60));
  ASSERT_EQ(played.size(), 40u);
  for (int i = 0; i < 40; ++i) EXPECT_EQ(played[static_cast<std::size_t>(i)], i);
  EXPECT_EQ(jb.counters().lost, 0u);
  EXPECT_EQ(jb.counters().late, 0u);
}

TEST(JitterBufferTest, RandomDelaysWithinTheTargetAreAllPlayedInOrder) {
  const uint32_t seed = std::random_device{}();
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> delay_ms(0, 60);
  std::vector<TestPacket> packets = stream(300);
  for (TestPacket& p : packets) p.arrival_ms += delay_ms(rng);
  JitterBuffer jb(config(100));
  const std::vector<int> played = played_only(run(jb, packets, 320));
  // A start on a late first packet may leave the buffer deep enough to shed one packet.
  EXPECT_EQ(played.size() + jb.counters().latency_drops, 300u);
  EXPECT_LE(jb.counters().latency_drops, 2u);
  EXPECT_TRUE(std::is_sorted(played.begin(), played.end()));
  EXPECT_EQ(jb.counters().lost, 0u);
  EXPECT_EQ(jb.counters().late, 0u);
}

TEST(JitterBufferTest, DuplicatesAreDroppedAndCounted) {
  JitterBuffer jb(config(20));
  std::vector<TestPacket> packets = stream(10);
  packets.push_back(packets[3]);
  packets.push_back(packets[3]);
  packets.push_back(packets[7]);
  const std::vector<int> played = played_only(run(jb, packets, 14));
  ASSERT_EQ(played.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(played[static_cast<std::size_t>(i)], i);
  EXPECT_EQ(jb.counters().duplicates, 3u);
}

TEST(JitterBufferTest, SequenceWrapIsSeamless) {
  // Both the sequence number and the timestamp wrap inside the stream.
  JitterBuffer jb(config(40));
  const std::vector<int> played =
      played_only(run(jb, stream(20, 65530, UINT32_MAX - 3 * kSamples20 + 1), 24));
  ASSERT_EQ(played.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(played[static_cast<std::size_t>(i)], static_cast<uint16_t>(65530 + i));
  }
  EXPECT_EQ(jb.counters().resets, 0u);
  EXPECT_EQ(jb.counters().lost, 0u);
}

TEST(JitterBufferTest, LostPacketIsReportedForConcealment) {
  std::vector<TestPacket> packets = stream(10);
  packets.erase(packets.begin() + 5);
  JitterBuffer jb(config(40));
  const std::vector<int> out = run(jb, packets, 14);
  const std::vector<int> expected = {-2, -2, 0, 1, 2, 3, 4, -1, 6, 7, 8, 9, -2, -2};
  EXPECT_EQ(out, expected);
  EXPECT_EQ(jb.counters().lost, 1u);
}

TEST(JitterBufferTest, FecNextPacketIsAvailableWhenOneIsLost) {
  JitterBuffer jb(config(40));
  std::vector<TestPacket> packets = stream(8);
  for (TestPacket& p : packets) {
    if (p.seq != 3) static_cast<void>(jb.insert(p.view(), 0));
  }
  for (int i = 0; i < 3; ++i) ASSERT_EQ(jb.pop().status, PopStatus::kPacket);
  const PopResult lost = jb.pop();
  ASSERT_EQ(lost.status, PopStatus::kLost);
  EXPECT_EQ(lost.timestamp, 3 * kSamples20);
  EXPECT_EQ(lost.samples, kSamples20);
  const std::span<const uint8_t> fec = jb.next_payload();
  ASSERT_EQ(fec.size(), 2u);
  EXPECT_EQ(seq_of(fec), 4);
  const PopResult next = jb.pop();
  ASSERT_EQ(next.status, PopStatus::kPacket);
  EXPECT_EQ(seq_of(next.payload), 4);
}

TEST(JitterBufferTest, SsrcChangeResyncs) {
  JitterBuffer jb(config(40));
  std::vector<TestPacket> packets = stream(10);
  std::vector<TestPacket> other = stream(10, 5000, 777777);
  for (TestPacket& p : other) {
    p.ssrc = 0xbeef;
    p.arrival_ms += 200;
  }
  packets.insert(packets.end(), other.begin(), other.end());
  const std::vector<int> out = run(jb, packets, 24);
  const std::vector<int> played = played_only(out);
  // The old stream's tail is flushed; the new one plays in full, in order.
  ASSERT_GE(played.size(), 10u);
  const std::vector<int> tail(played.end() - 10, played.end());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(tail[static_cast<std::size_t>(i)], 5000 + i);
  EXPECT_EQ(jb.counters().resets, 1u);
}

TEST(JitterBufferTest, TimestampJumpResyncs) {
  JitterBuffer jb(config(40));
  std::vector<TestPacket> packets = stream(20);
  for (std::size_t i = 10; i < packets.size(); ++i) packets[i].ts += 5 * 48000;  // +5 s
  const std::vector<int> played = played_only(run(jb, packets, 24));
  EXPECT_EQ(jb.counters().resets, 1u);
  ASSERT_GE(played.size(), 10u);
  const std::vector<int> tail(played.end() - 10, played.end());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(tail[static_cast<std::size_t>(i)], 10 + i);
  EXPECT_EQ(jb.counters().late, 0u);
}

TEST(JitterBufferTest, DtxPauseRebuffersWithoutLossOrDrops) {
  // 10 packets, a 400 ms pause (sequence continues, timestamp and arrival skip), 10 more.
  std::vector<TestPacket> packets = stream(20);
  for (std::size_t i = 10; i < packets.size(); ++i) {
    packets[i].ts += 400 * 48;
    packets[i].arrival_ms += 400;
  }
  JitterBuffer jb(config(40));
  const std::vector<int> played = played_only(run(jb, packets, 50));
  ASSERT_EQ(played.size(), 20u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(played[static_cast<std::size_t>(i)], i);
  const JitterCounters c = jb.counters();
  EXPECT_EQ(c.underruns, 2u);  // the pause, and the end of the stream
  EXPECT_EQ(c.resets, 0u);
  EXPECT_EQ(c.lost, 0u);
  EXPECT_EQ(c.latency_drops, 0u);
  EXPECT_EQ(c.overflow_drops, 0u);
}

TEST(JitterBufferTest, LongSequenceJumpResyncs) {
  // 100 packets missing with consistent timestamps: more than the slots can span.
  std::vector<TestPacket> packets = stream(10);
  std::vector<TestPacket> later = stream(10, 110, 110 * kSamples20);
  for (TestPacket& p : later) p.arrival_ms += 300;
  packets.insert(packets.end(), later.begin(), later.end());
  JitterBuffer jb(config(40, 200, 64));
  const std::vector<int> played = played_only(run(jb, packets, 40));
  EXPECT_EQ(jb.counters().resets, 1u);
  ASSERT_GE(played.size(), 10u);
  EXPECT_EQ(played.back(), 119);
}

TEST(JitterBufferTest, DepthIsBoundedAndOldestDropped) {
  JitterBuffer jb(config(20, 100));
  for (TestPacket& p : stream(30)) static_cast<void>(jb.insert(p.view(), p.arrival_ms));
  EXPECT_LE(jb.depth_ms(), 100);
  // 100 ms of depth behind the head: packets 24..29 stay.
  EXPECT_EQ(jb.counters().overflow_drops, 24u);
  const PopResult r = jb.pop();
  ASSERT_EQ(r.status, PopStatus::kPacket);
  EXPECT_EQ(seq_of(r.payload), 24);
}

TEST(JitterBufferTest, SlotCountBoundsDepthToo) {
  JitterBuffer jb(config(20, 200, 4));
  for (TestPacket& p : stream(10)) static_cast<void>(jb.insert(p.view(), p.arrival_ms));
  EXPECT_EQ(jb.depth_ms(), 60);
  EXPECT_EQ(jb.counters().overflow_drops, 6u);
}

TEST(JitterBufferTest, JitterRaisesTargetDelayWithinBounds) {
  const uint32_t seed = std::random_device{}();
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  std::mt19937 rng(seed);
  {
    JitterBuffer jb(config(20, 200));
    static_cast<void>(run(jb, stream(200), 210));
    EXPECT_EQ(jb.target_delay_ms(), 20);
  }
  {
    std::uniform_int_distribution<int> delay_ms(0, 60);
    std::vector<TestPacket> packets = stream(300);
    for (TestPacket& p : packets) p.arrival_ms += delay_ms(rng);
    JitterBuffer jb(config(20, 200));
    const std::vector<int> played = played_only(run(jb, packets, 320));
    EXPECT_GT(jb.target_delay_ms(), 30);
    EXPECT_LE(jb.target_delay_ms(), 200);
    EXPECT_GT(jb.counters().jitter_ms, 5.0);
    EXPECT_TRUE(std::is_sorted(played.begin(), played.end()));
  }
  {
    std::uniform_int_distribution<int> delay_ms(0, 900);
    std::vector<TestPacket> packets = stream(300);
    for (TestPacket& p : packets) p.arrival_ms += delay_ms(rng);
    JitterBuffer jb(config(20, 200));
    static_cast<void>(run(jb, packets, 360));
    EXPECT_EQ(jb.target_delay_ms(), 200);
    EXPECT_LE(jb.depth_ms(), 200);
  }
}

TEST(JitterBufferTest, PacketLengthFollowsPtimeChanges) {
  // 20 ms packets, then 60 ms, then 10 ms; each pop happens with the following packet in.
  JitterBuffer jb(config(0, 200));
  std::vector<TestPacket> packets;
  std::vector<uint32_t> lengths;
  uint32_t ts = 0;
  for (uint32_t length : {960u, 2880u, 480u}) {
    for (int i = 0; i < 4; ++i) {
      TestPacket p;
      p.seq = static_cast<uint16_t>(packets.size());
      p.ts = ts;
      ts += length;
      packets.push_back(p);
      lengths.push_back(length);
    }
  }
  ASSERT_EQ(jb.insert(packets[0].view(), 0), InsertResult::kInserted);
  for (std::size_t i = 0; i + 1 < packets.size(); ++i) {
    ASSERT_EQ(jb.insert(packets[i + 1].view(), 0), InsertResult::kInserted);
    const PopResult r = jb.pop();
    ASSERT_EQ(r.status, PopStatus::kPacket) << i;
    EXPECT_EQ(seq_of(r.payload), i);
    EXPECT_EQ(r.samples, lengths[i]) << i;
  }
  EXPECT_EQ(jb.counters().resets, 0u);
}

TEST(JitterBufferTest, LatePacketIsCountedNotPlayed) {
  std::vector<TestPacket> packets = stream(10);
  packets[4].arrival_ms += 200;
  JitterBuffer jb(config(20));
  const std::vector<int> played = played_only(run(jb, packets, 16));
  EXPECT_EQ(std::count(played.begin(), played.end(), 4), 0);
  EXPECT_EQ(jb.counters().late, 1u);
  EXPECT_EQ(jb.counters().lost, 1u);
}

TEST(JitterBufferTest, GarbageInputIsRejectedNotCrashing) {
  JitterBuffer jb(config());
  std::vector<uint8_t> big(kMaxRtpPayloadBytes + 1, 0xab);
  RtpPacketView huge{1, 0, kSsrc, 111, false, big};
  EXPECT_EQ(jb.insert(huge, 0), InsertResult::kRejected);
  EXPECT_EQ(jb.counters().rejected, 1u);
  EXPECT_EQ(jb.pop().status, PopStatus::kEmpty);

  const uint32_t seed = std::random_device{}();
  SCOPED_TRACE(::testing::Message() << "seed " << seed);
  std::mt19937 rng(seed);
  std::vector<uint8_t> bytes(2000, 0x5a);
  for (int i = 0; i < 20000; ++i) {
    const std::size_t size = rng() % bytes.size();
    RtpPacketView v{static_cast<uint16_t>(rng()),
                    static_cast<uint32_t>(rng()),
                    static_cast<uint32_t>(rng() % 3),
                    static_cast<uint8_t>(rng()),
                    false,
                    std::span<const uint8_t>(bytes.data(), size)};
    static_cast<void>(jb.insert(v, i));
    const PopResult r = jb.pop();
    ASSERT_LE(r.payload.size(), kMaxRtpPayloadBytes);
    ASSERT_LE(jb.depth_ms(), 200);
  }
  EXPECT_GT(jb.counters().rejected, 1u);
}

}  // namespace
}  // namespace tutti::detail
