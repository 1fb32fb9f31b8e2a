// The requests the agent sends inside a call it dialled (re-INVITE, REFER, INFO), against SIPp
// and against a second agent: what `tutti run`'s virtual phones do to `tutti serve`.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "sip_fixture.h"

namespace tutti::sip::testing {
namespace {

constexpr const char* kReferTarget = "sip:carol@127.0.0.1:5099";

// Runs `task` on the agent's SIP thread and waits for it.
template <typename F>
auto on_sip_thread(Agent& agent, F task) {
  std::promise<decltype(task())> done;
  auto result = done.get_future();
  agent.post([&] { done.set_value(task()); });
  return result.get();
}

class SipAgentUacDialogTest : public SipAgentTest {
 protected:
  // Starts the SIPp UAS, dials it and waits until the call is up.
  CallId dial(SippProcess& sipp, const std::string& scenario_file) {
    EXPECT_TRUE(start_uas(sipp, scenario_file));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // SIPp binds its port
    const Result<CallId> call =
        on_sip_thread(*agent_, [this] { return agent_->invite(uri_of_sipp(), "", kAnswerSdp); });
    EXPECT_TRUE(call.is_ok()) << call.status().to_string();
    EXPECT_TRUE(handler_.wait_for("established"));
    return call.is_ok() ? call.value() : CallId{};
  }

  void run(std::function<void()> task) {
    on_sip_thread(*agent_, [&] {
      task();
      return 0;
    });
  }

  void hang_up_and_finish(SippProcess& sipp, CallId call) {
    run([&] { agent_->hangup(call); });
    EXPECT_EQ(sipp.wait(std::chrono::seconds(15)), 0) << describe(sipp);
    EXPECT_TRUE(handler_.wait_for("closed:200"));
  }
};

TEST_F(SipAgentUacDialogTest, HoldReofferIsAnsweredWithRecvonly) {
  SippProcess sipp;
  const CallId call = dial(sipp, "uas_reinvite_hold.xml");
  run([&] { agent_->reoffer(call, kHoldOfferSdp); });
  EXPECT_TRUE(handler_.wait_for("reanswered:recvonly")) << describe(sipp);
  hang_up_and_finish(sipp, call);
  EXPECT_EQ(handler_.events(), std::vector<std::string>({"answered", "established",
                                                         "reanswered:recvonly", "closed:200"}));
}

TEST_F(SipAgentUacDialogTest, AcceptedReferReportsEachNotifyStatus) {
  SippProcess sipp;
  const CallId call = dial(sipp, "uas_refer_notify.xml");
  run([&] { agent_->refer(call, kReferTarget); });
  EXPECT_TRUE(handler_.wait_for("refer_status:200")) << describe(sipp);
  hang_up_and_finish(sipp, call);
  EXPECT_EQ(handler_.events(),
            std::vector<std::string>(
                {"answered", "established", "refer_status:100", "refer_status:200", "closed:200"}));
}

TEST_F(SipAgentUacDialogTest, RefusedReferReportsItsFinalStatus) {
  SippProcess sipp;
  const CallId call = dial(sipp, "uas_refer_refused.xml");
  run([&] { agent_->refer(call, kReferTarget); });
  EXPECT_TRUE(handler_.wait_for("refer_status:403")) << describe(sipp);
  hang_up_and_finish(sipp, call);
  EXPECT_EQ(handler_.events(), std::vector<std::string>(
                                   {"answered", "established", "refer_status:403", "closed:200"}));
}

TEST_F(SipAgentUacDialogTest, InfoDigitReachesTheFarEndAsDtmfRelay) {
  SippProcess sipp;
  const CallId call = dial(sipp, "uas_info_dtmf.xml");
  run([&] { agent_->send_info_dtmf(call, '5', 160); });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the INFO and its 200
  hang_up_and_finish(sipp, call);
}

TEST_F(SipAgentUacDialogTest, RequestsOnAnUnknownOrUnestablishedCallChangeNothing) {
  run([&] {
    agent_->reoffer(CallId{99}, kHoldOfferSdp);
    agent_->refer(CallId{99}, kReferTarget);
    agent_->send_info_dtmf(CallId{99}, '5', 160);
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(handler_.events().empty());
}

// Agent A dials agent B: both sides of our own agent, as `tutti run` meets `tutti serve`.
TEST_F(SipAgentUacDialogTest, TwoAgentsHoldAndTransferEachOther) {
  RecordingHandler far_handler;
  AgentConfig config;
  config.listen_port = free_port();
  auto far = Agent::create(config, far_handler);
  ASSERT_TRUE(far.is_ok()) << far.status().to_string();
  far_handler.agent = far.value().get();

  const std::string far_uri = "sip:1000@127.0.0.1:" + std::to_string(config.listen_port);
  const Result<CallId> call =
      on_sip_thread(*agent_, [&] { return agent_->invite(far_uri, "Phone 1", kAnswerSdp); });
  ASSERT_TRUE(call.is_ok()) << call.status().to_string();
  ASSERT_TRUE(handler_.wait_for("established"));
  ASSERT_TRUE(far_handler.wait_for("established"));

  // The second offer waits for the first re-INVITE's answer; the far handler refuses it (it
  // takes only hold), so it fails with 488 and the call goes on.
  run([&] {
    agent_->reoffer(call.value(), kHoldOfferSdp);
    agent_->reoffer(call.value(), kAnswerSdp);
  });
  EXPECT_TRUE(handler_.wait_for("reanswered:failed"));
  EXPECT_TRUE(far_handler.wait_for("reoffer"));

  run([&] { agent_->refer(call.value(), kReferTarget); });
  EXPECT_TRUE(far_handler.wait_for(std::string("refer:") + kReferTarget));
  EXPECT_TRUE(handler_.wait_for("refer_status:200"));

  run([&] { agent_->send_info_dtmf(call.value(), '#', 80); });
  EXPECT_TRUE(far_handler.wait_for("dtmf:#:80"));

  run([&] { agent_->hangup(call.value()); });
  EXPECT_TRUE(handler_.wait_for("closed:200"));
  EXPECT_TRUE(far_handler.wait_for("closed:200"));
  EXPECT_EQ(handler_.events(),
            std::vector<std::string>({"answered", "established", "reanswered:recvonly",
                                      "reanswered:failed", "refer_status:100", "refer_status:200",
                                      "closed:200"}));
  far.value()->stop();
}

}  // namespace
}  // namespace tutti::sip::testing
