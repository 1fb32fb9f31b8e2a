// `participants:` and `audio_files:`, and the checks on their tones: the runner tells
// participants apart by tone, so every tone must survive the narrowest codec and sit far
// enough from every other.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string_view>

#include "reader.h"
#include "rooms.h"

namespace tutti::scenario::detail {
namespace {

using config::detail::read_bool;
using config::detail::read_choice;
using config::detail::read_double;
using config::detail::read_int_choice;
using config::detail::read_string;

constexpr std::size_t kMaxNameChars = 64;

bool valid_name(const std::string& name) {
  return !name.empty() && name.size() <= kMaxNameChars &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
         });
}

std::string item_path(const Field& list, std::size_t index) {
  std::string path = list.path;
  path.append("[").append(std::to_string(index)).append("]");
  return path;
}

Codec codec_of(const std::string& word) {
  if (word == "PCMA") return Codec::kPcma;
  if (word == "G722") return Codec::kG722;
  if (word == "opus") return Codec::kOpus;
  return Codec::kPcmu;
}

NoiseKind noise_of(const std::string& word) {
  if (word == "white") return NoiseKind::kWhite;
  if (word == "pink") return NoiseKind::kPink;
  return NoiseKind::kSpeech;
}

void read_wav(const Field& f, Context& ctx, Audio& out) {
  std::string path;
  if (!read_string(f, ctx.diag, path)) return;
  path = config::detail::resolve_path(ctx.base, path);
  const bool generated = std::find(ctx.generated_paths.begin(), ctx.generated_paths.end(), path) !=
                         ctx.generated_paths.end();
  std::error_code ec;
  if (!generated && !std::filesystem::is_regular_file(path, ec)) {
    ctx.diag.error(f.value, f.path,
                   "no such file: " + path +
                       " (relative paths start at the scenario's directory; or list it in "
                       "audio_files)");
    return;
  }
  out.source = WavFile{path};
}

// The source keys of `map` (tone, wav, noise, level_dbfs): exactly one source, reported at
// `node` (the mapping that holds them) when there is none or more than one.
void read_source_keys(const MapReader& map, const YAML::Node& node, const std::string& path,
                      Context& ctx, bool allow_wav, Audio& out) {
  const Field* tone = map.find("tone");
  const Field* wav = map.find("wav");
  const Field* noise = map.find("noise");
  const int kinds = (tone != nullptr) + (wav != nullptr) + (noise != nullptr);
  if (kinds != 1) {
    const char* choices = allow_wav ? "tone, wav or noise" : "tone or noise";
    ctx.diag.error(node, path,
                   std::string(kinds == 0 ? "give one of " : "give only one of ") + choices);
    return;
  }
  double frequency_hz = 0;
  if (tone != nullptr && read_double(*tone, ctx.diag, 1.0, 24000.0, frequency_hz)) {
    out.source = Tone{frequency_hz};
    ctx.tones.push_back({frequency_hz, tone->value.Mark(), tone->path});
  }
  std::string word;
  if (noise != nullptr && read_choice(*noise, ctx.diag, {"speech", "white", "pink"}, word)) {
    out.source = Noise{noise_of(word)};
  }
  if (wav != nullptr) read_wav(*wav, ctx, out);
  if (const Field* level = map.find("level_dbfs")) {
    if (wav != nullptr) {
      ctx.diag.error(level->key, level->path, "a wav file plays as recorded: no level_dbfs");
    } else {
      read_double(*level, ctx.diag, -96.0, 0.0, out.level_dbfs);
    }
  }
}

// `audio: silence`, or a mapping with one of tone, wav, noise and an optional level_dbfs.
void read_audio(const Field& field, Context& ctx, Audio& out) {
  if (field.value.IsScalar() && field.value.Scalar() == "silence") {
    out.source = Silence{};
    return;
  }
  if (!field.value.IsMap()) {
    ctx.diag.error(field.value, field.path,
                   "expected silence or a mapping with tone, wav or noise, got " +
                       config::detail::describe(field.value));
    return;
  }
  const MapReader map(field.value, field.path, {"tone", "wav", "noise", "level_dbfs"}, ctx.diag);
  read_source_keys(map, field.value, field.path, ctx, true, out);
}

void read_rate(const MapReader& map, Context& ctx, Participant& p) {
  p.rate_hz = p.codec == Codec::kG722 ? 16000 : p.codec == Codec::kOpus ? 48000 : 8000;
  const Field* f = map.find("rate_hz");
  if (f == nullptr) return;
  if (p.codec == Codec::kOpus) {
    read_int_choice(*f, ctx.diag, {8000, 16000, 24000, 48000}, p.rate_hz);
  } else {
    read_int_choice(*f, ctx.diag, {p.rate_hz}, p.rate_hz);
  }
}

Participant read_one(const YAML::Node& node, const std::string& path, Context& ctx) {
  Participant p;
  p.where = line_of(node);
  const MapReader map(node, path,
                      {"name", "codec", "rate_hz", "ptime_ms", "audio", "send_on_answer", "answer"},
                      ctx.diag);
  if (!node.IsMap()) return p;
  if (const Field* f = map.require("name"); f && read_string(*f, ctx.diag, p.name)) {
    if (!valid_name(p.name)) {
      ctx.diag.error(f->value, f->path, "use up to 64 of a-z, 0-9, '_' and '-'");
    }
    for (const Participant& other : ctx.participants) {
      if (other.name != p.name) continue;
      ctx.diag.error(f->value, f->path,
                     "'" + p.name + "' is already a participant (line " +
                         std::to_string(other.where.line) + ")");
      break;
    }
  }
  std::string word;
  if (const Field* f = map.find("codec");
      f && read_choice(*f, ctx.diag, {"PCMU", "PCMA", "G722", "opus"}, word)) {
    p.codec = codec_of(word);
  }
  read_rate(map, ctx, p);
  if (const Field* f = map.find("ptime_ms"))
    read_int_choice(*f, ctx.diag, {10, 20, 30, 40}, p.ptime_ms);
  if (const Field* f = map.find("audio")) read_audio(*f, ctx, p.audio);
  if (const Field* f = map.find("send_on_answer")) read_bool(*f, ctx.diag, p.send_on_answer);
  if (const Field* f = map.find("answer")) read_bool(*f, ctx.diag, p.answer);
  return p;
}

