// Configuration checks: every refusal names the field, the allowed values and what it got.
#include <cmath>
#include <string>

#include "engine_core.h"
#include "shared_frame.h"

namespace tutti::detail {

namespace {
Status invalid(const std::string& field, const std::string& rule, double got) {
  std::string value = std::to_string(got);
  if (got == std::floor(got)) value = std::to_string(static_cast<long long>(got));
  return {StatusCode::kInvalidArgument, field + " " + rule + " (got " + value + ")"};
}
constexpr int kMaxMatrixParticipants = 64;
}  // namespace

Status validate(const EngineConfig& c) {
  if (c.sample_rate_hz != 8000 && c.sample_rate_hz != 16000 && c.sample_rate_hz != 48000) {
    return invalid("sample_rate_hz", "must be 8000, 16000 or 48000", c.sample_rate_hz);
  }
  if (c.tick_ms != 10 && c.tick_ms != 20) return invalid("tick_ms", "must be 10 or 20", c.tick_ms);
  if (c.threads < 0 || c.threads > 256) {
    return invalid("threads", "must be 0 (serial) to 256", c.threads);
  }
  if (c.realtime_priority < 0 || c.realtime_priority > 99) {
    return invalid("realtime_priority", "must be 0 (normal) to 99", c.realtime_priority);
  }
  if (c.max_rooms < 1 || c.max_rooms > 100000) {
    return invalid("max_rooms", "must be 1 to 100000", c.max_rooms);
  }
  if (c.max_participants < 1 || c.max_participants > 1000000) {
    return invalid("max_participants", "must be 1 to 1000000", c.max_participants);
  }
  if (c.input_ring_frames < 1 || c.input_ring_frames > 64) {
    return invalid("input_ring_frames", "must be 1 to 64", c.input_ring_frames);
  }
  // Shared frames stay readable for kFrameSlots ticks; a queue must never hold older ones.
  const int max_output = static_cast<int>(kFrameSlots) - 2;
  if (c.output_ring_frames < 1 || c.output_ring_frames > max_output) {
    return invalid("output_ring_frames", "must be 1 to " + std::to_string(max_output),
                   c.output_ring_frames);
  }
  if (c.command_queue_capacity < 16 || c.command_queue_capacity > (1 << 22)) {
    return invalid("command_queue_capacity", "must be 16 to 4194304", c.command_queue_capacity);
  }
  if (c.event_queue_capacity < 16 || c.event_queue_capacity > (1 << 22)) {
    return invalid("event_queue_capacity", "must be 16 to 4194304", c.event_queue_capacity);
  }
  return Status::ok();
}

Status validate(const RoomConfig& c, const EngineConfig& engine) {
  if (c.max_participants < 1 || c.max_participants > engine.max_participants) {
    return invalid("room max_participants",
                   "must be 1 to the engine's max_participants (" +
                       std::to_string(engine.max_participants) + ")",
                   c.max_participants);
  }
  if (c.routing == RoutingMode::kMatrix && c.max_participants > kMaxMatrixParticipants) {
    return invalid("room max_participants", "must be at most 64 in a matrix room",
                   c.max_participants);
  }
  if (c.max_speakers < 1 || c.max_speakers > 64) {
    return invalid("max_speakers", "must be 1 to 64", c.max_speakers);
  }
  if (!(c.talk_on_dbfs <= 0.0f && c.talk_on_dbfs >= -96.0f)) {
    return invalid("talk_on_dbfs", "must be -96 to 0", c.talk_on_dbfs);
  }
  if (!(c.talk_off_dbfs <= c.talk_on_dbfs && c.talk_off_dbfs >= -100.0f)) {
    return invalid("talk_off_dbfs", "must be -100 to talk_on_dbfs", c.talk_off_dbfs);
  }
  if (c.talk_hangover_ms < 0 || c.talk_hangover_ms > 10000) {
    return invalid("talk_hangover_ms", "must be 0 to 10000", c.talk_hangover_ms);
  }
  if (c.record_format != "wav" && c.record_format != "flac" && c.record_format != "opus") {
    return {StatusCode::kInvalidArgument,
            "record_format must be wav, flac or opus (got '" + c.record_format + "')"};
  }
  if (!(c.limiter_knee > 0.05f && c.limiter_knee < 1.0f)) {
    return invalid("limiter_knee", "must be above 0.05 and below 1", c.limiter_knee);
  }
  return Status::ok();
}

}  // namespace tutti::detail
