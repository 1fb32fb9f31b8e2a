// The file as a whole: YAML syntax, the top-level keys, the server under test (embedded or a
// target), and the order the sections are read in so that each can check what it names.
#include "tutti/scenario/scenario.h"

#include <climits>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "reader.h"
#include "rooms.h"

namespace tutti::scenario {
namespace {

using detail::Context;
using detail::Diagnostics;
using detail::Field;
using detail::MapReader;

bool read_endpoint(const Field& field, Diagnostics& diag, config::Endpoint& out) {
  std::string text;
  if (field.value.IsSequence()) {
    diag.error(field.value, field.path, "quote IPv6 addresses, as in \"[::1]:5060\"");
    return false;
  }
  if (!config::detail::read_string(field, diag, text)) return false;
  Result<config::Endpoint> endpoint = config::parse_endpoint(text);
  if (!endpoint) {
    diag.error(field.value, field.path, endpoint.status().message());
    return false;
  }
  out = *endpoint;
  return true;
}

void read_embedded(const Field& field, Context& ctx, Scenario& out) {
  out.server = EmbeddedServer{};
  config::ServeConfig& config = std::get<EmbeddedServer>(out.server).config;
  const MapReader map(field.value, field.path, {"engine", "recording", "rooms"}, ctx.diag);
  // The runner records into a directory of its own when recording.dir is not given.
  config::detail::read_server_sections(map, ctx.base, false, ctx.diag, config);
  ctx.embedded = &config;
}

void read_target(const MapReader& top, const Field& field, Context& ctx, Scenario& out) {
  TargetServer target;
  read_endpoint(field, ctx.diag, target.sip);
  config::Endpoint api;
  if (const Field* f = top.find("api"); f && read_endpoint(*f, ctx.diag, api)) target.api = api;
  if (const Field* f = top.find("api_token")) {
    config::detail::read_string(*f, ctx.diag, target.api_token);
    if (top.find("api") == nullptr) ctx.diag.error(f->key, f->path, "api_token goes with api");
  }
  ctx.has_api = top.find("api") != nullptr;
  out.server = std::move(target);
}

// Exactly one of `server` and `target`; `api` and `api_token` only with a target.
void read_server(const MapReader& top, const YAML::Node& root, Context& ctx, Scenario& out) {
  const Field* server = top.find("server");
  const Field* target = top.find("target");
  if (server != nullptr && target != nullptr) {
    ctx.diag.error(target->key, target->path,
                   "give either server (the runner starts one) or target (one that runs), not "
                   "both");
  }
  if (server == nullptr && target == nullptr) {
    ctx.diag.error(root, "(top)",
                   "missing server (rooms for an embedded server) or target (\"HOST:PORT\" of "
                   "a running one)");
  }
  if (server != nullptr) {
    read_embedded(*server, ctx, out);
    for (const char* key : {"api", "api_token"}) {
      if (const Field* f = top.find(key)) {
        ctx.diag.error(
            f->key, f->path,
            "the runner serves the embedded server's API itself: " + f->name + " goes with target");
      }
    }
  } else if (target != nullptr) {
    read_target(top, *target, ctx, out);
  }
}

void read_settings(const MapReader& top, std::string_view source_name, Context& ctx,
                   Scenario& out) {
  out.name = std::filesystem::path(source_name).stem().string();
  if (const Field* f = top.find("name")) config::detail::read_string(*f, ctx.diag, out.name);
  if (const Field* f = top.find("duration")) {
    double seconds = 0;
    if (config::detail::read_double(*f, ctx.diag, 0.1, detail::kMaxSeconds, seconds)) {
      ctx.duration_s = seconds;
    }
  }
  if (const Field* f = top.find("seed")) {
    int seed = 1;
    if (config::detail::read_int(*f, ctx.diag, 0, INT_MAX, seed)) {
      out.seed = static_cast<uint64_t>(seed);
    }
  }
}

}  // namespace

std::string_view codec_name(Codec codec) {
  switch (codec) {
    case Codec::kPcmu:
      return "PCMU";
    case Codec::kPcma:
      return "PCMA";
    case Codec::kG722:
      return "G722";
    case Codec::kOpus:
      return "opus";
  }
  return "?";
}

const Participant* Scenario::find_participant(std::string_view participant) const {
  for (const Participant& p : participants) {
    if (p.name == participant) return &p;
  }
  return nullptr;
}

Result<Scenario> parse_scenario(std::string_view yaml_text, std::string_view source_name) {
  Diagnostics diag{std::string(source_name)};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    diag.error(e.mark, "syntax", e.msg);
    return diag.status();
  }
  Context ctx(diag);
  ctx.base = std::filesystem::path(source_name).parent_path();
  Scenario out;
  out.source = std::string(source_name);
  const MapReader top(root, "",
                      {"name", "server", "target", "api", "api_token", "seed", "duration",
                       "audio_files", "participants", "timeline", "expect"},
                      diag);
  if (!root.IsMap()) {
    if (root.IsNull()) diag.error(root, "(top)", "the file is empty");
    return diag.status();
  }
  read_settings(top, source_name, ctx, out);
  read_server(top, root, ctx, out);
  if (const Field* f = top.find("audio_files")) detail::read_audio_files(*f, ctx, out.audio_files);
  if (const Field* f = top.require("participants")) detail::read_participants(*f, ctx);
  detail::check_tones(ctx);
  if (const Field* f = top.require("timeline")) detail::read_timeline(*f, ctx, out.timeline);
  detail::check_tone_spacing(ctx, out.timeline);
  if (const Field* f = top.find("expect")) detail::read_expectations(*f, ctx, out.expect);
  if (!diag.empty()) return diag.status();
  out.participants = std::move(ctx.participants);
  out.duration_s = ctx.duration_s.value_or(ctx.last_time_s + 2.0);
  return out;
}

Result<Scenario> load_scenario(const std::string& path) {
  Result<std::string> text = config::detail::read_text_file(path, "the scenario file");
  if (!text) return text.status();
  return parse_scenario(text.value(), path);
}

}  // namespace tutti::scenario
