// The virtual participants of a run on the SIP side: one SIP agent for all of them (each call
// carries the participant's name as display name and user), the SDP of each call, and the
// record of how each call went. The agent's callbacks run on its SIP thread; the runner thread
// asks for actions through post() and reads records under the mutex.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "tutti/runner/phone_media.h"
#include "tutti/runner/phone_media_pool.h"
#include "tutti/scenario/scenario.h"
#include "tutti/sdp/sdp.h"
#include "tutti/sip/agent.h"

namespace tutti::run {

enum class CallPhase { kIdle, kCalling, kUp, kEnded };

struct CallRecord {
  CallPhase phase = CallPhase::kIdle;
  std::optional<sip::CallId> call;
  int final_status = 0;        // 200 after a BYE; the failure status of a refused INVITE
  bool ended_by_self = false;  // we hung up (BYE/CANCEL) rather than the server
  double answered_at = -1;
  double ended_at = -1;
  int refer_status = 0;  // last sipfrag status of a transfer (0: none yet)
  bool on_hold = false;
  sdp::Direction direction = sdp::Direction::kSendRecv;  // what we offered last
};

class Phones final : public sip::Handler {
 public:
  Phones(const scenario::Scenario& scenario, std::function<double()> now);
  // Control: one PhoneMedia per participant from the pool, with its audio source.
  // `copies`: generated audio files by the path the scenario names (a `wav` source may be one).
  Status create_media(runner::PhoneMediaPool& pool,
                      const std::map<std::string, std::string>& copies);
  void attach(sip::Agent* agent, std::string target_host_port);

  // Runner thread: each posts to the SIP thread and returns at once.
  void call(const std::string& who, const std::string& number);
  void hangup(const std::string& who);
  // A re-INVITE with `direction` (kSendRecv resumes).
  void hold(const std::string& who, sdp::Direction direction);
  void transfer(const std::string& who, const std::string& number);
  void info_digits(const std::string& who, const std::string& digits);
  void hang_up_all();

  CallRecord record(const std::string& who) const;
  std::shared_ptr<runner::PhoneMedia> media(const std::string& who) const;
  std::vector<std::string> problems() const;

  // sip::Handler (SIP thread)
  void on_invite(const sip::InviteInfo& invite) override;
  void on_established(sip::CallId call) override;
  Result<std::string> on_reoffer(sip::CallId call, const std::string& sdp_offer) override;
  void on_info_dtmf(sip::CallId, char, int) override {}
  int on_refer(sip::CallId, const std::string&) override { return 403; }
  void on_answered(sip::CallId call, const std::string& sdp_answer) override;
  void on_reanswered(sip::CallId call, const std::string& sdp_answer) override;
  void on_refer_status(sip::CallId call, int status) override;
  void on_closed(sip::CallId call, int status, const std::string& reason) override;

 private:
  struct Phone {
    const scenario::Participant* participant = nullptr;
    std::shared_ptr<runner::PhoneMedia> media;
    CallRecord record;
    uint64_t sdp_version = 0;
  };
  Phone* by_call(sip::CallId call);
  Phone* by_name(const std::string& who);
  sdp::LocalMedia local_media(Phone& phone, sdp::Direction direction);
  Status apply_answer(Phone& phone, const std::string& sdp_answer, bool reinvite);
  void problem(std::string text);

  const scenario::Scenario& scenario_;
  std::function<double()> now_;
  sip::Agent* agent_ = nullptr;
  std::string target_;
  mutable std::mutex mutex_;  // guards phones_' records and problems_
  std::map<std::string, Phone> phones_;
  std::vector<std::string> problems_;
};

}  // namespace tutti::run
