// The agent answering calls from SIPp (its UAS side), scenario by scenario.
#include <gtest/gtest.h>

#include "sip_fixture.h"

namespace tutti::sip::testing {
namespace {

using Events = std::vector<std::string>;

TEST_F(SipAgentTest, AnsweredCallEndsWithCallersBye) {
  EXPECT_EQ(run_uac("uac_call_bye.xml"), 0);
  ASSERT_TRUE(handler_.wait_for("closed:200"));
  EXPECT_EQ(handler_.events(), Events({"invite", "established", "closed:200"}));
  const InviteInfo invite = handler_.last_invite();
  EXPECT_EQ(invite.request_user, "1000");
  EXPECT_EQ(invite.from_user, "alice");
  EXPECT_EQ(invite.from_display, "Alice Caller");
  EXPECT_EQ(invite.from_uri, "sip:alice@127.0.0.1:" + std::to_string(sipp_port_));
  EXPECT_EQ(invite.source, "127.0.0.1:" + std::to_string(sipp_port_));
  EXPECT_NE(invite.sdp.find("m=audio"), std::string::npos);
  const AgentStats stats = agent_->stats();
  EXPECT_EQ(stats.invites, 1u);
  EXPECT_EQ(stats.established, 1u);
  EXPECT_EQ(stats.closed, 1u);
  EXPECT_EQ(stats.active_calls, 0u);
}

TEST_F(SipAgentTest, OptionsGetsOkWithAllow) {
  EXPECT_EQ(run_uac("uac_options.xml"), 0);
  EXPECT_EQ(agent_->stats().options, 1u);  // the agent's start-up probe is not an OPTIONS
  EXPECT_EQ(agent_->stats().malformed, 0u);
  EXPECT_TRUE(handler_.events().empty());
}

TEST_F(SipAgentTest, InfoDtmfRelayReportsDigitAndDuration) {
  EXPECT_EQ(run_uac("uac_info_dtmf.xml"), 0);
  ASSERT_TRUE(handler_.wait_for("closed:200"));
  EXPECT_EQ(handler_.events(), Events({"invite", "established", "dtmf:5:160", "closed:200"}));
  EXPECT_EQ(agent_->stats().infos, 1u);
}

TEST_F(SipAgentTest, ReinviteToHoldIsAnsweredWithHandlersSdp) {
  EXPECT_EQ(run_uac("uac_reinvite_hold.xml"), 0);
  ASSERT_TRUE(handler_.wait_for("closed:200"));
  EXPECT_EQ(handler_.events(), Events({"invite", "established", "reoffer", "closed:200"}));
}

TEST_F(SipAgentTest, AcceptedReferIsFollowedByTwoSipfragNotifies) {
  EXPECT_EQ(run_uac("uac_refer.xml"), 0);
  ASSERT_TRUE(handler_.wait_for("closed:200"));
  EXPECT_EQ(handler_.events(),
            Events({"invite", "established", "refer:sip:carol@127.0.0.1:5099", "closed:200"}));
  EXPECT_EQ(agent_->stats().refers, 1u);
}

TEST_F(SipAgentTest, AgentHangupSendsBye) {
  handler_.established_action = [this](CallId call) { agent_->hangup(call); };
  EXPECT_EQ(run_uac("uac_wait_bye.xml"), 0);
  ASSERT_TRUE(handler_.wait_for("closed:200"));
  EXPECT_EQ(handler_.events(), Events({"invite", "established", "closed:200"}));
}

TEST_F(SipAgentTest, RejectedCallSees404) {
  handler_.invite_action = [this](const InviteInfo& invite) {
    agent_->reject(invite.call, 404, "Not Found");
  };
  EXPECT_EQ(run_uac("uac_rejected.xml"), 0);
  EXPECT_EQ(handler_.events(), Events({"invite", "closed:404"}));
}

TEST_F(SipAgentTest, LaterRejectFromPostedTaskSees404AfterRinging) {
  handler_.invite_action = [this](const InviteInfo& invite) {
    agent_->post([this, call = invite.call] { agent_->reject(call, 404, "Not Found"); });
  };
  EXPECT_EQ(run_uac("uac_rejected.xml"), 0);
  EXPECT_EQ(handler_.events(), Events({"invite", "closed:404"}));
}

TEST_F(SipAgentTest, CancelBeforeAnswerClosesWith487) {
  handler_.invite_action = [](const InviteInfo&) {};  // never answers: the agent rings
  EXPECT_EQ(run_uac("uac_cancel.xml"), 0);
  ASSERT_TRUE(handler_.wait_for("closed:487"));
  EXPECT_EQ(handler_.events(), Events({"invite", "closed:487"}));
  EXPECT_EQ(agent_->stats().active_calls, 0u);
}

TEST_F(SipAgentTest, AnswerFromPostedTaskEstablishesTheCall) {
  handler_.invite_action = [this](const InviteInfo& invite) {
    agent_->post([this, call = invite.call] { agent_->answer(call, kAnswerSdp); });
  };
  EXPECT_EQ(run_uac("uac_call_bye.xml"), 0);
  ASSERT_TRUE(handler_.wait_for("closed:200"));
  EXPECT_EQ(handler_.events(), Events({"invite", "established", "closed:200"}));
}

TEST_F(SipAgentTest, UpdateToHoldIsAnsweredWithHandlersSdp) {
  EXPECT_EQ(run_uac("uac_update_hold.xml"), 0);
  ASSERT_TRUE(handler_.wait_for("closed:200"));
  EXPECT_EQ(handler_.events(), Events({"invite", "established", "reoffer", "closed:200"}));
}

TEST_F(SipAgentTest, UnknownMethodGets405) {
  EXPECT_EQ(run_uac("uac_unknown_method.xml"), 0);
  EXPECT_TRUE(handler_.events().empty());
  EXPECT_EQ(agent_->stats().bad_requests, 1u);
}

TEST_F(SipAgentTest, OfferlessInviteGets488WithoutReachingTheHandler) {
  EXPECT_EQ(run_uac("uac_offerless.xml"), 0);
  EXPECT_TRUE(handler_.events().empty());
  EXPECT_EQ(agent_->stats().bad_requests, 1u);
}

}  // namespace
}  // namespace tutti::sip::testing
