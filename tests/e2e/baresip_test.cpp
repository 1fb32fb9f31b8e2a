// A real softphone in the conference: two baresip instances (Opus, as the server prefers it)
// call a room, each sending a sine from baresip's ausine module and dumping what it hears with
// the sndfile module; each must hear the other and not itself.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sndfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <vector>

#include "serve_fixture.h"
#include "tutti/tone_meter.h"

namespace tutti::e2e {
namespace {

struct Softphone {
  std::filesystem::path dir;
  std::unique_ptr<Process> process;
};

bool free_for_udp_and_tcp(int port) {
  for (int type : {SOCK_DGRAM, SOCK_STREAM}) {
    const int fd = socket(AF_INET, type, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool bound = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
    close(fd);
    if (!bound) return false;
  }
  return true;
}

// A SIP port whose next port is free too (baresip also binds SIP port + 1).
int free_port_pair() {
  for (int attempt = 0; attempt < 50; ++attempt) {
    const int port = free_sip_port();
    if (port < 65535 && free_for_udp_and_tcp(port + 1)) return port;
  }
  return free_sip_port();
}

Softphone start_baresip(const std::filesystem::path& dir, const std::string& user, int tone_hz,
                        const std::string& target, int seconds) {
  std::filesystem::create_directories(dir);
  const int port = free_port_pair();
  std::ofstream(dir / "config") << "poll_method epoll\n"
                                << "sip_listen 127.0.0.1:" << port << "\n"
                                << "audio_player aubridge,x\n"
                                << "audio_alert aubridge,x\n"
                                << "audio_source ausine," << tone_hz << "\n"
                                << "module_path /usr/lib/baresip/modules\n"
                                << "module g711.so\nmodule opus.so\nmodule ausine.so\n"
                                << "module aubridge.so\nmodule sndfile.so\n"
                                << "module_app account.so\nmodule_app menu.so\n"
                                << "snd_path " << dir.string() << "\n";
  std::ofstream(dir / "accounts") << "\"" << user << "\" <sip:" << user << "@127.0.0.1>;regint=0\n";
  ProcessOptions options;
  options.argv = {"baresip",         "-f", dir.string(),           "-e",
                  "/dial " + target, "-t", std::to_string(seconds)};
  options.stdout_file = dir / "baresip.out";
  options.stderr_file = dir / "baresip.err";
  Softphone phone;
  phone.dir = dir;
  phone.process = std::make_unique<Process>(options);
  return phone;
}

// The last `seconds` of what the softphone heard (its sndfile "-dec.wav" dump), as mono.
std::vector<int16_t> heard(const std::filesystem::path& dir, double seconds, int& rate) {
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (!name.ends_with("-dec.wav")) continue;
    SF_INFO info{};
    SNDFILE* file = sf_open(entry.path().c_str(), SFM_READ, &info);
    if (file == nullptr) return {};
    std::vector<int16_t> interleaved(static_cast<std::size_t>(info.frames * info.channels));
    sf_readf_short(file, interleaved.data(), info.frames);
    sf_close(file);
    rate = info.samplerate;
    const auto keep = std::min<std::size_t>(static_cast<std::size_t>(info.frames),
                                            static_cast<std::size_t>(seconds * rate));
    std::vector<int16_t> mono;
    for (std::size_t i = static_cast<std::size_t>(info.frames) - keep;
         i < static_cast<std::size_t>(info.frames); ++i) {
      mono.push_back(interleaved[i * static_cast<std::size_t>(info.channels)]);
    }
    return mono;
  }
  return {};
}

class Baresip : public ServeFixture {};

TEST_F(Baresip, TwoSoftphonesOnOpusHearEachOtherAndNeverThemselves) {
  RoomSpec room;
  room.name = "softphones";
  room.number = "4100";
  ServeSpec spec;
  spec.rooms = {room};
  start(spec);
  const std::string target = "sip:4100@127.0.0.1:" + std::to_string(serve().sip_port());
  Softphone alice = start_baresip(dir() / "alice", "alice", 700, target, 7);
  ASSERT_TRUE(api().wait_for_participant(
      room.name, "alice", [](const Json&) { return true; }, 5s))
      << "alice never joined";
  Softphone bob = start_baresip(dir() / "bob", "bob", 500, target, 5);
  auto bob_entry = api().wait_for_participant(
      room.name, "bob", [](const Json&) { return true; }, 5s);
  ASSERT_TRUE(bob_entry) << "bob never joined";
  EXPECT_EQ((*bob_entry)["codec"], "opus") << bob_entry->dump();
  EXPECT_TRUE(bob.process->wait(10s).has_value()) << "bob's baresip did not end";
  EXPECT_TRUE(alice.process->wait(10s).has_value()) << "alice's baresip did not end";

  int rate = 0;
  // Bob's whole call overlaps Alice's: the last 2 s of Bob's dump are a two-person room.
  const std::vector<int16_t> bob_heard = heard(bob.dir, 2.0, rate);
  ASSERT_GT(bob_heard.size(), 48000u) << "no dump from bob";
  const double bob_hears_alice = tone_level_db(bob_heard, 700, rate);
  const double bob_hears_bob = tone_level_db(bob_heard, 500, rate);
  EXPECT_GT(bob_hears_alice, -40.0);
  EXPECT_LT(bob_hears_bob, bob_hears_alice - 30.0);
  // Alice's dump ends after bob left; take a window from when both were in.
  const std::vector<int16_t> alice_all = heard(alice.dir, 7.0, rate);
  ASSERT_GT(alice_all.size(), static_cast<std::size_t>(4 * rate)) << "no dump from alice";
  const std::vector<int16_t> alice_heard(alice_all.end() - 4 * rate, alice_all.end() - 2 * rate);
  const double alice_hears_bob = tone_level_db(alice_heard, 500, rate);
  const double alice_hears_alice = tone_level_db(alice_heard, 700, rate);
  std::cout << "bob hears alice " << bob_hears_alice << " dB, himself " << bob_hears_bob
            << " dB; alice hears bob " << alice_hears_bob << " dB, herself " << alice_hears_alice
            << " dB\n";
  EXPECT_GT(alice_hears_bob, -40.0);
  EXPECT_LT(alice_hears_alice, alice_hears_bob - 30.0);
}

}  // namespace
}  // namespace tutti::e2e
