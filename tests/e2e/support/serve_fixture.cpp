#include "serve_fixture.h"

#include <sndfile.h>

#include <cmath>
#include <fstream>
#include <numbers>
#include <sstream>
#include <vector>

#ifndef TUTTI_BINARY
#error "TUTTI_BINARY must name the tutti executable"
#endif

namespace tutti::e2e {
namespace {

std::string quoted(const std::string& s) { return '"' + s + '"'; }

std::string test_name() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  if (info == nullptr) return "e2e";
  std::string name = std::string(info->test_suite_name()) + "." + info->name();
  for (char& c : name)
    if (c == '/') c = '_';
  return name;
}

}  // namespace

std::string serve_config_yaml(const ServeSpec& spec, int sip_port, int http_port, PortRange rtp,
                              const std::filesystem::path& recording_dir) {
  std::ostringstream y;
  y << "sip:\n  listen: " << quoted("127.0.0.1:" + std::to_string(sip_port)) << "\n"
    << "rtp:\n  ports: " << quoted(std::to_string(rtp.low) + "-" + std::to_string(rtp.high))
    << "\n"
    << "http:\n  listen: " << quoted("127.0.0.1:" + std::to_string(http_port)) << "\n";
  if (!spec.api_token.empty()) y << "  api_token: " << quoted(spec.api_token) << "\n";
  y << "engine:\n  rate_hz: " << spec.rate_hz << "\n  tick_ms: " << spec.tick_ms
    << "\n  threads: " << spec.threads << "\n"
    << "recording:\n  dir: " << quoted(recording_dir.string())
    << "\n  format: " << spec.recording_format << "\n"
    << "rooms:\n";
  for (const RoomSpec& r : spec.rooms) {
    y << "  - name: " << quoted(r.name) << "\n    number: " << quoted(r.number) << "\n";
    if (!r.pin.empty()) y << "    pin: " << quoted(r.pin) << "\n";
    if (!r.moderator_pin.empty()) y << "    moderator_pin: " << quoted(r.moderator_pin) << "\n";
    if (r.max_participants > 0) y << "    max_participants: " << r.max_participants << "\n";
    if (!r.moh.empty()) y << "    moh: " << quoted(r.moh.string()) << "\n";
    if (!r.record.empty()) y << "    record: " << r.record << "\n";
    if (!r.owner.empty()) y << "    owner: " << quoted(r.owner) << "\n";
    y << "    entry_tones: " << (r.entry_tones ? "true" : "false") << "\n";
  }
  return y.str();
}

std::string tutti_binary() { return TUTTI_BINARY; }

void write_tone_wav(const std::filesystem::path& file, double freq_hz, double seconds,
                    int sample_rate_hz, double amplitude) {
  SF_INFO info{};
  info.samplerate = sample_rate_hz;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* sf = sf_open(file.c_str(), SFM_WRITE, &info);
  if (sf == nullptr) throw std::runtime_error("write_tone_wav: cannot write " + file.string());
  std::vector<short> pcm(static_cast<std::size_t>(seconds * sample_rate_hz));
  for (std::size_t i = 0; i < pcm.size(); ++i)
    pcm[i] = static_cast<short>(std::lround(
        amplitude * 32767.0 * std::sin(2.0 * std::numbers::pi * freq_hz * double(i) / sample_rate_hz)));
  sf_write_short(sf, pcm.data(), static_cast<sf_count_t>(pcm.size()));
  sf_close(sf);
}

Serve::Serve(const ServeSpec& spec, const std::filesystem::path& dir)
    : sip_port_(free_sip_port()),
      http_port_(free_tcp_port()),
      token_(spec.api_token),
      config_file_(dir / "serve.yaml"),
      recording_dir_(dir / "recordings") {
  std::filesystem::create_directories(recording_dir_);
  std::ofstream(config_file_) << serve_config_yaml(spec, sip_port_, http_port_,
                                                   free_udp_range(spec.rtp_port_count),
                                                   recording_dir_);
  std::vector<std::string> argv = {TUTTI_BINARY, "serve", "--config", config_file_.string()};
  argv.insert(argv.end(), spec.extra_args.begin(), spec.extra_args.end());
  process_ = std::make_unique<Process>(ProcessOptions{
      .argv = std::move(argv),
      .stdout_file = dir / "serve.stdout",
      .stderr_file = dir / "serve.stderr",
      .working_dir = dir});
}

bool Serve::wait_ready(std::chrono::milliseconds timeout) {
  static const std::regex ready(R"(tutti serve: ready sip=127\.0\.0\.1:(\d+) http=127\.0\.0\.1:(\d+))");
  const auto m = process_->wait_for_line(ready, timeout);
  if (!m) return false;
  // The ready line gives the addresses actually bound: talk to those.
  sip_port_ = std::stoi((*m)[1]);
  http_port_ = std::stoi((*m)[2]);
  return true;
}

