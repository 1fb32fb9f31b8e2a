// The configuration file of `tutti serve --config FILE` (YAML; schema in docs/config.md).
//
// The whole file is checked before the server starts: every problem found is reported, each as
// "FILE:LINE:COLUMN: key.path: message" (1-based), one per line in the Status message, and no
// ServeConfig is returned unless the file is entirely valid.
//
// Control plane only: every function here may allocate and touch the file system; call them at
// startup (or on a reload), from any thread, never from the tick.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tutti/engine.h"
#include "tutti/status.h"

namespace tutti::config {

// A listening address: "127.0.0.1:5060", "0.0.0.0:5060" or "[::1]:5060" (IPv6 in brackets).
struct Endpoint {
  std::string host;  // numeric IPv4 or IPv6 address, without brackets
  uint16_t port = 0;
  std::string to_string() const;  // the text form again, with brackets for IPv6
  friend bool operator==(const Endpoint&, const Endpoint&) = default;
};

// A range of UDP ports for RTP, both ends included: "20000-20999". The low end is even (RTP on
// even ports, RTCP on the odd one above) and below the high end.
struct PortRange {
  uint16_t low = 0;
  uint16_t high = 0;
  int count() const { return high - low + 1; }
  friend bool operator==(const PortRange&, const PortRange&) = default;
};

struct EngineSection {
  int rate_hz = 48000;  // room rate: 8000, 16000 or 48000
  int tick_ms = 20;     // 10 or 20
  int threads = 0;      // 0 = tick serially; N = N mixing threads
  int realtime_priority = 0;  // SCHED_FIFO priority of the tick clock (1..99), 0 = normal
};

struct RecordingSection {
  std::string dir;             // where recordings go; needed when any room records
  std::string format = "wav";  // wav, flac or opus
};

struct RoomEntry {
  std::string name;    // letters, digits, '.', '_', '-'; unique across rooms
  std::string number;  // the dialled digits; unique across rooms
  std::optional<std::string> pin;            // digits; asked of every caller when set
  std::optional<std::string> moderator_pin;  // digits; differs from pin
  int max_participants = 100;                // 1..10000
  std::string moh;    // music-on-hold file, resolved against the config file's directory
  RecordMode record = RecordMode::kOff;
  std::string owner;  // SIP user ("alice") or URI ("sip:alice@pbx.example"); empty = none
  bool entry_tones = true;  // a short tone to the others on join and leave
  bool denoise = false;
  bool agc = false;
};

struct ServeConfig {
  Endpoint sip_listen{"127.0.0.1", 5060};
  PortRange rtp_ports{20000, 20999};
  int rtp_threads = 1;  // media threads moving RTP between the sockets and the engine
  Endpoint http_listen{"127.0.0.1", 8080};
  // Required on every HTTP command when http_listen is not a loopback address; the file is
  // refused without one in that case.
  std::string api_token;
  EngineSection engine;
  RecordingSection recording;
  std::vector<RoomEntry> rooms;
};

// Reads and checks the file at `path`. Relative paths inside it (moh, recording.dir) are
// resolved against the file's directory.
Result<ServeConfig> load_serve_config(const std::string& path);

// Checks YAML text; `source_name` prefixes every error message, and its directory (if any) is
// the base of relative paths.
Result<ServeConfig> parse_serve_config(std::string_view yaml_text, std::string_view source_name);

// The pieces of the checker, for command-line flags that override the file. The Status
// message is the reason alone, without a location.
Result<Endpoint> parse_endpoint(std::string_view text);
Result<PortRange> parse_port_range(std::string_view text);
bool is_loopback(const Endpoint& endpoint);  // 127.0.0.0/8, ::1 and ::ffff:127.0.0.0/104

// The engine's view of the file: rate, tick and threads, with room and participant pools large
// enough for every configured room (and never below the engine's defaults).
EngineConfig to_engine_config(const ServeConfig& config);
// One room as the engine creates it: the entry plus the file's recording section. PINs and
// owner stay with the caller (they belong to the dial plan and the HTTP API, not the mix).
RoomConfig to_room_config(const RoomEntry& room, const ServeConfig& config);

}  // namespace tutti::config
