// The replay's report: per call, the captured streams next to what the replayed phone got.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "tutti/replay/replay.h"

namespace tutti::replay {
namespace {

const run::PhoneSummary* phone_of(const run::RunReport& run, const std::string& name) {
  for (const run::PhoneSummary& p : run.phones) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

nlohmann::json stream_json(const capture::StreamSummary& s) {
  return {{"packets", s.packets},   {"lost", s.lost},     {"jitter_ms", s.jitter_ms},
          {"rtcp", s.rtcp_packets}, {"digits", s.digits}, {"source", s.source.to_string()}};
}

std::string level(double dbfs) {
  return dbfs <= -199 ? std::string("silence") : fmt::format("{:.1f} dBFS", dbfs);
}

}  // namespace

void write_text_report(const capture::Capture& capture, const ReplayReport& report,
                       std::ostream& out) {
  const ReplayPlan& plan = report.plan;
  out << fmt::format("replay {}: {} {} packets, {} calls, {} replayed ({} skipped), {:.1f} s\n",
                     plan.scenario.source, capture.format, capture.packets_read,
                     capture.calls.size(), plan.calls.size(), plan.skipped.size(),
                     report.run.duration_s);
  for (const std::string& s : plan.skipped) out << "  SKIPPED  " << s << "\n";
  for (std::size_t i = 0; i < plan.calls.size(); ++i) {
    const ReplayedCall& c = plan.calls[i];
    out << fmt::format("  {} (pass {}): {} -> {} {}, {:.2f}-{:.2f} s\n", c.participant, c.pass,
                       c.from, c.number, c.codec, c.call_at_s, c.hangup_at_s);
    out << fmt::format(
        "    captured  sent {} packets, {} lost, jitter {:.1f} ms, digits \"{}\"; received {} "
        "packets, {} lost, jitter {:.1f} ms\n",
        c.sent.packets, c.sent.lost, c.sent.jitter_ms, c.digits, c.received.packets,
        c.received.lost, c.received.jitter_ms);
    if (const run::PhoneSummary* p = phone_of(report.run, c.participant)) {
      out << fmt::format(
          "    replayed  sent {} packets ({} decoded from the capture); received {} packets, {} "
          "lost, jitter {:.1f} ms, digits \"{}\", final status {}\n",
          p->packets_out, c.audio_packets, p->packets_in, p->lost, p->jitter_ms,
          p->digits_received, p->final_status);
    }
    const double heard = i < report.heard_rms_dbfs.size() ? report.heard_rms_dbfs[i] : -200;
    out << fmt::format("    mixed     heard {} over its call{}\n", level(heard),
                       report.heard_dir.empty()
                           ? std::string()
                           : fmt::format(" ({}/{}.wav)", report.heard_dir, c.participant));
  }
  for (const std::string& problem : report.run.problems) out << "  PROBLEM  " << problem << "\n";
}

std::string json_report(const capture::Capture& capture, const ReplayReport& report) {
  nlohmann::json calls = nlohmann::json::array();
  for (std::size_t i = 0; i < report.plan.calls.size(); ++i) {
    const ReplayedCall& c = report.plan.calls[i];
    nlohmann::json call = {
        {"participant", c.participant},
        {"pass", c.pass},
        {"call_id", c.call_id},
        {"from", c.from},
        {"captured_number", c.captured_number},
        {"number", c.number},
        {"codec", c.codec},
        {"at_s", {{"call", c.call_at_s}, {"send", c.send_at_s}, {"hangup", c.hangup_at_s}}},
        {"captured", {{"sent", stream_json(c.sent)}, {"received", stream_json(c.received)},
                      {"digits", c.digits}}},
        {"heard_rms_dbfs", i < report.heard_rms_dbfs.size() ? report.heard_rms_dbfs[i] : -200.0},
    };
    if (const run::PhoneSummary* p = phone_of(report.run, c.participant)) {
      call["replayed"] = {{"packets_out", p->packets_out},
                          {"packets_in", p->packets_in},
                          {"lost", p->lost},
                          {"jitter_ms", p->jitter_ms},
                          {"digits_received", p->digits_received},
                          {"final_status", p->final_status}};
    }
    calls.push_back(std::move(call));
  }
  nlohmann::json warnings = capture.warnings.messages;
  nlohmann::json out = {{"capture", report.plan.scenario.source},
                        {"format", capture.format},
                        {"packets_read", capture.packets_read},
                        {"duration_s", report.run.duration_s},
                        {"calls", calls},
                        {"skipped", report.plan.skipped},
                        {"warnings", warnings},
                        {"problems", report.run.problems}};
  return out.dump(2);
}

}  // namespace tutti::replay