std::string Serve::describe() const {
  std::ifstream config(config_file_);
  std::ostringstream s;
  s << "tutti serve: " << process_->command_line() << "\n  config:\n" << config.rdbuf()
    << "  stdout:\n" << process_->output() << "  stderr (tail):\n" << process_->stderr_tail()
    << '\n';
  return s.str();
}

ServeFixture::ServeFixture() : dir_("tutti-e2e") {}

void ServeFixture::start(const ServeSpec& spec) {
  serve_ = std::make_unique<Serve>(spec, dir_.path());
  const int configured_sip = serve_->sip_port();
  const int configured_http = serve_->http_port();
  ASSERT_TRUE(serve_->wait_ready(10s)) << "tutti serve did not print its ready line\n"
                                       << serve_->describe();
  EXPECT_EQ(serve_->sip_port(), configured_sip) << "ready line differs from sip.listen";
  EXPECT_EQ(serve_->http_port(), configured_http) << "ready line differs from http.listen";
}

Caller& ServeFixture::dial(const std::string& number, const std::string& name,
                           std::map<std::string, std::string> keys,
                           const std::string& scenario) {
  auto caller = std::make_unique<Caller>();
  caller->name = name;
  caller->media = std::make_unique<RtpPeer>();
  keys.emplace("caller", name);
  keys["rtp_port"] = std::to_string(caller->media->port());
  caller->sipp = std::make_unique<Sipp>(
      dir_.path(), name + "-" + std::to_string(++sipp_count_),
      SippCall{.scenario = scenario,
               .service = number,
               .remote_port = serve_->sip_port(),
               .local_port = 0,
               .keys = keys,
               .extra_args = {},
               .timeout = 20s});
  callers_.push_back(std::move(caller));
  return *callers_.back();
}

Caller& ServeFixture::phone(const std::string& name, std::map<std::string, std::string> keys) {
  auto callee = std::make_unique<Caller>();
  callee->name = name;
  callee->media = std::make_unique<RtpPeer>();
  keys.emplace("callee", name);
  keys["rtp_port"] = std::to_string(callee->media->port());
  callee->sipp = std::make_unique<Sipp>(dir_.path(), name + "-" + std::to_string(++sipp_count_),
                                        SippCall{.scenario = "uas_answer.xml",
                                                 .service = "",
                                                 .remote_port = 0,
                                                 .local_port = 0,
                                                 .keys = keys,
                                                 .extra_args = {},
                                                 .timeout = 20s});
  callers_.push_back(std::move(callee));
  return *callers_.back();
}

std::string ServeFixture::phone_uri(const Caller& phone) const {
  return "sip:" + phone.name + "@127.0.0.1:" + std::to_string(phone.sipp->local_port());
}

bool ServeFixture::await_answer(Caller& caller, std::chrono::milliseconds timeout) {
  static const std::regex answer(R"((?:answer|offer) media=(\d+))");
  const auto m = caller.sipp->wait_for_log(answer, timeout);
  if (!m) return false;
  if (!caller.media->remote_port()) caller.media->set_remote(std::stoi((*m)[1]));
  return true;
}

Caller* ServeFixture::join(const RoomSpec& room, const std::string& name, const std::string& pin,
                           std::map<std::string, std::string> keys, const std::string& scenario) {
  Caller& caller = dial(room.number, name, std::move(keys), scenario);
  if (!await_answer(caller)) {
    ADD_FAILURE() << name << " was not answered by room " << room.name;
    return nullptr;
  }
  if (!pin.empty()) {
    caller.media->wait_for_packets(1, 2000ms);  // the prompt has started
    caller.media->send_digits(pin + "#");
    caller.media->wait_digits_sent(5000ms);
  }
  if (!active_in(room.name, caller)) {
    ADD_FAILURE() << name << " is not active in room " << room.name;
    return nullptr;
  }
  return &caller;
}

std::optional<Json> ServeFixture::active_in(const std::string& room, const Caller& caller,
                                            std::chrono::milliseconds timeout) {
  return api().wait_for_participant(
      room, caller.name, [](const Json& p) { return str_field(p, "state") == "active"; },
      timeout);
}

bool ServeFixture::hung_up_by_server(Caller& caller, std::chrono::milliseconds timeout) {
  return caller.sipp->wait_for_log(std::regex("hangup=server"), timeout).has_value();
}

bool mentions(const Json& j, const std::string& text) {
  return j.dump().find(text) != std::string::npos;
}

void ServeFixture::TearDown() {
  const bool failed = HasFailure();
  std::ostringstream report;
  for (auto& c : callers_) {
    c->sipp->finish(0ms);  // ends it by PID if still running
    if (failed) report << c->sipp->describe();
  }
  callers_.clear();
  if (serve_) {
    const int status = serve_->process().terminate(5000ms);
    if (failed) report << "tutti serve exit status " << status << "\n" << serve_->describe();
  }
  if (failed) {
    std::cerr << "---- " << test_name() << " diagnostics (dir " << dir_.path() << ") ----\n"
              << report.str();
  }
}

}  // namespace tutti::e2e
