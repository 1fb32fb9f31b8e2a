// Events from the tick (possibly several room tasks at once) to the control plane.
// emit() is real-time safe: a full queue drops the event and counts it, it never waits.
#pragma once

#include <atomic>

#include "mpsc_queue.h"
#include "tutti/engine.h"

namespace tutti::detail {

class EventSink {
 public:
  explicit EventSink(std::size_t capacity) : queue_(capacity) {}

  void emit(EventType type, RoomId room, ParticipantId participant, uint64_t tick,
            float value = 0.0f) noexcept {
    if (!queue_.try_push(Event{type, room, participant, tick, value})) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
    }
  }
  // One consumer at a time (the engine serializes pollers).
  bool try_pop(Event& out) noexcept { return queue_.try_pop(out); }
  uint64_t dropped() const noexcept { return dropped_.load(std::memory_order_relaxed); }

 private:
  MpscQueue<Event> queue_;
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace tutti::detail
