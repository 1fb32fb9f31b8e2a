// EngineCore's tick plane: apply queued commands, then mix every room (in parallel when the
// engine has threads). Nothing here allocates, locks or blocks.
#include "engine_core.h"
#include "rt.h"

namespace tutti::detail {

TUTTI_RT void EngineCore::tick() noexcept {
  apply_commands();
  scheduler_.for_each(active_rooms_.size(), &EngineCore::tick_rooms, this);
  ++tick_;
  ticks_.store(tick_, std::memory_order_relaxed);
}

TUTTI_RT void EngineCore::tick_rooms(void* self, std::size_t begin, std::size_t end) noexcept {
  auto* core = static_cast<EngineCore*>(self);
  for (std::size_t i = begin; i < end; ++i)
    core->active_rooms_[i]->tick(core->tick_, core->events_);
}

TUTTI_RT void EngineCore::apply_commands() noexcept {
  // Bounded: a flood of commands cannot keep the tick from mixing.
  const std::size_t budget = commands_.capacity();
  Command command;
  for (std::size_t i = 0; i < budget && commands_.try_pop(command); ++i) apply(command);
}

TUTTI_RT void EngineCore::retire(Retired item) noexcept {
  // Capacity covers every object at most once in flight, so this cannot fail.
  retired_.try_push(item);
}

TUTTI_RT void EngineCore::apply(const Command& c) noexcept {
  Port* p = c.port;
  const bool on = c.value != 0.0f;
  switch (c.type) {
    case CommandType::kAddRoom:
      active_rooms_.push_back(c.room);
      events_.emit(EventType::kRoomCreated, c.room->id(), {}, tick_);
      break;
    case CommandType::kEndRoom: {
      for (Port* member : c.room->members()) {
        events_.emit(EventType::kLeft, c.room->id(), member->id(), tick_, 1.0f);
        retire({nullptr, member, recording_of(member)});
      }
      std::erase(active_rooms_, c.room);
      events_.emit(EventType::kRoomEnded, c.room->id(), {}, tick_);
      retire({c.room, nullptr});
      break;
    }
    case CommandType::kAddParticipant:
      c.room->add(p);
      events_.emit(EventType::kJoined, c.room->id(), p->id(), tick_);
      if (c.room->config().entry_tones && c.room->members().size() > 1) {
        c.room->play_tone(c.room->join_tone());
      }
      break;
    case CommandType::kRemoveParticipant:
      c.room->remove(p);
      if (c.room->config().entry_tones && !c.room->members().empty()) {
        c.room->play_tone(c.room->leave_tone());
      }
      if (p->state.talk.talking())
        events_.emit(EventType::kTalkingStopped, p->room(), p->id(), tick_);
      events_.emit(EventType::kLeft, c.room->id(), p->id(), tick_, c.value);
      retire({nullptr, p, recording_of(p)});
      break;
    case CommandType::kSetMuted:
      if (p->state.muted != on) {
        p->state.muted = on;
        events_.emit(on ? EventType::kMuted : EventType::kUnmuted, p->room(), p->id(), tick_);
      }
      break;
    case CommandType::kSetDeaf:
      if (p->state.deaf != on) {
        p->state.deaf = on;
        events_.emit(on ? EventType::kDeafened : EventType::kUndeafened, p->room(), p->id(), tick_);
      }
      break;
    case CommandType::kSetGainIn:
      p->state.gain_in = c.value;
      break;
    case CommandType::kSetGainOut:
      p->state.gain_out = c.value;
      if (c.group != nullptr) p->media_out()->group = c.group;
      break;
    case CommandType::kSetRouteGain:
      c.room->set_route_gain(p, c.other, c.value);
      break;
    case CommandType::kSetHold:
      if (p->state.held != on) {
        p->state.held = on;
        events_.emit(on ? EventType::kHeld : EventType::kResumed, p->room(), p->id(), tick_);
      }
      break;
    case CommandType::kPlayToRoom:
      c.room->play_announcement(c.clip);
      break;
    case CommandType::kPlayDtmf:
      p->state.tone = dtmf_tones_[static_cast<std::size_t>(c.value)];
      break;
    case CommandType::kPlayToParticipant:
      p->state.prompt = ClipPlayer(c.clip, ClipMode::kOneShot);
      p->state.prompt_active = true;
      break;
    case CommandType::kSetRecording:
      if (p != nullptr) {  // one participant's input
        p->state.recording = on ? &c.recording->tap() : nullptr;
        if (!on) retire({nullptr, nullptr, c.recording});
      } else if (on) {
        c.room->set_recording(&c.recording->tap());
        events_.emit(EventType::kRecordingStarted, c.room->id(), {}, tick_);
      } else {
        c.room->set_recording(nullptr);
        events_.emit(EventType::kRecordingStopped, c.room->id(), {}, tick_);
        retire({nullptr, nullptr, c.recording});
      }
      break;
  }
}

}  // namespace tutti::detail
