// A `tutti serve` for one test: a config written to a temp dir with free ports, the server
// started and awaited until it prints its ready line, callers (a SIPp plus an RtpPeer each) and
// SIPp phones for dial-out. Teardown ends the SIPps, then the server, each by its PID, and on a
// failed test prints the server's output and every SIPp's logs.
//
// Threads: the test's thread only.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api.h"
#include "net.h"
#include "process.h"
#include "rtp_peer.h"
#include "sipp.h"

namespace tutti::e2e {

struct RoomSpec {
  std::string name;
  std::string number;
  std::string pin;              // empty: no PIN
  std::string moderator_pin;    // empty: none
  int max_participants = 0;     // 0: the server's default
  std::filesystem::path moh;    // empty: none
  std::string record;           // empty: off
  std::string owner;            // empty: none
  bool entry_tones = false;
};

struct ServeSpec {
  std::vector<RoomSpec> rooms;
  std::string api_token;        // empty: none (loopback)
  int rtp_port_count = 200;
  int rate_hz = 48000;
  int tick_ms = 20;
  int threads = 0;
  std::string recording_format = "wav";
  std::vector<std::string> extra_args;  // appended to `tutti serve --config FILE`
};

// YAML for `spec` with these addresses (docs/config.md).
std::string serve_config_yaml(const ServeSpec& spec, int sip_port, int http_port, PortRange rtp,
                              const std::filesystem::path& recording_dir);

// The path of the tutti executable under test.
std::string tutti_binary();

// A WAV of a sine (mono, 16-bit) for music on hold.
void write_tone_wav(const std::filesystem::path& file, double freq_hz, double seconds,
                    int sample_rate_hz = 8000, double amplitude = 0.3);

class Serve {
 public:
  Serve(const ServeSpec& spec, const std::filesystem::path& dir);
  ~Serve() = default;

  // True once "tutti serve: ready sip=... http=..." is printed (within timeout); from then on
  // sip_port() and http_port() are the ones printed.
  bool wait_ready(std::chrono::milliseconds timeout);
  int sip_port() const { return sip_port_; }
  int http_port() const { return http_port_; }
  const std::string& token() const { return token_; }
  const std::filesystem::path& recording_dir() const { return recording_dir_; }
  Process& process() { return *process_; }
  std::string describe() const;

 private:
  int sip_port_ = 0;
  int http_port_ = 0;
  std::string token_;
  std::filesystem::path config_file_, recording_dir_;
  std::unique_ptr<Process> process_;
};

// A SIPp caller with its media.
struct Caller {
  std::string name;
  std::unique_ptr<RtpPeer> media;
  std::unique_ptr<Sipp> sipp;
};

class ServeFixture : public ::testing::Test {
 protected:
  ServeFixture();
  void TearDown() override;

  // Starts the server and fails the test (fatally) if it does not get ready within 10 s.
  void start(const ServeSpec& spec);

  // Dials `number` as `name` with a scenario (uac_call.xml unless given); the RtpPeer is bound
  // before SIPp starts, so the offer's port is live.
  Caller& dial(const std::string& number, const std::string& name,
               std::map<std::string, std::string> keys = {},
               const std::string& scenario = "uac_call.xml");
  // A phone (uas_answer.xml) that the server can dial at sip:<name>@127.0.0.1:<port>.
  Caller& phone(const std::string& name, std::map<std::string, std::string> keys = {});
  std::string phone_uri(const Caller& phone) const;

  // Waits for the scenario's "answer media=PORT" and points the caller's RtpPeer there (in case
  // the server does not send first).
  bool await_answer(Caller& caller, std::chrono::milliseconds timeout = 5000ms);

  // Dials a room, waits for the answer, enters `pin` + '#' when given, and waits until the
  // roster lists the caller as active. Records a failure and returns nullptr otherwise.
  Caller* join(const RoomSpec& room, const std::string& name, const std::string& pin = "",
               std::map<std::string, std::string> keys = {},
               const std::string& scenario = "uac_call.xml");
  // The caller's roster entry in `room` once it is active (nullopt after timeout).
  std::optional<Json> active_in(const std::string& room, const Caller& caller,
                                std::chrono::milliseconds timeout = 5000ms);
  // The far end hung up on this caller (its scenario logged "hangup=server").
  bool hung_up_by_server(Caller& caller, std::chrono::milliseconds timeout = 5000ms);

  Serve& serve() { return *serve_; }
  Api api() { return Api(serve_->http_port(), serve_->token()); }
  Api api_with_token(const std::string& token) { return Api(serve_->http_port(), token); }
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  TempDir dir_;
  std::unique_ptr<Serve> serve_;
  std::deque<std::unique_ptr<Caller>> callers_;
  int sipp_count_ = 0;
};

// The JSON mentions `text` somewhere (a name, a URI): event payload shapes are the server's.
bool mentions(const Json& j, const std::string& text);

}  // namespace tutti::e2e
