// The agent dialling out to SIPp (its UAC side), its robustness against garbage, and its
// lifecycle (post, every, stop).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include "sip_fixture.h"

namespace tutti::sip::testing {
namespace {

using Events = std::vector<std::string>;

void send_datagram(uint16_t port, const std::string& payload) {
  const int fd = socket(AF_INET, SOCK_DGRAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  (void)sendto(fd, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&address),
               sizeof(address));
  close(fd);
}

// Runs `task` on the SIP thread and waits for its result.
template <typename F>
auto on_sip_thread(Agent& agent, F task) {
  std::promise<decltype(task())> done;
  auto result = done.get_future();
  agent.post([&] { done.set_value(task()); });
  return result.get();
}

TEST_F(SipAgentTest, DialOutRingsIsAnsweredAndHangsUpWithBye) {
  SippProcess sipp;
  ASSERT_TRUE(start_uas(sipp, "uas_answer.xml"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // SIPp binds its port
  handler_.established_action = [this](CallId call) { agent_->hangup(call); };
  const Result<CallId> call = on_sip_thread(
      *agent_, [this] { return agent_->invite(uri_of_sipp(), "Tutti Bridge", kAnswerSdp); });
  ASSERT_TRUE(call.is_ok()) << call.status().to_string();
  EXPECT_EQ(sipp.wait(std::chrono::seconds(15)), 0) << describe(sipp);
  ASSERT_TRUE(handler_.wait_for("closed:200"));
  EXPECT_EQ(handler_.events(), Events({"ringing", "answered", "established", "closed:200"}));
  EXPECT_EQ(agent_->stats().dialed, 1u);
}

TEST_F(SipAgentTest, DialOutHungUpBeforeAnyAnswerClosesOnceWith487) {
  // Nothing listens on the SIPp port, so no response ever comes.
  const Result<CallId> call =
      on_sip_thread(*agent_, [this] { return agent_->invite(uri_of_sipp(), "", kAnswerSdp); });
  ASSERT_TRUE(call.is_ok());
  on_sip_thread(*agent_, [&] {
    agent_->hangup(call.value());
    return 0;
  });
  ASSERT_TRUE(handler_.wait_for("closed:487"));
  EXPECT_EQ(handler_.events(), Events({"closed:487"}));
  // libre keeps retransmitting the INVITE it may not CANCEL yet: stop() gives up after grace.
  agent_->stop(std::chrono::milliseconds(100));
  EXPECT_EQ(handler_.events(), Events({"closed:487"}));
}

TEST_F(SipAgentTest, MalformedDatagramsAreSurvived) {
  send_datagram(agent_port_, "garbage that is not SIP at all");
  send_datagram(agent_port_, "INVITE sip:1000@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP\r\nFrom");
  send_datagram(
      agent_port_,
      "INVITE sip:1000@127.0.0.1 SIP/2.0\r\nCSeq: banana\r\nContent-Length: 99999\r\n\r\n");
  send_datagram(agent_port_, std::string(3000, '\r'));
  send_datagram(agent_port_, "SIP/2.0 200 OK\r\n\r\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(run_uac("uac_call_bye.xml"), 0);
  ASSERT_TRUE(handler_.wait_for("closed:200"));
  EXPECT_EQ(handler_.events(), Events({"invite", "established", "closed:200"}));
}

TEST_F(SipAgentTest, StopHangsUpEstablishedCallsWithBye) {
  SippProcess sipp;
  ASSERT_TRUE(start_uac(sipp, "uac_wait_bye.xml"));
  ASSERT_TRUE(handler_.wait_for("established"));
  agent_->stop(std::chrono::milliseconds(2000));
  EXPECT_EQ(sipp.wait(std::chrono::seconds(15)), 0) << describe(sipp);
  EXPECT_EQ(handler_.events(), Events({"invite", "established", "closed:200"}));
  agent_->stop();  // idempotent
}

TEST_F(SipAgentTest, PostedTasksRunInOrderOnTheSipThread) {
  std::vector<int> order;
  std::promise<void> done;
  for (int i = 0; i < 100; ++i) agent_->post([&order, i] { order.push_back(i); });
  agent_->post([&] { done.set_value(); });
  done.get_future().wait();
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[static_cast<size_t>(i)], i);
}

TEST_F(SipAgentTest, EveryRepeatsUntilStop) {
  std::atomic<int> ticks{0};
  agent_->every(std::chrono::milliseconds(5), [&] { ticks.fetch_add(1); });
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (ticks.load() < 3 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  agent_->stop();
  const int after_stop = ticks.load();
  EXPECT_GE(after_stop, 3);
  std::this_thread::sleep_for(std::chrono::milliseconds(30));
  EXPECT_EQ(ticks.load(), after_stop);
}

TEST(SipAgentCreate, RejectsANonNumericListenAddress) {
  RecordingHandler handler;
  AgentConfig config;
  config.listen_address = "not-an-address";
  config.listen_port = free_port();
  const auto agent = Agent::create(config, handler);
  EXPECT_FALSE(agent.is_ok());
}

TEST(SipAgentCreate, RejectsAPortAlreadyInUse) {
  RecordingHandler handler;
  AgentConfig config;
  config.listen_port = free_port();
  auto first = Agent::create(config, handler);
  ASSERT_TRUE(first.is_ok()) << first.status().to_string();
  const auto second = Agent::create(config, handler);
  EXPECT_FALSE(second.is_ok());
}

}  // namespace
}  // namespace tutti::sip::testing
