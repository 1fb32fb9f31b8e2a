// The fixture of the SIP agent tests: an Agent on a free loopback port with a
// RecordingHandler, and SIPp runs bounded by -m 1, global and receive timeouts and a kill.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "recording_handler.h"
#include "sipp_process.h"
#include "tutti/sip/agent.h"

namespace tutti::sip::testing {

class SipAgentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sipp_ = find_sipp();
    if (sipp_.empty()) GTEST_SKIP() << "sipp is not on PATH (Debian package sip-tester)";
    agent_port_ = free_port();
    sipp_port_ = free_port();
    ASSERT_NE(agent_port_, 0);
    ASSERT_NE(sipp_port_, 0);
    AgentConfig config;
    config.listen_port = agent_port_;
    auto agent = Agent::create(config, handler_);
    ASSERT_TRUE(agent.is_ok()) << agent.status().to_string();
    agent_ = std::move(agent.value());
    handler_.agent = agent_.get();
  }

  void TearDown() override {
    if (agent_) agent_->stop();
  }

  static std::string scenario(const std::string& name) {
    return std::string(TUTTI_SIP_SCENARIOS_DIR) + "/" + name;
  }

  std::string log_base() const {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    return ::testing::TempDir() + "sipp_" + info->name();
  }

  // The SIPp arguments every run shares: loopback, one call, nothing may wait forever.
  std::vector<std::string> common_args(const std::string& scenario_file) const {
    return {"-sf",
            scenario(scenario_file),
            "-i",
            "127.0.0.1",
            "-p",
            std::to_string(sipp_port_),
            "-m",
            "1",
            "-nostdin",
            "-timeout",
            "10s",
            "-timeout_error",
            "-recv_timeout",
            "5000",
            "-trace_msg",
            "-message_file",
            log_base() + "_messages.log",
            "-trace_err",
            "-error_file",
            log_base() + "_errors.log"};
  }

  // Starts SIPp as a client of the agent (-s 1000 dials "1000").
  bool start_uac(SippProcess& sipp, const std::string& scenario_file) {
    std::vector<std::string> args = {"127.0.0.1:" + std::to_string(agent_port_), "-s", "1000"};
    for (auto& arg : common_args(scenario_file)) args.push_back(std::move(arg));
    return sipp.start(sipp_, args, log_base() + ".log");
  }

  // Starts SIPp as a server waiting for the agent's INVITE.
  bool start_uas(SippProcess& sipp, const std::string& scenario_file) {
    return sipp.start(sipp_, common_args(scenario_file), log_base() + ".log");
  }

  // Runs a UAC scenario to its end; the SIPp exit code (0: the call went as scripted).
  int run_uac(const std::string& scenario_file) {
    SippProcess sipp;
    if (!start_uac(sipp, scenario_file)) return -1;
    const int code = sipp.wait(std::chrono::seconds(15));
    if (code != 0) ADD_FAILURE() << describe(sipp);
    return code;
  }

  std::string describe(const SippProcess& sipp) const {
    return "sipp log (" + sipp.log_path() + "):\n" + sipp.log_tail() + "\nmessages: " + log_base() +
           "_messages.log";
  }

  std::string uri_of_sipp() const { return "sip:bob@127.0.0.1:" + std::to_string(sipp_port_); }

  RecordingHandler handler_;
  std::unique_ptr<Agent> agent_;
  std::string sipp_;
  uint16_t agent_port_ = 0;
  uint16_t sipp_port_ = 0;
};

}  // namespace tutti::sip::testing
