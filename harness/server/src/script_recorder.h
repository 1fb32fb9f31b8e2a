// Recorded call scripts (`tutti serve --record-scripts DIR`, docs/api.md): each conference of
// a room becomes a scenario directory DIR/<room>-<unix ms>/ with scenario.yaml (the format of
// docs/scenario-format.md, so `tutti run` replays it) and one WAV per participant of what it
// said (the engine's participant recording; a new file each time the call is re-created in
// the engine, e.g. on a move).
//
// The Conference calls the hooks below where it publishes the matching events; the recorder
// only writes down what happened, it never changes a call. A script starts at the first join
// (or with start()), and is finished when the room empties, on stop() or at shutdown; it is
// also rewritten every 5 s while it runs. Every write is atomic (temp file + rename).
//
// Threads: the SIP thread only, like the Conference. Control plane: everything may allocate
// and touch the file system.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "call.h"

namespace tutti::server {

// A YAML double-quoted scalar (script_yaml.cpp).
std::string yaml_quote(const std::string& text);

class ScriptRecorder {
 public:
  // `dir` empty: scripts are off (start() refuses).
  ScriptRecorder(Engine* engine, std::string dir);

  bool enabled() const { return !dir_.empty(); }
  // Lets the engine record each participant's input in a room whose `record` is off.
  void allow_participant_recording(RoomConfig& room) const;

  // The API: starts a script of `room` now, its current members calling at 0 (the script's
  // directory is returned); stop() finishes it, and the room records no script again until
  // it has emptied.
  Result<std::string> start(int room, const Room& state, const std::vector<const Call*>& members);
  Result<std::string> stop(int room);

  // Hooks, each where the Conference publishes the event.
  void joined(int room, const Room& state, const Call& call, bool dialled_out);
  void left(int room, const Room& state, const Call& call, bool kicked);
  void digit(const Call& call, char digit);  // before the menu acts on it
  void held(const Call& call);               // the call's direction changed by re-INVITE
  void ending(int room);                     // the server hangs up everyone (end)
  // A moderator command of the HTTP API that succeeded: mute, unmute, kick (on `call`), lock,
  // unlock, end, record_start, record_stop.
  void moderator(int room, const std::string& verb, uint64_t call);
  // Every ~20 ms: finishes the scripts of rooms that emptied, rewrites the others every 5 s.
  void pump();
  // Shutdown: finishes every script.
  void finish_all();

 private:
  struct Member {
    uint64_t call = 0;
    std::string name;  // the scenario's participant name: sanitised, unique in the script
    std::string codec;
    std::string wav;  // the first segment, relative to the script's directory when moved there
    int segments = 0;
    bool active = false;
    double not_before_s = 0;  // its steps come after its PIN entry
  };
  struct Step {
    double at_s = 0;
    std::string text;  // the flow mapping after `at`, e.g. "do: hangup, who: \"alice\""
  };
  struct Script {
    std::string dir;
    config::RoomEntry room;
    SteadyTime started;
    SteadyTime written;
    std::vector<Member> members;  // in first-join order
    std::vector<Step> steps;
    std::vector<std::pair<double, std::string>> events;  // "joined alice"
    bool ending = false;
    bool empty = false;  // finish at the next pump()
  };

  double now_s(const Script& script) const;
  Script* script_of(int room);
  Member* member_of(Script& script, uint64_t call);
  std::pair<int, Member*> find_member(uint64_t call);  // the room whose script has the call
  void open(int room, const Room& state);
  void add_member(Script& script, const Call& call, double at_s);
  void record_segment(Script& script, Member& member, const Call& call);
  void finish(int room);
  Status write(const Script& script) const;
  std::string yaml(const Script& script) const;  // script_yaml.cpp

  Engine* engine_;
  std::string dir_;
  std::map<int, Script> scripts_;  // by room index
  std::map<int, bool> paused_;     // stopped by the API: no new script until the room empties
};

}  // namespace tutti::server
