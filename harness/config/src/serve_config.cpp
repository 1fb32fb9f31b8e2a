// The file as a whole: YAML syntax, the top-level sections, the rules that span sections
// (token on a non-loopback HTTP address, recording directory) and the mapping to the engine.
#include "tutti/config/serve_config.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "rooms.h"
#include "yaml_reader.h"

namespace tutti::config {
namespace {

using detail::Diagnostics;
using detail::Field;
using detail::MapReader;

constexpr std::size_t kMinTokenChars = 16;

void read_endpoint(const Field& field, Diagnostics& diag, Endpoint& out) {
  if (field.value.IsSequence()) {
    diag.error(field.value, field.path, "quote IPv6 addresses, as in \"[::1]:5060\"");
    return;
  }
  std::string text;
  if (!detail::read_string(field, diag, text)) return;
  Result<Endpoint> endpoint = parse_endpoint(text);
  if (!endpoint) {
    diag.error(field.value, field.path, endpoint.status().message());
    return;
  }
  out = *endpoint;
}

void read_sip_rtp(const MapReader& top, Diagnostics& diag, ServeConfig& config) {
  if (const Field* f = top.find("sip")) {
    const MapReader sip(f->value, "sip", {"listen"}, diag);
    if (const Field* listen = sip.find("listen")) read_endpoint(*listen, diag, config.sip_listen);
  }
  if (const Field* f = top.find("rtp")) {
    const MapReader rtp(f->value, "rtp", {"ports", "threads"}, diag);
    if (const Field* v = rtp.find("threads")) detail::read_int(*v, diag, 1, 16, config.rtp_threads);
    std::string text;
    if (const Field* ports = rtp.find("ports"); ports && detail::read_string(*ports, diag, text)) {
      Result<PortRange> range = parse_port_range(text);
      if (range) {
        config.rtp_ports = *range;
      } else {
        diag.error(ports->value, ports->path, range.status().message());
      }
    }
  }
}

void read_http(const Field* f, Diagnostics& diag, ServeConfig& config) {
  if (f == nullptr) return;  // the default, 127.0.0.1, needs no token
  // `http` owns the fields `listen` and `token` point into: use them only while it lives.
  const MapReader http(f->value, "http", {"listen", "api_token"}, diag);
  const Field* listen = http.find("listen");
  if (listen) read_endpoint(*listen, diag, config.http_listen);
  const Field* token = http.find("api_token");
  if (token && detail::read_string(*token, diag, config.api_token)) {
    const bool blank = std::any_of(config.api_token.begin(), config.api_token.end(),
                                   [](unsigned char c) { return std::isspace(c) != 0; });
    if (config.api_token.size() < kMinTokenChars || blank) {
      diag.error(token->value, token->path, "use at least 16 characters and no spaces");
    }
  }
  if (listen != nullptr && !is_loopback(config.http_listen) && config.api_token.empty()) {
    diag.error(listen->value, listen->path,
               config.http_listen.to_string() +
                   " is not a loopback address: set http.api_token to serve on it");
  }
}

void read_engine_recording(const MapReader& top, const std::filesystem::path& base,
                           Diagnostics& diag, ServeConfig& config) {
  if (const Field* f = top.find("engine")) {
    const MapReader engine(f->value, f->path,
                           {"rate_hz", "tick_ms", "threads", "realtime_priority"}, diag);
    EngineSection& e = config.engine;
    if (const Field* v = engine.find("rate_hz")) {
      detail::read_int_choice(*v, diag, {8000, 16000, 48000}, e.rate_hz);
    }
    if (const Field* v = engine.find("tick_ms"))
      detail::read_int_choice(*v, diag, {10, 20}, e.tick_ms);
    if (const Field* v = engine.find("threads")) detail::read_int(*v, diag, 0, 256, e.threads);
    if (const Field* v = engine.find("realtime_priority")) {
      detail::read_int(*v, diag, 0, 99, e.realtime_priority);
    }
  }
  if (const Field* f = top.find("recording")) {
    const MapReader recording(f->value, f->path, {"dir", "format"}, diag);
    RecordingSection& r = config.recording;
    if (const Field* v = recording.find("dir"); v && detail::read_string(*v, diag, r.dir)) {
      r.dir = detail::resolve_path(base, r.dir);
    }
    if (const Field* v = recording.find("format")) {
      detail::read_choice(*v, diag, {"wav", "flac", "opus"}, r.format);
    }
  }
}

}  // namespace

namespace detail {

void read_server_sections(const MapReader& section, const std::filesystem::path& base,
                          bool recording_dir_required, Diagnostics& diag, ServeConfig& config) {
  read_engine_recording(section, base, diag, config);
  if (const Field* f = section.find("rooms")) {
    const bool dir_ok = !recording_dir_required || !config.recording.dir.empty();
    read_rooms(*f, base, dir_ok, diag, config.rooms);
  }
}

}  // namespace detail

Result<ServeConfig> parse_serve_config(std::string_view yaml_text, std::string_view source_name) {
  Diagnostics diag{std::string(source_name)};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    diag.error(e.mark, "syntax", e.msg);
    return diag.status();
  }
  const std::filesystem::path base = std::filesystem::path(source_name).parent_path();
  ServeConfig config;
  const MapReader top(root, "", {"sip", "rtp", "http", "engine", "recording", "rooms"}, diag);
  read_sip_rtp(top, diag, config);
  read_http(top.find("http"), diag, config);
  detail::read_server_sections(top, base, true, diag, config);
  if (!diag.empty()) return diag.status();
  return config;
}

Result<ServeConfig> load_serve_config(const std::string& path) {
  Result<std::string> text = detail::read_text_file(path, "the configuration file");
  if (!text) return text.status();
  return parse_serve_config(text.value(), path);
}

EngineConfig to_engine_config(const ServeConfig& config) {
  EngineConfig engine;
  engine.sample_rate_hz = config.engine.rate_hz;
  engine.tick_ms = config.engine.tick_ms;
  engine.threads = config.engine.threads;
  engine.realtime_priority = config.engine.realtime_priority;
  int participants = 0;
  for (const RoomEntry& room : config.rooms) participants += room.max_participants;
  engine.max_rooms = std::max(engine.max_rooms, static_cast<int>(config.rooms.size()));
  engine.max_participants = std::max(engine.max_participants, participants);
  return engine;
}

RoomConfig to_room_config(const RoomEntry& room, const ServeConfig& config) {
  RoomConfig out;
  out.name = room.name;
  out.moh_path = room.moh;
  out.entry_tones = room.entry_tones;
  out.denoise = room.denoise;
  out.agc = room.agc;
  out.record = room.record;
  out.record_dir = config.recording.dir;
  out.record_format = config.recording.format;
  out.max_participants = room.max_participants;
  return out;
}

}  // namespace tutti::config
