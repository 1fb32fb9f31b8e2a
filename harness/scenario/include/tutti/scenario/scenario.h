// The scenario file of `tutti run SCENARIO.yaml` (YAML; format in docs/scenario-format.md): a
// server to test (embedded, or an already running target), virtual participants, a timeline of
// actions and the expectations checked from what each participant received.
//
// The whole file is checked before anything starts: every problem is reported, each as
// "FILE:LINE:COLUMN: key.path: message" (1-based), one per line in the Status message, and no
// Scenario is returned unless the file is entirely valid. A valid Scenario is consistent: every
// name it holds refers to a participant (or room) that exists, the timeline is sorted, and each
// `hears` names participants whose tones can be told apart.
//
// Control plane only: every function here may allocate and touch the file system; call them
// before a run, from any thread, never from the tick. Times are seconds from the start of the
// run, as double.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tutti/config/serve_config.h"
#include "tutti/status.h"

namespace tutti::scenario {

// Where an item starts in the file (1-based), for reports that point back at it.
struct SourceLine {
  int line = 0;
  int column = 0;
};

// ---- Audio ----------------------------------------------------------------------------------

enum class Codec { kPcmu, kPcma, kG722, kOpus };
std::string_view codec_name(Codec codec);  // the SDP name: "PCMU", "PCMA", "G722", "opus"

struct Tone {
  double frequency_hz = 0;
};
struct WavFile {
  std::string path;  // resolved against the scenario file's directory
};
struct Silence {};
enum class NoiseKind { kSpeech, kWhite, kPink };
struct Noise {
  NoiseKind kind = NoiseKind::kSpeech;
};
using AudioSource = std::variant<Silence, Tone, WavFile, Noise>;

// What a participant sends (or a generated file holds).
struct Audio {
  AudioSource source;         // Silence when not given
  double level_dbfs = -20.0;  // tone and noise level; a WAV file plays as recorded
};

// A file the runner writes before anything starts (music on hold, prompts). Wherever the
// scenario names `path` (a room's `moh`, a participant's `wav`), the runner uses its copy.
struct AudioFile {
  std::string path;  // resolved against the scenario file's directory, as references are
  double seconds = 30.0;
  Audio audio;  // a tone or noise
  SourceLine where;
};

// ---- Participants ---------------------------------------------------------------------------

struct Participant {
  std::string name;  // [a-z0-9_-], unique; the SIP user it calls as
  Codec codec = Codec::kPcmu;
  int rate_hz = 8000;  // audio rate: PCMU/PCMA 8000, G722 16000, opus 48000 (or 8000/16000/24000)
  int ptime_ms = 20;   // 10, 20, 30 or 40
  Audio audio;
  bool send_on_answer = false;  // sends its audio from the answer on, without a `send`
  bool answer = false;          // waits for a call (a moderator `invite`) instead of calling
  SourceLine where;
};

// ---- Timeline actions -----------------------------------------------------------------------

struct Call {
  std::string who;
  std::string number;  // the user part of the request URI: the room number
};
enum class DtmfMethod { kRfc4733, kInfo };  // telephone-events in RTP, or SIP INFO
struct Dtmf {
  std::string who;
  std::string digits;  // 0-9 * # A-D
  DtmfMethod method = DtmfMethod::kRfc4733;
};
struct Send {  // start sending its audio
  std::string who;
};
struct Stop {  // stop sending (silence; the call stays up)
  std::string who;
};
struct Mute {  // self-mute by the keypad (`1`)
  std::string who;
};
struct Unmute {
  std::string who;
};
struct ListenOnly {  // listen only on by the keypad (`2`)
  std::string who;
};
struct ListenOnlyOff {
  std::string who;
};
// The direction a holding phone offers (RFC 3264): sendonly (the usual hold; it gets no audio),
// recvonly (it hears the room's music) or inactive. Either way it is not mixed.
enum class HoldMode { kSendonly, kRecvonly, kInactive };
struct Hold {  // re-INVITE with `mode`
  std::string who;
  HoldMode mode = HoldMode::kSendonly;
};
struct Resume {  // re-INVITE sendrecv
  std::string who;
};
struct Transfer {  // blind transfer: REFER to `number`
  std::string who;
  std::string number;
};
struct Hangup {
  std::string who;
};

enum class ModeratorVerb {
  kMute,
  kUnmute,
  kKick,
  kLock,
  kUnlock,
  kEnd,
  kRecordStart,
  kRecordStop,
  kInvite,
};
std::string_view moderator_verb_name(ModeratorVerb verb);  // "mute", ..., "record_start"

// An HTTP API command. `target` is set for mute, unmute, kick and invite (a participant with
// `answer: true`) and empty for the room commands.
struct Moderator {
  ModeratorVerb verb = ModeratorVerb::kMute;
  std::string room;
  std::string target;
};

// Holds the timeline until an event arrives on the API's event stream (or fails the run after
// `timeout_s`). Later steps never run before the wait ends.
struct Wait {
  std::string event;  // an event type of docs/api.md: "joined", "left", "talking", ...
  std::string who;    // empty: anyone (required empty for room events such as "locked")
  std::string room;   // empty: any room
  double timeout_s = 10.0;
};

using Action = std::variant<Call, Dtmf, Send, Stop, Mute, Unmute, ListenOnly, ListenOnlyOff, Hold,
                            Resume, Transfer, Hangup, Moderator, Wait>;

struct Step {
  double at_s = 0;
  Action action;
  SourceLine where;
};

// ---- Expectations ---------------------------------------------------------------------------

struct Window {
  double from_s = 0;
  double to_s = 0;  // from_s < to_s
};

// `who` hears each of `sources` (tone participants) throughout the window.
struct Hears {
  std::string who;
  std::vector<std::string> sources;
  Window window;
};
// `who` hears none of `sources` (tone participants; may include itself) in the window.
struct NotHears {
  std::string who;
  std::vector<std::string> sources;
  Window window;
};
// `who` hears the room's music on hold (or, with `music` false, does not).
struct HearsMusic {
  std::string who;
  bool music = true;
  Window window;
};
// `who` hears nothing above the silence floor (or, with `silent` false, hears something).
struct HearsSilence {
  std::string who;
  bool silent = true;
  Window window;
};
enum class Party { kServer, kSelf, kAny };
// `who`'s answered call ended by a BYE from `by`, within `window` when given; with `hung_up`
// false, the call is still up at the end of the window (or of the run).
struct HungUp {
  std::string who;
  bool hung_up = true;
  Party by = Party::kServer;
  std::optional<Window> window;
};
// `who`'s call was never answered: the final response to its INVITE was `status` (300..699).
struct Refused {
  std::string who;
  int status = 0;
};
// The room's roster (HTTP API) at `at_s`: exactly `active` of the scenario's participants are
// in it; each optional list, when given, is exactly the members in that state.
struct Roster {
  double at_s = 0;
  std::string room;
  std::vector<std::string> active;
  std::optional<std::vector<std::string>> muted;
  std::optional<std::vector<std::string>> listen_only;
  std::optional<std::vector<std::string>> on_hold;
};
// One entry of an `in_order` list: "joined alice" or, for room events, "locked".
struct EventPattern {
  std::string type;
  std::string who;  // empty: any participant (always empty for room events)
};
// The room's events include these in this order (others may come between).
struct Events {
  std::string room;
  std::vector<EventPattern> in_order;
};
// The room was recorded: a file of at least `min_seconds` holding each of `tones_hz`.
struct Recording {
  std::string room;
  double min_seconds = 0;
  std::vector<double> tones_hz;
};

using Expectation = std::variant<Hears, NotHears, HearsMusic, HearsSilence, HungUp, Refused, Roster,
                                 Events, Recording>;

struct Expect {
  Expectation what;
  SourceLine where;
};

// ---- The whole scenario ---------------------------------------------------------------------

// A server the runner starts itself: the serve configuration's engine, recording and rooms.
// Its SIP and HTTP addresses and RTP ports are left at their defaults here; the runner picks
// free ones. An empty recording.dir means a directory of the runner's choosing.
struct EmbeddedServer {
  config::ServeConfig config;
};
// An already running SIP server (ours or any conference server); `--target` overrides `sip`.
struct TargetServer {
  config::Endpoint sip;
  std::optional<config::Endpoint> api;  // tutti's HTTP API, for moderator actions and events
  std::string api_token;
};

struct Scenario {
  std::string name;
  std::string source;  // the file (or source name) it was read from
  std::variant<EmbeddedServer, TargetServer> server;
  std::vector<AudioFile> audio_files;
  std::vector<Participant> participants;
  std::vector<Step> timeline;  // sorted by at_s
  std::vector<Expect> expect;
  double duration_s = 0;  // as written, or max(last `at`, last expectation time) + 2
  uint64_t seed = 1;      // for noise sources

  // nullptr when there is no participant of that name.
  const Participant* find_participant(std::string_view participant) const;
};

// Reads and checks the file at `path`. Relative paths inside it (wav, moh, audio_files,
// recording.dir) are resolved against the file's directory.
Result<Scenario> load_scenario(const std::string& path);

// Checks YAML text; `source_name` prefixes every error message, and its directory (if any) is
// the base of relative paths.
Result<Scenario> parse_scenario(std::string_view yaml_text, std::string_view source_name);

}  // namespace tutti::scenario
