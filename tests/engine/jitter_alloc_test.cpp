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

namespace {
std::atomic<bool> g_armed{false};
std::atomic<uint64_t> g_allocations{0};

[[maybe_unused]] void count() {
  if (g_armed.load(std::memory_order_relaxed)) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
  }
}
}  // namespace

#ifndef TUTTI_SANITIZED
extern "C" {
void* __libc_malloc(std::size_t);
void* __libc_calloc(std::size_t, std::size_t);
void* __libc_realloc(void*, std::size_t);
void* __libc_memalign(std::size_t, std::size_t);
void __libc_free(void*);

void* malloc(std::size_t n) {
  count();
  return __libc_malloc(n);
}
void* calloc(std::size_t a, std::size_t b) {
  count();
  return __libc_calloc(a, b);
}
void* realloc(void* p, std::size_t n) {
  count();
  return __libc_realloc(p, n);
}
void* aligned_alloc(std::size_t align, std::size_t n) {
  count();
  return __libc_memalign(align, n);
}
int posix_memalign(void** out, std::size_t align, std::size_t n) {
  count();
  *out = __libc_memalign(align, n);
  return *out ? 0 : 12;
}
void free(void* p) {
  count();
  __libc_free(p);
}
}  // extern "C"
#endif

namespace tutti::detail {
namespace {

TEST(JitterAllocTest, InsertAndPopNeverAllocate) {
#ifdef TUTTI_SANITIZED
  GTEST_SKIP() << "the sanitizer runtime owns malloc";
#endif
  JitterBuffer jb(JitterConfig{});
  std::mt19937 rng(42);
  std::array<uint8_t, 160> payload{};
  uint16_t seq = 65000;  // wraps during the run
  uint32_t ts = 0;
  uint32_t ssrc = 1;
  uint64_t played = 0;

  g_armed.store(true);
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
  g_armed.store(false);

  EXPECT_EQ(g_allocations.load(), 0u);
  EXPECT_GT(played, 9000u);
}

}  // namespace
}  // namespace tutti::detail
