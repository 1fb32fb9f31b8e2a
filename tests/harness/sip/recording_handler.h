// A Handler for the SIP tests: records every callback as a short event string ("invite",
// "established", "closed:200", "dtmf:5:160") and answers as the test configures it.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "tutti/sip/agent.h"

namespace tutti::sip::testing {

inline constexpr const char* kAnswerSdp =
    "v=0\r\no=tutti 1 1 IN IP4 127.0.0.1\r\ns=tutti\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendrecv\r\n";
inline constexpr const char* kHoldOfferSdp =
    "v=0\r\no=tutti 1 2 IN IP4 127.0.0.1\r\ns=tutti\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=sendonly\r\n";
inline constexpr const char* kHoldAnswerSdp =
    "v=0\r\no=tutti 1 2 IN IP4 127.0.0.1\r\ns=tutti\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
    "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=recvonly\r\n";

class RecordingHandler : public Handler {
 public:
  Agent* agent = nullptr;  // set once the agent exists; used from the SIP thread only
  // What to do with a new INVITE (default: answer with kAnswerSdp at once).
  std::function<void(const InviteInfo&)> invite_action;
  std::function<void(CallId)> established_action;
  int refer_status = 202;

  void on_invite(const InviteInfo& invite) override {
    record("invite");
    {
      std::lock_guard lock(mutex_);
      last_invite_ = invite;
    }
    if (invite_action) {
      invite_action(invite);
    } else {
      agent->answer(invite.call, kAnswerSdp);
    }
  }
  void on_established(CallId call) override {
    record("established");
    if (established_action) established_action(call);
  }
  Result<std::string> on_reoffer(CallId, const std::string& sdp) override {
    record("reoffer");
    if (sdp.find("a=sendonly") == std::string::npos) {
      return Status(StatusCode::kInvalidArgument, "only hold is expected here");
    }
    return std::string(kHoldAnswerSdp);
  }
  void on_info_dtmf(CallId, char digit, int duration_ms) override {
    record("dtmf:" + std::string(1, digit) + ":" + std::to_string(duration_ms));
  }
  int on_refer(CallId call, const std::string& refer_to_uri) override {
    record("refer:" + refer_to_uri);
    if (refer_status == 202) {
      Agent* target = agent;
      agent->post([target, call] { target->refer_done(call, 200); });
    }
    return refer_status;
  }
  void on_answered(CallId, const std::string& sdp_answer) override {
    record(sdp_answer.find("m=audio") != std::string::npos ? "answered" : "answered:no-sdp");
  }
  void on_ringing(CallId) override { record("ringing"); }
  // "reanswered:recvonly", "reanswered:sendrecv", or "reanswered:failed" for an empty SDP.
  void on_reanswered(CallId, const std::string& sdp_answer) override {
    if (sdp_answer.empty()) return record("reanswered:failed");
    const bool recvonly = sdp_answer.find("a=recvonly") != std::string::npos;
    record(recvonly ? "reanswered:recvonly" : "reanswered:sendrecv");
  }
  void on_refer_status(CallId, int status) override {
    record("refer_status:" + std::to_string(status));
  }
  void on_closed(CallId, int status, const std::string&) override {
    record("closed:" + std::to_string(status));
  }

  // Waits until `event` has been recorded; false after `timeout`.
  bool wait_for(const std::string& event,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return contains(event); });
  }
  std::vector<std::string> events() {
    std::lock_guard lock(mutex_);
    return events_;
  }
  InviteInfo last_invite() {
    std::lock_guard lock(mutex_);
    return last_invite_;
  }

 private:
  void record(std::string event) {
    {
      std::lock_guard lock(mutex_);
      events_.push_back(std::move(event));
    }
    changed_.notify_all();
  }
  bool contains(const std::string& event) const {
    for (const auto& seen : events_) {
      if (seen == event) return true;
    }
    return false;
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> events_;
  InviteInfo last_invite_;
};

}  // namespace tutti::sip::testing
