// Issue 4: SIGTERM ends every call with a BYE, closes the recordings and exits 0; a broken
// configuration stops `tutti serve` before it binds anything, with exit code 2 and every problem
// as FILE:LINE:COLUMN: key: message (docs/config.md).
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sndfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <span>
#include <vector>

#include "serve_fixture.h"
#include "tutti/tone_meter.h"

namespace tutti::e2e {
namespace {

constexpr double kAliceHz = 500.0;
constexpr double kBobHz = 700.0;
constexpr double kHeardDb = -40.0;

const RoomSpec kRecorded{.name = "rec",
                         .number = "3500",
                         .pin = "",
                         .moderator_pin = "",
                         .max_participants = 0,
                         .moh = {},
                         .record = "auto",
                         .owner = "",
                         .entry_tones = false};

std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir, ec))
    if (f.is_regular_file()) found.push_back(f.path());
  return found;
}

struct Recording {
  int sample_rate_hz = 0;
  int channels = 0;
  std::vector<int16_t> mono;  // the first channel
};

// The whole file as libsndfile reads it; nullopt if it does not open.
std::optional<Recording> read_recording(const std::filesystem::path& file) {
  SF_INFO info{};
  SNDFILE* sf = sf_open(file.c_str(), SFM_READ, &info);
  if (sf == nullptr) return std::nullopt;
  Recording r{.sample_rate_hz = info.samplerate, .channels = info.channels, .mono = {}};
  std::vector<int16_t> frames(static_cast<std::size_t>(info.frames * info.channels));
  const sf_count_t got = sf_readf_short(sf, frames.data(), info.frames);
  sf_close(sf);
  for (sf_count_t i = 0; i < got; ++i) r.mono.push_back(frames[std::size_t(i * info.channels)]);
  return r;
}

// A socket of `type` bound to 127.0.0.1:port (closed by the destructor); valid() if it bound.
class BoundSocket {
 public:
  BoundSocket(int type, int port) : fd_(socket(AF_INET, type | SOCK_CLOEXEC, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bound_ = fd_ >= 0 && bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~BoundSocket() { close(fd_); }
  BoundSocket(const BoundSocket&) = delete;
  BoundSocket& operator=(const BoundSocket&) = delete;
  bool valid() const { return bound_; }

 private:
  int fd_;
  bool bound_ = false;
};

class Shutdown : public ServeFixture {};

TEST_F(Shutdown, SigtermHangsUpEveryCallClosesTheRecordingAndExitsZero) {
  ServeSpec spec;
  spec.rooms = {kRecorded};
  start(spec);
  Caller* alice = join(kRecorded, "alice", "", {{"hangup_ms", "19000"}});
  Caller* bob = join(kRecorded, "bob", "", {{"hangup_ms", "19000"}});
  ASSERT_TRUE(alice && bob);
  alice->media->play_tone(kAliceHz);
  bob->media->play_tone(kBobHz);
  ASSERT_TRUE(bob->media->wait_for_tone(kAliceHz, kHeardDb, 3s));
  ASSERT_TRUE(alice->media->wait_for_tone(kBobHz, kHeardDb, 3s));
  std::this_thread::sleep_for(1500ms);  // both tones in the recording for a while

  Process& server = serve().process();
  ASSERT_EQ(::kill(server.pid(), SIGTERM), 0);
  const std::optional<int> status = server.wait(5s);
  ASSERT_TRUE(status) << "tutti serve still runs 5 s after SIGTERM";
  EXPECT_EQ(*status, 0) << "tutti serve did not exit cleanly";
  EXPECT_TRUE(hung_up_by_server(*alice, 1s)) << "alice got no BYE";
  EXPECT_TRUE(hung_up_by_server(*bob, 1s)) << "bob got no BYE";
  EXPECT_EQ(alice->sipp->finish(2s), kSippAllCallsOk);
  EXPECT_EQ(bob->sipp->finish(2s), kSippAllCallsOk);

  const auto files = files_in(serve().recording_dir());
  ASSERT_EQ(files.size(), 1u) << "expected one recording in " << serve().recording_dir();
  EXPECT_EQ(files[0].extension(), ".wav");
  const auto recording = read_recording(files[0]);
  ASSERT_TRUE(recording) << "libsndfile cannot open " << files[0] << ": " << sf_strerror(nullptr);
  ASSERT_GT(recording->sample_rate_hz, 0);
  ASSERT_GT(recording->mono.size(), 0u) << "the recording holds no frames";
  // The last second was recorded while both talked: the mix holds both tones.
  const auto second = static_cast<std::size_t>(recording->sample_rate_hz);
  ASSERT_GE(recording->mono.size(), second) << "less than a second recorded";
  const std::span<const int16_t> last(recording->mono.data() + recording->mono.size() - second,
                                      second);
  EXPECT_GT(tone_level_db(last, kAliceHz, recording->sample_rate_hz), kHeardDb) << "no alice";
  EXPECT_GT(tone_level_db(last, kBobHz, recording->sample_rate_hz), kHeardDb) << "no bob";
}

TEST_F(Shutdown, BrokenConfigExitsWithCodeTwoAndNeverBinds) {
  const int sip_port = free_sip_port();
  const int http_port = free_tcp_port();
  const std::filesystem::path config = dir() / "serve.yaml";
  std::ofstream(config) << "sip:\n"                                         // 1
                        << "  listen: \"127.0.0.1:" << sip_port << "\"\n"   // 2
                        << "http:\n"                                        // 3
                        << "  listen: \"127.0.0.1:" << http_port << "\"\n"  // 4
                        << "engine:\n"                                      // 5
                        << "  rate_hz: 44100\n"                             // 6
                        << "rooms:\n"                                       // 7
                        << "  - name: a\n"                                  // 8
                        << "    number: \"1000\"\n"                         // 9
                        << "    pni: \"1234\"\n";                           // 10
  // The test holds the SIP port: a server that bound before checking its file would stop with
  // "cannot start" and exit 1, not 2.
  const BoundSocket held(SOCK_DGRAM, sip_port);
  ASSERT_TRUE(held.valid());
  Process server(ProcessOptions{.argv = {tutti_binary(), "serve", "--config", config.string()},
                                .stdout_file = dir() / "broken.stdout",
                                .stderr_file = dir() / "broken.stderr",
                                .working_dir = dir()});
  const std::optional<int> status = server.wait(5s);
  ASSERT_TRUE(status) << "tutti serve runs on a broken config";
  EXPECT_EQ(*status, 2);
  const std::string errors = server.stderr_tail();
  EXPECT_TRUE(std::regex_search(errors, std::regex(R"(serve\.yaml:6:\d+: engine\.rate_hz: )")))
      << errors;
  EXPECT_TRUE(std::regex_search(errors, std::regex(R"(serve\.yaml:10:\d+: rooms\[0\]\.pni: )")))
      << errors;
  EXPECT_EQ(errors.find("cannot start"), std::string::npos) << "it tried to bind: " << errors;
  EXPECT_EQ(server.output().find("ready"), std::string::npos) << server.output();
  EXPECT_TRUE(BoundSocket(SOCK_STREAM, http_port).valid()) << "the HTTP port was left bound";
}

}  // namespace
}  // namespace tutti::e2e
