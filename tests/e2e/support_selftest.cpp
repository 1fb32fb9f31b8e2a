// The e2e support against SIPp alone (no tutti serve): Process, Sipp and the scenarios, RtpPeer
// tones and digits. If these pass and an e2e test fails, look at the server first.
#include <gtest/gtest.h>

#include <csignal>
#include <regex>

#include "net.h"
#include "process.h"
#include "rtp_peer.h"
#include "sipp.h"

namespace tutti::e2e {
namespace {

TEST(Process, WaitsForALineAndReportsTheExitCode) {
  TempDir dir("tutti-selftest");
  Process p(ProcessOptions{.argv = {"sh", "-c", "echo starting; sleep 0.2; echo ready port=42; exit 3"},
                           .stdout_file = dir.path() / "out",
                           .stderr_file = {},
                           .working_dir = {}});
  const auto m = p.wait_for_line(std::regex(R"(ready port=(\d+))"), 5s);
  ASSERT_TRUE(m);
  EXPECT_EQ((*m)[1], "42");
  EXPECT_EQ(p.wait(5s), 3);
}

TEST(Process, TerminateEndsAChildThatIgnoresSigterm) {
  Process p(ProcessOptions{.argv = {"sh", "-c", "trap '' TERM; echo up; while :; do sleep 0.05; done"},
                           .stdout_file = {},
                           .stderr_file = {},
                           .working_dir = {}});
  ASSERT_TRUE(p.wait_for_line(std::regex("up"), 5s));
  EXPECT_EQ(p.terminate(300ms), 128 + SIGKILL);
  EXPECT_FALSE(p.running());
}

TEST(Process, LineNeverPrintedTimesOut) {
  Process p(ProcessOptions{.argv = {"sleep", "5"}, .stdout_file = {}, .stderr_file = {}, .working_dir = {}});
  EXPECT_FALSE(p.wait_for_line(std::regex("ready"), 200ms));
  EXPECT_EQ(p.terminate(), 128 + SIGTERM);
}

class SippSelfTest : public ::testing::Test {
 protected:
  TempDir dir_{"tutti-selftest"};

