#include "scheduler.h"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include "rt.h"

namespace tutti::detail {

struct Scheduler::Arena {
  explicit Arena(int threads) : arena(threads) { arena.initialize(); }
  tbb::task_arena arena;
  // One partitioner object reused every tick: affinity keeps a room on the thread that ran it
  // last time, so its buffers stay in that core's cache.
  tbb::affinity_partitioner partitioner;
};

Scheduler::Scheduler(int threads) : threads_(threads) {
  if (threads_ > 0) arena_ = std::make_unique<Arena>(threads_);
}

Scheduler::~Scheduler() = default;

void Scheduler::for_each(std::size_t count, Body body, void* context) noexcept {
  if (count == 0) return;
  if (!arena_) {
    body(context, 0, count);
    return;
  }
  arena_->arena.execute([&] {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(0, count),
        [&](const tbb::blocked_range<std::size_t>& r) {
          // Per chunk rather than per thread: a task_scheduler_observer would do it once per
          // worker, but Debian's oneTBB 2021.8 leaks its proxy; two MXCSR accesses per chunk
          // cost nothing next to a room's mix.
          enable_flush_denormals();
          body(context, r.begin(), r.end());
        },
        arena_->partitioner);
  });
}

}  // namespace tutti::detail
