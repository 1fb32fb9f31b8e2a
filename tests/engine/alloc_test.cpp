// The tick never allocates: every malloc and operator new in this process is counted while
// armed, on every thread except the control thread (whose joins are allowed to allocate).
// Ten thousand ticks run with rooms of both routing modes, on 0 and 2 worker threads, while
// the control thread joins, leaves, kicks and mutes participants.
// Sanitizer runtimes own malloc, so under ASan/TSan this test is skipped (it runs in the
// plain Release and Debug builds).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <thread>

#include "support/signals.h"
#include "tutti/engine.h"

namespace {
std::atomic<bool> g_armed{false};
std::atomic<uint64_t> g_allocations{0};
thread_local bool t_exempt = false;

[[maybe_unused]] void count() {
  if (g_armed.load(std::memory_order_relaxed) && !t_exempt) {
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

namespace tutti::test {
namespace {

class AllocTest : public ::testing::TestWithParam<int> {};

TEST_P(AllocTest, TickNeverAllocatesWhileControlThreadChangesRooms) {
#ifdef TUTTI_SANITIZED
  GTEST_SKIP() << "the sanitizer runtime owns malloc";
#endif
  EngineConfig ec;
  ec.threads = GetParam();
  auto engine = std::move(*Engine::create(ec));
  RoomConfig matrix;
  matrix.routing = RoutingMode::kMatrix;
  matrix.max_participants = 16;
  std::vector<RoomId> rooms = {*engine->create_room(RoomConfig{}),
                               *engine->create_room(RoomConfig{}), *engine->create_room(matrix)};
  std::vector<ParticipantLink> links;
  std::vector<ToneGenerator> tones;
  for (std::size_t i = 0; i < 9; ++i) {
    links.push_back(*engine->add_participant(rooms[i % 3], {}));
    tones.emplace_back(300.0 + 150.0 * static_cast<double>(i), 0.2, ec.sample_rate_hz);
  }
  std::vector<int16_t> pcm(engine->frame_samples());
  auto one_tick = [&] {
    for (std::size_t i = 0; i < links.size(); ++i) {
      tones[i].fill(std::span<int16_t>(pcm));
      links[i].try_push_input(pcm);
    }
    engine->tick();
    for (auto& l : links) l.try_pull_output(pcm);
  };
  for (int t = 0; t < 200; ++t) one_tick();  // warm-up: worker threads start, caches fill

  std::atomic<bool> go{false}, stop{false};
  std::atomic<int> control_ops{0};
  std::thread control([&] {  // created before arming: std::thread allocates its state
    t_exempt = true;
    while (!go) std::this_thread::yield();
    std::vector<Event> events(128);
    for (int i = 0; !stop; ++i) {
      auto extra = engine->add_participant(rooms[static_cast<std::size_t>(i) % 3], {});
      if (!extra) continue;
      (void)engine->set_muted(links[static_cast<std::size_t>(i) % links.size()].id(), i % 2 == 0);
      (void)engine->set_gain_in_db(links[static_cast<std::size_t>(i) % links.size()].id(), -3.0f);
      std::this_thread::yield();
      (void)(i % 3 == 0 ? engine->kick(extra->id()) : engine->remove_participant(extra->id()));
      engine->poll_events(events);
      control_ops.fetch_add(1);
    }
  });
  g_allocations = 0;
  g_armed = true;
  go = true;
  for (int t = 0; t < 10000; ++t) one_tick();
  g_armed = false;
  stop = true;
  control.join();
  EXPECT_EQ(g_allocations.load(), 0u) << "allocations on the tick path";
  EXPECT_GT(control_ops.load(), 100) << "the control thread must really have run";
  EXPECT_EQ(engine->stats().ticks, 10200u);
}

INSTANTIATE_TEST_SUITE_P(SerialAndTwoThreads, AllocTest, ::testing::Values(0, 2));

}  // namespace
}  // namespace tutti::test
