// A small driven conference for engine tests: N participants, each with a tone (or silence),
// ticked by hand; collects what every participant heard.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "support/signals.h"
#include "tutti/engine.h"

namespace tutti::test {

struct Voice {
  double freq_hz = 0.0;  // 0 = silence
  double amplitude = 0.25;
};

class Conference {
 public:
  Conference(EngineConfig engine_config, RoomConfig room_config, std::vector<Voice> voices)
      : voices_(std::move(voices)) {
    auto engine = Engine::create(engine_config);
    EXPECT_TRUE(engine) << engine.status().to_string();
    engine_ = std::move(*engine);
    auto room = engine_->create_room(room_config);
    EXPECT_TRUE(room) << room.status().to_string();
    room_ = *room;
    for (const Voice& v : voices_) add(v);
  }

  void add(const Voice& v) {
    ParticipantConfig pc;
    auto link = engine_->add_participant(room_, pc);
    ASSERT_TRUE(link) << link.status().to_string();
    links_.push_back(*link);
    tones_.emplace_back(v.freq_hz, v.freq_hz > 0 ? v.amplitude : 0.0, rate());
    heard_.emplace_back();
  }

  int rate() const { return engine_->config().sample_rate_hz; }
  std::size_t frame() const { return engine_->frame_samples(); }
  Engine& engine() { return *engine_; }
  RoomId room() const { return room_; }
  ParticipantLink& link(std::size_t i) { return links_[i]; }
  std::size_t size() const { return links_.size(); }

  // One tick: everyone sends a frame (unless silent_input[i]), the engine mixes, everyone reads.
  void run(int ticks) {
    std::vector<int16_t> pcm(frame());
    for (int t = 0; t < ticks; ++t) {
      for (std::size_t i = 0; i < links_.size(); ++i) {
        tones_[i].fill(std::span<int16_t>(pcm));
        links_[i].try_push_input(pcm);
      }
      engine_->tick();
      for (std::size_t i = 0; i < links_.size(); ++i) {
        const std::size_t got = links_[i].try_pull_output(pcm);
        heard_[i].insert(heard_[i].end(), pcm.begin(), pcm.begin() + static_cast<long>(got));
      }
    }
  }

  const std::vector<int16_t>& heard(std::size_t i) const { return heard_[i]; }
  // The last `samples` samples participant i heard.
  std::span<const int16_t> tail(std::size_t i, std::size_t samples) const {
    const auto& h = heard_[i];
    return std::span<const int16_t>(h).subspan(h.size() - samples);
  }
  void clear_heard() {
    for (auto& h : heard_) h.clear();
  }

 private:
  std::vector<Voice> voices_;
  std::unique_ptr<Engine> engine_;
  RoomId room_;
  std::vector<ParticipantLink> links_;
  std::vector<ToneGenerator> tones_;
  std::vector<std::vector<int16_t>> heard_;
};

}  // namespace tutti::test