  Sipp uas(const std::string& scenario, std::map<std::string, std::string> keys,
           std::vector<std::string> extra = {}) {
    return Sipp(dir_.path(), "uas",
                SippCall{.scenario = scenario, .service = "", .remote_port = 0, .local_port = 0,
                         .keys = std::move(keys), .extra_args = std::move(extra), .timeout = 10s});
  }
  Sipp uac(const std::string& scenario, int remote_port, std::map<std::string, std::string> keys) {
    return Sipp(dir_.path(), "uac",
                SippCall{.scenario = scenario, .service = "1000", .remote_port = remote_port,
                         .local_port = 0, .keys = std::move(keys), .extra_args = {},
                         .timeout = 10s});
  }
};

// SIPp answers with -rtp_echo: a 700 Hz tone sent by RtpPeer comes back, 500 Hz does not.
TEST_F(SippSelfTest, RtpPeerHearsItsToneEchoedBySipp) {
  const int echo_port = free_udp_range(4).low;
  Sipp callee = uas("uas_answer.xml", {{"rtp_port", std::to_string(echo_port)}, {"hangup_ms", "8000"}},
                    {"-rtp_echo", "-mp", std::to_string(echo_port)});
  RtpPeer media;
  media.play_tone(700.0, 0.2);
  Sipp caller = uac("uac_call.xml", callee.local_port(),
                    {{"rtp_port", std::to_string(media.port())}, {"hangup_ms", "2500"}});
  const auto answer = caller.wait_for_log(std::regex(R"(answer media=(\d+))"), 5s);
  ASSERT_TRUE(answer) << caller.describe();
  EXPECT_EQ(std::stoi((*answer)[1]), echo_port);
  media.set_remote(echo_port);
  ASSERT_TRUE(media.wait_for_tone(700.0, -20.0, 3s, 400ms)) << "700 Hz at " << media.level_db(700.0);
  EXPECT_LT(media.level_db(500.0, 400ms), media.level_db(700.0, 400ms) - 30.0);
  EXPECT_EQ(caller.finish(10s), kSippAllCallsOk) << caller.describe();
  EXPECT_TRUE(caller.logged("hangup=client")) << caller.describe();
  EXPECT_EQ(callee.finish(10s), kSippAllCallsOk) << callee.describe();
  EXPECT_TRUE(callee.logged("hangup=server")) << callee.describe();
}

// Two RtpPeers on the two ends of a SIPp call: tones both ways and RFC 4733 digits.
TEST_F(SippSelfTest, DigitsAndTonesCrossBetweenTwoPeers) {
  RtpPeer a, b;
  a.play_tone(500.0);
  b.play_tone(900.0);
  Sipp callee = uas("uas_answer.xml", {{"rtp_port", std::to_string(b.port())}, {"hangup_ms", "1500"},
                                       {"answer_ms", "200"}});
  Sipp caller = uac("uac_call.xml", callee.local_port(),
                    {{"rtp_port", std::to_string(a.port())}, {"hangup_ms", "8000"}});
  const auto answer = caller.wait_for_log(std::regex(R"(answer media=(\d+))"), 5s);
  ASSERT_TRUE(answer) << caller.describe();
  a.set_remote(std::stoi((*answer)[1]));  // b learns a from a's first packet
  a.send_digits("147*#");
  EXPECT_TRUE(a.wait_digits_sent(5s));
  EXPECT_TRUE(wait_until([&] { return b.digits_received() == "147*#"; }, 2s)) << b.digits_received();
  EXPECT_GT(b.level_db(500.0, 300ms), -30.0);
  EXPECT_GT(a.level_db(900.0, 300ms), -30.0);
  // The callee hangs up first: the caller's scenario sees the far end's BYE.
  EXPECT_EQ(caller.finish(10s), kSippAllCallsOk) << caller.describe();
  EXPECT_TRUE(caller.logged("hangup=server")) << caller.describe();
  EXPECT_EQ(callee.finish(10s), kSippAllCallsOk) << callee.describe();
  EXPECT_TRUE(callee.logged("hangup=client")) << callee.describe();
}

TEST_F(SippSelfTest, HoldScenarioAgainstTheMockConference) {
  Sipp conf = uas("mock_uas_conference.xml", {{"rtp_port", "9"}});
  Sipp caller = uac("uac_hold.xml", conf.local_port(),
                    {{"hold_after_ms", "200"}, {"hold_ms", "200"}, {"hangup_ms", "300"}});
  EXPECT_EQ(caller.finish(10s), kSippAllCallsOk) << caller.describe();
  EXPECT_TRUE(caller.logged("hold answer=recvonly")) << caller.describe();
  EXPECT_TRUE(caller.logged("resume answer=sendrecv")) << caller.describe();
  EXPECT_EQ(conf.finish(10s), kSippAllCallsOk) << conf.describe();
}

TEST_F(SippSelfTest, ReferScenarioAgainstTheMockConference) {
  Sipp conf = uas("mock_uas_conference.xml", {{"rtp_port", "9"}});
  Sipp caller = uac("uac_refer.xml", conf.local_port(),
                    {{"refer_after_ms", "200"}, {"refer_to", "2000"}, {"hangup_ms", "300"}});
  EXPECT_EQ(caller.finish(10s), kSippAllCallsOk) << caller.describe();
  EXPECT_TRUE(caller.logged("refer accepted")) << caller.describe();
  EXPECT_TRUE(caller.logged("notify sipfrag=200")) << caller.describe();
  EXPECT_TRUE(caller.logged("refer=done")) << caller.describe();
  EXPECT_EQ(conf.finish(10s), kSippAllCallsOk) << conf.describe();
}

TEST_F(SippSelfTest, RefusedScenarioSeesEarlyMediaAndBusy) {
  Sipp conf = uas("mock_uas_refuse.xml", {{"rtp_port", "9"}});
  Sipp caller = uac("uac_refused.xml", conf.local_port(), {});
  EXPECT_EQ(caller.finish(10s), kSippAllCallsOk) << caller.describe();
  EXPECT_TRUE(caller.logged("early media=9")) << caller.describe();
  EXPECT_TRUE(caller.logged("refused=486")) << caller.describe();
  EXPECT_EQ(conf.finish(10s), kSippAllCallsOk) << conf.describe();
}

TEST_F(SippSelfTest, SippThatGetsNoAnswerFailsWithinItsTimeout) {
  const int nobody = free_sip_port();
  Sipp caller(dir_.path(), "uac",
              SippCall{.scenario = "uac_call.xml", .service = "1000", .remote_port = nobody,
                       .local_port = 0, .keys = {}, .extra_args = {}, .timeout = 2s});
  const auto code = caller.wait(6s);
  ASSERT_TRUE(code) << caller.describe();
  EXPECT_NE(*code, kSippAllCallsOk);
}

}  // namespace
}  // namespace tutti::e2e
