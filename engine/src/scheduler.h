// Runs the rooms of a tick in parallel: one small class over a oneTBB task_arena, so no TBB
// type leaks out of engine/src/scheduler.cpp.
// threads == 0 runs serially on the calling thread; threads == N runs on the caller plus N - 1
// workers. Both paths call the same body on the same ranges, and rooms share nothing, so
// serial and parallel ticks produce bit-identical output (tests/engine/scheduler_test.cpp).
// Every chunk runs with denormals flushed to zero on its thread.
#pragma once

#include <cstddef>
#include <memory>

namespace tutti::detail {

class Scheduler {
 public:
  // body(context, begin, end) handles items [begin, end).
  using Body = void (*)(void* context, std::size_t begin, std::size_t end) noexcept;

  explicit Scheduler(int threads);  // control plane; starts the arena and its workers
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  int threads() const noexcept { return threads_; }
  // Real-time: blocks the caller until every item is done (the caller works too).
  void for_each(std::size_t count, Body body, void* context) noexcept;

 private:
  struct Arena;
  int threads_;
  std::unique_ptr<Arena> arena_;
};

}  // namespace tutti::detail
