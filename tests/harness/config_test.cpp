// The `tutti serve` configuration file: the documented example, defaults, and every class of
// rejection reported as "FILE:LINE:COLUMN: key: message".
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tutti/config/serve_config.h"

namespace tutti::config {
namespace {

// The error lines of a rejected file (the test fails if the file was accepted).
std::vector<std::string> errors_of(const std::string& yaml) {
  Result<ServeConfig> result = parse_serve_config(yaml, "serve.yaml");
  EXPECT_FALSE(result.is_ok()) << "accepted:\n" << yaml;
  if (result.is_ok()) return {};
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  std::vector<std::string> lines;
  std::istringstream in(result.status().message());
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The single error of a rejected file; expects it to start with `prefix` and mention `words`.
void expect_one_error(const std::string& yaml, const std::string& prefix,
                      const std::string& words) {
  const std::vector<std::string> errors = errors_of(yaml);
  ASSERT_EQ(errors.size(), 1u) << (errors.empty() ? "" : errors[0]);
  EXPECT_EQ(errors[0].substr(0, prefix.size()), prefix) << errors[0];
  EXPECT_NE(errors[0].find(words), std::string::npos) << errors[0];
}

TEST(ServeConfig, DocumentedExampleLoadsWithItsValues) {
  const std::string path = std::string(TUTTI_EXAMPLES_DIR) + "/serve.yaml";
  Result<ServeConfig> result = load_serve_config(path);
  ASSERT_TRUE(result.is_ok()) << result.status().message();
  const ServeConfig& c = result.value();
  EXPECT_EQ(c.sip_listen, (Endpoint{"0.0.0.0", 5060}));
  EXPECT_EQ(c.rtp_ports, (PortRange{20000, 20999}));
  EXPECT_EQ(c.http_listen, (Endpoint{"0.0.0.0", 8080}));
  EXPECT_EQ(c.api_token, "change-me-0123456789abcdef");
  EXPECT_EQ(c.engine.rate_hz, 48000);
  EXPECT_EQ(c.engine.tick_ms, 20);
  EXPECT_EQ(c.engine.threads, 2);
  EXPECT_EQ(c.recording.dir, std::string(TUTTI_EXAMPLES_DIR) + "/recordings");
  EXPECT_EQ(c.recording.format, "flac");
  ASSERT_EQ(c.rooms.size(), 3u);
  const RoomEntry& sales = c.rooms[0];
  EXPECT_EQ(sales.name, "sales");
  EXPECT_EQ(sales.number, "1000");
  EXPECT_EQ(sales.pin, "4321");
  EXPECT_EQ(sales.moderator_pin, "9876");
  EXPECT_EQ(sales.max_participants, 50);
  EXPECT_EQ(sales.moh, std::string(TUTTI_EXAMPLES_DIR) + "/moh/default.wav");
  EXPECT_EQ(sales.record, RecordMode::kOnDemand);
  EXPECT_EQ(sales.owner, "sip:alice@pbx.example.com");
  EXPECT_TRUE(sales.entry_tones && sales.denoise && sales.agc);
  EXPECT_EQ(c.rooms[1].record, RecordMode::kAuto);
  EXPECT_EQ(c.rooms[1].owner, "bob");
  EXPECT_FALSE(c.rooms[2].pin.has_value());
}

TEST(ServeConfig, EmptyFileGivesTheDefaults) {
  Result<ServeConfig> result = parse_serve_config("", "empty.yaml");
  ASSERT_TRUE(result.is_ok()) << result.status().message();
  const ServeConfig& c = result.value();
  EXPECT_EQ(c.sip_listen, (Endpoint{"127.0.0.1", 5060}));
  EXPECT_EQ(c.rtp_ports, (PortRange{20000, 20999}));
  EXPECT_EQ(c.http_listen, (Endpoint{"127.0.0.1", 8080}));
  EXPECT_TRUE(c.api_token.empty());
  EXPECT_EQ(c.engine.rate_hz, 48000);
  EXPECT_EQ(c.engine.tick_ms, 20);
  EXPECT_EQ(c.recording.format, "wav");
  EXPECT_TRUE(c.rooms.empty());
}

TEST(ServeConfig, RoomDefaultsApply) {
  Result<ServeConfig> result =
      parse_serve_config("rooms:\n  - name: a\n    number: \"0042\"\n", "/etc/tutti/serve.yaml");
  ASSERT_TRUE(result.is_ok()) << result.status().message();
  const RoomEntry& room = result.value().rooms.at(0);
  EXPECT_EQ(room.number, "0042");  // leading zeros kept, even unquoted
  EXPECT_FALSE(room.pin.has_value());
  EXPECT_EQ(room.max_participants, 100);
  EXPECT_EQ(room.record, RecordMode::kOff);
  EXPECT_TRUE(room.moh.empty());
  EXPECT_TRUE(room.entry_tones);  // on by default, as PBX users expect
  EXPECT_FALSE(room.denoise || room.agc);
}

TEST(ServeConfig, UnknownKeysAreReportedAtEveryLevelWithTheAllowedOnes) {
  expect_one_error("sip:\n  listen: \"127.0.0.1:5060\"\nsipp: 1\n", "serve.yaml:3:1: sipp:",
                   "allowed: sip, rtp, http, engine, recording, rooms");
  expect_one_error("sip:\n  lisen: \"127.0.0.1:5060\"\n", "serve.yaml:2:3: sip.lisen:",
                   "allowed: listen");
  expect_one_error("rooms:\n  - name: a\n    number: 1\n    pni: 12\n",
                   "serve.yaml:4:5: rooms[0].pni:", "unknown key");
}

TEST(ServeConfig, WrongTypesNameTheKeyAndLine) {
  expect_one_error("engine:\n  threads: two\n", "serve.yaml:2:12: engine.threads:",
                   "expected an integer in 0..256, got 'two'");
  expect_one_error("rooms:\n  - name: a\n    number: 1\n    denoise: yes\n",
                   "serve.yaml:4:14: rooms[0].denoise:", "expected true or false");
  expect_one_error("rooms: lobby\n", "serve.yaml:1:8: rooms:", "expected a list");
  expect_one_error("http: 8080\n", "serve.yaml:1:7: http:", "expected a mapping");
  expect_one_error("sip:\n  listen: [\"::1\"]\n", "serve.yaml:2:11: sip.listen:",
                   "quote IPv6");
  // Unquoted, "[::1]:5060" is not even YAML: a syntax error, still with its line.
  expect_one_error("sip:\n  listen: [::1]:5060\n", "serve.yaml:2:16: syntax:", "end of map");
}

TEST(ServeConfig, BadValuesNameTheKeyAndLine) {
  expect_one_error("engine:\n  rate_hz: 44100\n", "serve.yaml:2:12: engine.rate_hz:",
                   "8000, 16000, 48000");
  expect_one_error("sip:\n  listen: \"127.0.0.1:70000\"\n", "serve.yaml:2:11: sip.listen:",
                   "port must be 1..65535");
  expect_one_error("sip:\n  listen: pbx.local:5060\n", "serve.yaml:2:11: sip.listen:",
                   "not a numeric IPv4 address");
  expect_one_error("rtp:\n  ports: 20001-20999\n", "serve.yaml:2:10: rtp.ports:", "even");
  expect_one_error("rtp:\n  ports: 30000-20000\n", "serve.yaml:2:10: rtp.ports:", "below");
  expect_one_error("recording:\n  format: mp3\n", "serve.yaml:2:11: recording.format:",
                   "wav, flac, opus");
  expect_one_error("rooms:\n  - name: a\n    number: 1\n    pin: 12a4\n",
                   "serve.yaml:4:10: rooms[0].pin:", "digits only");
  expect_one_error("rooms:\n  - name: a\n    number: 1\n    pin: \"\"\n",
                   "serve.yaml:4:10: rooms[0].pin:", "at least one");
  expect_one_error("rooms:\n  - name: a\n    number: 1\n    max_participants: 0\n",
                   "serve.yaml:4:23: rooms[0].max_participants:", "1..10000");
  expect_one_error("rooms:\n  - name: a\n    number: 1\n    record: always\n",
                   "serve.yaml:4:13: rooms[0].record:", "off, on-demand, auto");
  expect_one_error("rooms:\n  - name: a b\n    number: 1\n", "serve.yaml:2:11: rooms[0].name:",
                   "letters, digits");
  expect_one_error("rooms:\n  - name: a\n    number: 1\n    owner: alice smith\n",
                   "serve.yaml:4:12: rooms[0].owner:", "SIP user");
}

TEST(ServeConfig, RoomRulesAcrossFields) {
  expect_one_error("rooms:\n  - name: a\n    number: 1\n    pin: 12\n    moderator_pin: 12\n",
                   "serve.yaml:5:20: rooms[0].moderator_pin:", "must differ from pin");
  expect_one_error("rooms:\n  - name: a\n    pin: 12\n", "serve.yaml:2:5: rooms[0]:",
                   "missing required key 'number'");
  expect_one_error("rooms:\n  - name: a\n    number: 1\n    record: auto\n",
                   "serve.yaml:4:13: rooms[0].record:", "needs recording.dir");
}

TEST(ServeConfig, DuplicateRoomNumbersAndNamesPointAtTheSecond) {
  const std::string yaml =
      "rooms:\n"
      "  - name: a\n"
      "    number: 100\n"
      "  - name: b\n"
      "    number: 100\n"
      "  - name: a\n"
      "    number: 101\n";
  const std::vector<std::string> errors = errors_of(yaml);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], "serve.yaml:6:11: rooms[2].name: 'a' is already used by rooms[0] (line 2)");
  EXPECT_EQ(errors[1],
            "serve.yaml:5:13: rooms[1].number: '100' is already used by rooms[0] (line 3)");
}

TEST(ServeConfig, DuplicateKeysAreRejected) {
  expect_one_error("engine:\n  threads: 1\n  threads: 2\n", "serve.yaml:3:3: engine.threads:",
                   "duplicate key");
}

TEST(ServeConfig, EveryErrorIsReportedNotOnlyTheFirst) {
  const std::string yaml =
      "sip:\n"
      "  listen: \"127.0.0.1:0\"\n"
      "engine:\n"
      "  tick_ms: 5\n"
      "colour: blue\n"
      "rooms:\n"
      "  - name: a\n"
      "    number: x1\n";
  const std::vector<std::string> errors = errors_of(yaml);
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].substr(0, 13), "serve.yaml:5:");  // top-level keys are checked first
  EXPECT_EQ(errors[1].substr(0, 24), "serve.yaml:2:11: sip.lis");
  EXPECT_EQ(errors[2].substr(0, 13), "serve.yaml:4:");
  EXPECT_EQ(errors[3].substr(0, 13), "serve.yaml:8:");
}

