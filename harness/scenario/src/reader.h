// What the sections of a scenario file share while they are read: the error list, the
// scenario's directory, and what earlier sections found (participants, rooms, tones, the
// timeline's shape) so that later ones can check their references at the place they are made.
#pragma once

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tutti/scenario/scenario.h"
#include "yaml_reader.h"

namespace tutti::scenario::detail {

using config::detail::Diagnostics;
using config::detail::Field;
using config::detail::MapReader;

inline constexpr double kMaxSeconds = 86400.0;
inline constexpr double kMinToneGapHz = 60.0;
inline constexpr double kLowestToneHz = 100.0;
inline constexpr double kNarrowbandTopHz = 3400.0;
inline constexpr double kWidebandTopHz = 7000.0;

// One tone in the file (a participant's or a generated file's), for the checks across them.
struct ToneUse {
  double frequency_hz = 0;
  YAML::Mark mark;
  std::string path;
};

struct Context {
  explicit Context(Diagnostics& d) : diag(d) {}

  Diagnostics& diag;
  std::filesystem::path base;                     // the scenario file's directory
  const config::ServeConfig* embedded = nullptr;  // null against a target
  bool has_api = true;                            // embedded, or a target with `api`
  std::optional<double> duration_s;               // when written
  std::vector<std::string> generated_paths;       // audio_files, resolved
  std::vector<Participant> participants;
  std::vector<ToneUse> tones;
  double top_tone_hz = kWidebandTopHz;           // kNarrowbandTopHz when anything is narrowband
  std::map<std::string, double> sending_from_s;  // first time each participant sends
  double last_time_s = 0;                        // the latest time the file names
};

SourceLine line_of(const YAML::Node& node);
std::string list_names(const std::vector<Participant>& participants);

// Each reader reports at the value and returns false when it cannot fill `out`.
bool read_seconds(const Field& field, Diagnostics& diag, double& out);
// A text value naming a participant of the scenario.
const Participant* read_participant(const Field& field, Context& ctx, std::string& out);
// A list of participant names (a single name reads as a list of one); no repeats.
bool read_participant_list(const Field& field, Context& ctx, std::vector<std::string>& out);
// A room name; against the embedded server it must be one of server.rooms.
const config::RoomEntry* read_room(const Field& field, Context& ctx, std::string& out);
// Seconds as messages show them: "1.5".
std::string seconds_text(double seconds);
// Notes a time an expectation names, and reports it when after the run's end.
void check_time(Context& ctx, const Field& field, double seconds);

// Reports at `node` when the scenario has no HTTP API to do `what` with.
void require_api(const Context& ctx, const YAML::Node& node, const std::string& path,
                 std::string_view what);
// A tone frequency within the scenario's band (100..3400 Hz narrowband, ..7000 Hz otherwise).
bool check_tone_band(const Context& ctx, double frequency_hz, const YAML::Mark& mark,
                     const std::string& path);

// The events of the API's stream (docs/api.md); room events name no participant.
bool is_event_type(std::string_view type);
bool is_room_event(std::string_view type);
std::string event_types_text();

// Records that `who` sends from `at_s` on (a send, or an answer with send_on_answer).
void note_sending(Context& ctx, const std::string& who, double at_s);

// The API steps of the timeline (timeline_api.cpp); `reached` holds the participants in a call.
Action read_moderator_step(const MapReader& map, const YAML::Node& node, const std::string& path,
                           Context& ctx, std::set<std::string>& reached, double at_s);
Action read_wait_step(const MapReader& map, const YAML::Node& node, const std::string& path,
                      Context& ctx);

// The expectations answered by the API (expectations_api.cpp): the value of the entry's
// `roster`, `events` or `recording` key.
Expectation read_roster_expect(const Field& field, Context& ctx);
Expectation read_events_expect(const Field& field, Context& ctx);
Expectation read_recording_expect(const Field& field, Context& ctx);

// The sections, in the order they are read.
void read_audio_files(const Field& field, Context& ctx, std::vector<AudioFile>& out);
void read_participants(const Field& field, Context& ctx);
void check_tones(Context& ctx);  // after participants: the band of every tone
// After the timeline: tones that can meet (participants dialling a common number, or a
// generated file's tone) are at least kMinToneGapHz apart.
void check_tone_spacing(Context& ctx, const std::vector<Step>& timeline);
void read_timeline(const Field& field, Context& ctx, std::vector<Step>& out);
void read_expectations(const Field& field, Context& ctx, std::vector<Expect>& out);

}  // namespace tutti::scenario::detail