std::string hz_text(double value) {
  std::ostringstream out;
  out << value << " Hz";
  return out.str();
}

}  // namespace

void read_audio_files(const Field& field, Context& ctx, std::vector<AudioFile>& out) {
  if (!field.value.IsSequence()) {
    ctx.diag.error(field.value, field.path, "expected a list of files (entries start with '- ')");
    return;
  }
  for (std::size_t i = 0; i < field.value.size(); ++i) {
    const YAML::Node node = field.value[i];
    const std::string path = item_path(field, i);
    AudioFile file;
    file.where = line_of(node);
    const MapReader map(node, path, {"path", "seconds", "tone", "noise", "level_dbfs"}, ctx.diag);
    if (!node.IsMap()) continue;
    if (const Field* f = map.require("path"); f && read_string(*f, ctx.diag, file.path)) {
      file.path = config::detail::resolve_path(ctx.base, file.path);
      ctx.generated_paths.push_back(file.path);
    }
    if (const Field* f = map.find("seconds")) read_double(*f, ctx.diag, 0.1, 3600.0, file.seconds);
    read_source_keys(map, node, path, ctx, false, file.audio);
    out.push_back(std::move(file));
  }
}

void read_participants(const Field& field, Context& ctx) {
  if (!field.value.IsSequence() || field.value.size() == 0) {
    ctx.diag.error(field.value, field.path,
                   "expected a list of participants (entries start with '- ')");
    return;
  }
  for (std::size_t i = 0; i < field.value.size(); ++i) {
    ctx.participants.push_back(read_one(field.value[i], item_path(field, i), ctx));
  }
}

void check_tones(Context& ctx) {
  const bool narrow_engine = ctx.embedded != nullptr && ctx.embedded->engine.rate_hz == 8000;
  const bool narrow_caller = std::any_of(ctx.participants.begin(), ctx.participants.end(),
                                         [](const Participant& p) { return p.rate_hz == 8000; });
  ctx.top_tone_hz = narrow_engine || narrow_caller ? kNarrowbandTopHz : kWidebandTopHz;
  for (const ToneUse& tone : ctx.tones)
    check_tone_band(ctx, tone.frequency_hz, tone.mark, tone.path);
}

namespace {

// The participant a tone belongs to ("participants[3].audio.tone" -> 3), or -1 for a file's.
int participant_of(const ToneUse& tone) {
  constexpr std::string_view kPrefix = "participants[";
  if (!std::string_view(tone.path).starts_with(kPrefix)) return -1;
  return std::atoi(tone.path.c_str() + kPrefix.size());
}

// The numbers each participant dials (calls and transfers) in the timeline.
std::vector<std::set<std::string>> numbers_by_participant(const Context& ctx,
                                                          const std::vector<Step>& timeline) {
  std::vector<std::set<std::string>> numbers(ctx.participants.size());
  auto add = [&](const std::string& who, const std::string& number) {
    for (std::size_t i = 0; i < ctx.participants.size(); ++i) {
      if (ctx.participants[i].name == who) numbers[i].insert(number);
    }
  };
  for (const Step& step : timeline) {
    if (const auto* call = std::get_if<Call>(&step.action)) add(call->who, call->number);
    if (const auto* transfer = std::get_if<Transfer>(&step.action)) {
      add(transfer->who, transfer->number);
    }
  }
  return numbers;
}

}  // namespace

void check_tone_spacing(Context& ctx, const std::vector<Step>& timeline) {
  // Two participants' tones must be told apart only when they can meet: when they dial a
  // common number. A generated file's tone (music on hold) is checked against every tone.
  const std::vector<std::set<std::string>> numbers = numbers_by_participant(ctx, timeline);
  auto can_meet = [&](const ToneUse& a, const ToneUse& b) {
    const int pa = participant_of(a);
    const int pb = participant_of(b);
    if (pa < 0 || pb < 0 || pa >= static_cast<int>(numbers.size()) ||
        pb >= static_cast<int>(numbers.size())) {
      return true;
    }
    for (const std::string& number : numbers[static_cast<std::size_t>(pa)]) {
      if (numbers[static_cast<std::size_t>(pb)].count(number) != 0) return true;
    }
    return false;
  };
  for (std::size_t i = 0; i < ctx.tones.size(); ++i) {
    const ToneUse& tone = ctx.tones[i];
    for (std::size_t j = 0; j < i; ++j) {
      const ToneUse& earlier = ctx.tones[j];
      if (std::abs(tone.frequency_hz - earlier.frequency_hz) >= kMinToneGapHz) continue;
      if (!can_meet(tone, earlier)) continue;
      ctx.diag.error(tone.mark, tone.path,
                     hz_text(tone.frequency_hz) + " is too close to " +
                         hz_text(earlier.frequency_hz) + " of " + earlier.path + " (line " +
                         std::to_string(earlier.mark.line + 1) +
                         "): tones must be at least 60 Hz apart to be told apart");
    }
  }
}

}  // namespace tutti::scenario::detail
