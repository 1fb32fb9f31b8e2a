#include "phones.h"

#include <random>

namespace tutti::run {
namespace {

runner::AudioSourceSpec source_spec(const scenario::Audio& audio, uint64_t seed,
                                    const std::map<std::string, std::string>& copies) {
  if (const auto* tone = std::get_if<scenario::Tone>(&audio.source)) {
    return runner::AudioSourceSpec::tone(tone->frequency_hz, audio.level_dbfs);
  }
  if (const auto* wav = std::get_if<scenario::WavFile>(&audio.source)) {
    auto it = copies.find(wav->path);
    return runner::AudioSourceSpec::file(it == copies.end() ? wav->path : it->second);
  }
  if (std::holds_alternative<scenario::Noise>(audio.source)) {
    return runner::AudioSourceSpec::noise(audio.level_dbfs, static_cast<uint32_t>(seed));
  }
  return runner::AudioSourceSpec::silence();
}

}  // namespace

Phones::Phones(const scenario::Scenario& scenario, std::function<double()> now)
    : scenario_(scenario), now_(std::move(now)) {}

Status Phones::create_media(runner::PhoneMediaPool& pool,
                            const std::map<std::string, std::string>& copies) {
  uint64_t seed = scenario_.seed;
  for (const scenario::Participant& participant : scenario_.participants) {
    Result<std::shared_ptr<runner::PhoneMedia>> media = pool.add_phone(participant.name);
    if (!media) return media.status();
    Status source = media.value()->set_source(source_spec(participant.audio, seed++, copies));
    if (!source) return source;
    Phone phone;
    phone.participant = &participant;
    phone.media = media.value();
    std::lock_guard lock(mutex_);
    phones_.emplace(participant.name, std::move(phone));
  }
  return Status::ok();
}

void Phones::attach(sip::Agent* agent, std::string target_host_port) {
  agent_ = agent;
  target_ = std::move(target_host_port);
}

Phones::Phone* Phones::by_call(sip::CallId call) {
  for (auto& [name, phone] : phones_) {
    if (phone.record.call && *phone.record.call == call) return &phone;
  }
  return nullptr;
}

Phones::Phone* Phones::by_name(const std::string& who) {
  auto it = phones_.find(who);
  return it == phones_.end() ? nullptr : &it->second;
}

void Phones::problem(std::string text) {
  std::lock_guard lock(mutex_);
  problems_.push_back(std::move(text));
}

std::vector<std::string> Phones::problems() const {
  std::lock_guard lock(mutex_);
  return problems_;
}

CallRecord Phones::record(const std::string& who) const {
  std::lock_guard lock(mutex_);
  auto it = phones_.find(who);
  return it == phones_.end() ? CallRecord{} : it->second.record;
}

std::shared_ptr<runner::PhoneMedia> Phones::media(const std::string& who) const {
  std::lock_guard lock(mutex_);
  auto it = phones_.find(who);
  return it == phones_.end() ? nullptr : it->second.media;
}

sdp::LocalMedia Phones::local_media(Phone& phone, sdp::Direction direction) {
  sdp::LocalMedia local;
  local.address = phone.media->local_address();
  local.port = phone.media->rtp_port();
  local.codecs = {std::string(scenario::codec_name(phone.participant->codec))};
  local.ptime_ms = phone.participant->ptime_ms;
  local.audio_level = false;
  local.direction = direction;
  local.session_id = std::hash<std::string>{}(phone.participant->name) & 0xffffff;
  local.session_version = ++phone.sdp_version;
  return local;
}

Status Phones::apply_answer(Phone& phone, const std::string& sdp_answer, bool reinvite) {
  Result<sdp::SessionDescription> parsed = sdp::parse(sdp_answer);
  if (!parsed) return parsed.status();
  sdp::LocalMedia local = local_media(phone, phone.record.direction);
  --phone.sdp_version;  // reading the answer is not a new version of our offer
  Result<sdp::Negotiated> negotiated = sdp::accept_answer(local, parsed.value());
  if (!negotiated) return negotiated.status();
  runner::MediaFormat format;
  format.codec = negotiated->codec.name;
  format.payload_type = negotiated->codec.payload_type;
  format.clock_rate_hz = negotiated->codec.clock_rate;
  format.telephone_event_pt = negotiated->telephone_event_pt;
  if (!reinvite) {
    if (Status configured = phone.media->configure(format); !configured) return configured;
  }
  if (negotiated->remote_port != 0 && negotiated->remote_address != "0.0.0.0") {
    if (Status remote =
            phone.media->set_remote(negotiated->remote_address, negotiated->remote_port);
        !remote) {
      return remote;
    }
  }
  return Status::ok();
}

void Phones::call(const std::string& who, const std::string& number) {
  agent_->post([this, who, number] {
    std::unique_lock lock(mutex_);
    Phone* phone = by_name(who);
    if (phone == nullptr) return;
    if (phone->record.phase == CallPhase::kCalling || phone->record.phase == CallPhase::kUp) {
      lock.unlock();
      problem(who + ": call " + number + " while already in a call");
      return;
    }
    const std::string offer = sdp::make_offer(local_media(*phone, sdp::Direction::kSendRecv));
    lock.unlock();  // the agent may call back into this handler
    Result<sip::CallId> placed = agent_->invite("sip:" + number + "@" + target_, who, offer);
    if (!placed) {
      problem(who + ": cannot call " + number + ": " + placed.status().message());
      return;
    }
    lock.lock();
    phone->record = CallRecord{};
    phone->record.phase = CallPhase::kCalling;
    phone->record.call = placed.value();
  });
}

void Phones::hangup(const std::string& who) {
  agent_->post([this, who] {
    std::unique_lock lock(mutex_);
    Phone* phone = by_name(who);
    if (phone == nullptr || !phone->record.call || phone->record.phase == CallPhase::kEnded) return;
    phone->record.ended_by_self = true;
    phone->media->stop_sending();
    const sip::CallId call = *phone->record.call;
    lock.unlock();
    agent_->hangup(call);
  });
}

void Phones::hang_up_all() {
  for (const scenario::Participant& participant : scenario_.participants) {
    hangup(participant.name);
  }
}

void Phones::hold(const std::string& who, sdp::Direction direction) {
  const bool on_hold = direction != sdp::Direction::kSendRecv;
  agent_->post([this, who, on_hold, direction] {
    std::unique_lock lock(mutex_);
    Phone* phone = by_name(who);
    if (phone == nullptr || phone->record.phase != CallPhase::kUp) {
      lock.unlock();
      problem(who + ": " + (on_hold ? "hold" : "resume") + " without a call that is up");
      return;
    }
    phone->record.on_hold = on_hold;
    phone->record.direction = direction;
    phone->media->set_hold(!sdp::sends(direction));
    const sip::CallId call = *phone->record.call;
    const std::string offer = sdp::make_offer(local_media(*phone, direction));
    lock.unlock();
    agent_->reoffer(call, offer);
  });
}

void Phones::transfer(const std::string& who, const std::string& number) {
  agent_->post([this, who, number] {
    std::unique_lock lock(mutex_);
    Phone* phone = by_name(who);
    if (phone == nullptr || phone->record.phase != CallPhase::kUp) {
      lock.unlock();
      problem(who + ": transfer without a call that is up");
      return;
    }
    const sip::CallId call = *phone->record.call;
    lock.unlock();
    agent_->refer(call, "sip:" + number + "@" + target_);
  });
}

void Phones::info_digits(const std::string& who, const std::string& digits) {
  agent_->post([this, who, digits] {
    std::unique_lock lock(mutex_);
    Phone* phone = by_name(who);
    if (phone == nullptr || phone->record.phase != CallPhase::kUp) {
      lock.unlock();
      problem(who + ": INFO digits without a call that is up");
      return;
    }
    const sip::CallId call = *phone->record.call;
    lock.unlock();
    for (char digit : digits) agent_->send_info_dtmf(call, digit, 100);
  });
}

void Phones::on_invite(const sip::InviteInfo& invite) {
  std::unique_lock lock(mutex_);
  Phone* phone = by_name(invite.request_user);
  if (phone == nullptr || !phone->participant->answer || phone->record.phase == CallPhase::kUp ||
      phone->record.phase == CallPhase::kCalling) {
    lock.unlock();
    agent_->reject(invite.call, 404, "Not Found");
    return;
  }
  Result<sdp::SessionDescription> offer = sdp::parse(invite.sdp);
  Result<sdp::Negotiated> answer =
      offer ? sdp::answer(offer.value(), local_media(*phone, sdp::Direction::kSendRecv))
            : Result<sdp::Negotiated>(offer.status());
  bool ok = answer.is_ok();
  if (ok) {
    runner::MediaFormat format;
    format.codec = answer->codec.name;
    format.payload_type = answer->codec.payload_type;
    format.clock_rate_hz = answer->codec.clock_rate;
    format.telephone_event_pt = answer->telephone_event_pt;
    ok = phone->media->configure(format).is_ok() &&
         phone->media->set_remote(answer->remote_address, answer->remote_port).is_ok();
  }
  if (ok) {
    phone->record = CallRecord{};
    phone->record.phase = CallPhase::kUp;
    phone->record.call = invite.call;
    phone->record.answered_at = now_();
    if (phone->participant->send_on_answer) phone->media->start_sending();
  }
  lock.unlock();
  if (ok) {
    agent_->progress(invite.call, 180, "");  // rings, as a phone does, then answers
    agent_->answer(invite.call, answer->sdp);
  } else {
    agent_->reject(invite.call, 488, "Not Acceptable Here");
  }
}

void Phones::on_established(sip::CallId) {}

Result<std::string> Phones::on_reoffer(sip::CallId call, const std::string& sdp_offer) {
  std::lock_guard lock(mutex_);
  Phone* phone = by_call(call);
  if (phone == nullptr) return Status{StatusCode::kNotFound, "no such call"};
  Result<sdp::SessionDescription> offer = sdp::parse(sdp_offer);
  if (!offer) return offer.status();
  Result<sdp::Negotiated> answer =
      sdp::answer(offer.value(), local_media(*phone, sdp::Direction::kSendRecv));
  if (!answer) return answer.status();
  return answer->sdp;
}

void Phones::on_answered(sip::CallId call, const std::string& sdp_answer) {
  std::unique_lock lock(mutex_);
  Phone* phone = by_call(call);
  if (phone == nullptr) return;
  phone->record.phase = CallPhase::kUp;
  phone->record.answered_at = now_();
  Status applied = apply_answer(*phone, sdp_answer, false);
  const std::string name = phone->participant->name;
  if (applied && phone->participant->send_on_answer) phone->media->start_sending();
  lock.unlock();
  if (!applied) problem(name + ": the answer's SDP: " + applied.message());
}

void Phones::on_reanswered(sip::CallId call, const std::string& sdp_answer) {
  std::unique_lock lock(mutex_);
  Phone* phone = by_call(call);
  if (phone == nullptr) return;
  Status applied = apply_answer(*phone, sdp_answer, true);
  const std::string name = phone->participant->name;
  lock.unlock();
  if (!applied) problem(name + ": the re-INVITE answer's SDP: " + applied.message());
}

void Phones::on_refer_status(sip::CallId call, int status) {
  std::lock_guard lock(mutex_);
  if (Phone* phone = by_call(call)) phone->record.refer_status = status;
}

void Phones::on_closed(sip::CallId call, int status, const std::string&) {
  std::lock_guard lock(mutex_);
  Phone* phone = by_call(call);
  if (phone == nullptr) return;
  phone->media->stop_sending();
  phone->record.phase = CallPhase::kEnded;
  phone->record.final_status = status;
  phone->record.ended_at = now_();
}

}  // namespace tutti::run