TEST(ServeConfig, SyntaxErrorsCarryTheirLine) {
  const std::vector<std::string> errors = errors_of("sip:\n  listen: {port: 5060\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].substr(0, 11), "serve.yaml:");
  EXPECT_NE(errors[0].find(": syntax: "), std::string::npos) << errors[0];
  const std::vector<std::string> bad_indent = errors_of("sip:\n  listen: a\n bad: b\n");
  ASSERT_EQ(bad_indent.size(), 1u);
  EXPECT_EQ(bad_indent[0].substr(0, 13), "serve.yaml:3:") << bad_indent[0];
}

TEST(ServeConfig, NonLoopbackHttpNeedsAnApiToken) {
  expect_one_error("http:\n  listen: \"0.0.0.0:8080\"\n", "serve.yaml:2:11: http.listen:",
                   "set http.api_token");
  expect_one_error("http:\n  listen: \"[::]:8080\"\n", "serve.yaml:2:11: http.listen:",
                   "not a loopback address");
  expect_one_error("http:\n  listen: \"0.0.0.0:8080\"\n  api_token: short\n",
                   "serve.yaml:3:14: http.api_token:", "at least 16");
  EXPECT_TRUE(parse_serve_config("http:\n  listen: \"127.0.0.2:8080\"\n", "s").is_ok());
  EXPECT_TRUE(parse_serve_config("http:\n  listen: \"[::1]:8080\"\n", "s").is_ok());
  EXPECT_TRUE(parse_serve_config(
                  "http:\n  listen: \"10.0.0.5:8080\"\n  api_token: 0123456789abcdef\n", "s")
                  .is_ok());
  // SIP on every interface needs no token: the token guards the HTTP commands only.
  EXPECT_TRUE(parse_serve_config("sip:\n  listen: \"0.0.0.0:5060\"\n", "s").is_ok());
}

TEST(ServeConfig, EndpointForms) {
  EXPECT_EQ(parse_endpoint("127.0.0.1:5060").value(), (Endpoint{"127.0.0.1", 5060}));
  EXPECT_EQ(parse_endpoint("[::1]:5060").value(), (Endpoint{"::1", 5060}));
  EXPECT_EQ(parse_endpoint("[::1]:5060").value().to_string(), "[::1]:5060");
  EXPECT_FALSE(parse_endpoint("::1:5060").is_ok());
  EXPECT_FALSE(parse_endpoint("[::1]").is_ok());
  EXPECT_FALSE(parse_endpoint("127.0.0.1").is_ok());
  EXPECT_FALSE(parse_endpoint("127.0.0.1:+80").is_ok());
  EXPECT_FALSE(parse_endpoint("127.0.0.1:0").is_ok());
  EXPECT_TRUE(is_loopback({"::ffff:127.0.0.1", 1}));
  EXPECT_FALSE(is_loopback({"0.0.0.0", 1}));
  EXPECT_FALSE(parse_port_range("20000").is_ok());
  EXPECT_EQ(parse_port_range("10000-10001").value().count(), 2);
}

TEST(ServeConfig, RoomEntryMapsOntoTheEngine) {
  Result<ServeConfig> result = load_serve_config(std::string(TUTTI_EXAMPLES_DIR) + "/serve.yaml");
  ASSERT_TRUE(result.is_ok()) << result.status().message();
  const ServeConfig& c = result.value();
  const RoomConfig room = to_room_config(c.rooms[0], c);
  EXPECT_EQ(room.name, "sales");
  EXPECT_EQ(room.moh_path, c.rooms[0].moh);
  EXPECT_TRUE(room.entry_tones && room.denoise && room.agc);
  EXPECT_EQ(room.record, RecordMode::kOnDemand);
  EXPECT_EQ(room.record_dir, c.recording.dir);
  EXPECT_EQ(room.record_format, "flac");
  EXPECT_EQ(room.max_participants, 50);
  const EngineConfig engine = to_engine_config(c);
  EXPECT_EQ(engine.sample_rate_hz, 48000);
  EXPECT_EQ(engine.tick_ms, 20);
  EXPECT_EQ(engine.threads, 2);
  EXPECT_EQ(engine.max_participants, 1024);  // 50 + 500 + 100 is below the default pool
}

TEST(ServeConfig, MissingFileIsNotFound) {
  Result<ServeConfig> result = load_serve_config("/nonexistent/serve.yaml");
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tutti::config
