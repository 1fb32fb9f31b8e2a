// The report of a run: readable text, JSON and JUnit XML.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "tutti/run/run.h"

namespace tutti::run {
namespace {

std::string xml_escape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

void write_text_report(const RunReport& report, std::ostream& out) {
  out << fmt::format("scenario {} ({}), {:.1f} s\n", report.scenario, report.source,
                     report.duration_s);
  for (const ExpectationResult& r : report.results) {
    out << fmt::format("  {}  line {:>3}  {}\n        {}\n", r.passed ? "PASS" : "FAIL",
                       r.where.line, r.what, r.measured);
  }
  for (const std::string& problem : report.problems) out << "  PROBLEM  " << problem << "\n";
  // A scale run has hundreds of phones: the table gives way to their totals.
  uint64_t in = 0, out_packets = 0;
  int64_t lost = 0;
  double worst_jitter = 0;
  for (const PhoneSummary& p : report.phones) {
    in += p.packets_in;
    out_packets += p.packets_out;
    lost += p.lost;
    worst_jitter = std::max(worst_jitter, p.jitter_ms);
  }
  out << fmt::format(
      "  {} phones: {} packets in, {} out, {} lost ({:.3f} %), worst jitter {:.1f} ms\n",
      report.phones.size(), in, out_packets, lost,
      in + static_cast<uint64_t>(std::max<int64_t>(lost, 0)) == 0
          ? 0.0
          : 100.0 * static_cast<double>(lost) /
                static_cast<double>(in + static_cast<uint64_t>(std::max<int64_t>(lost, 0))),
      worst_jitter);
  if (report.phones.size() <= 20)
    out << "  phone       in pkts  out pkts  lost  jitter ms  digits heard  status\n";
  for (const PhoneSummary& p : report.phones) {
    if (report.phones.size() > 20) break;
    out << fmt::format("  {:<10} {:>8} {:>9} {:>5} {:>10.1f}  {:<12}  {}\n", p.name, p.packets_in,
                       p.packets_out, p.lost, p.jitter_ms,
                       p.digits_received.empty() ? "-" : p.digits_received, p.final_status);
  }
  std::size_t passed = 0;  // expectations
  for (const ExpectationResult& r : report.results) passed += r.passed ? 1 : 0;
  out << fmt::format(
      "{}: {} of {} expectations passed, {} problems; CPU {:.2f} s (this process: server and "
      "phones)\n",
      report.passed ? "PASSED" : "FAILED", passed, report.results.size(), report.problems.size(),
      report.server_cpu_s);
}

std::string json_report(const RunReport& report) {
  nlohmann::json j;
  j["scenario"] = report.scenario;
  j["source"] = report.source;
  j["passed"] = report.passed;
  j["duration_s"] = report.duration_s;
  j["cpu_s"] = report.server_cpu_s;
  j["expectations"] = nlohmann::json::array();
  for (const ExpectationResult& r : report.results) {
    j["expectations"].push_back(
        {{"what", r.what}, {"passed", r.passed}, {"measured", r.measured}, {"line", r.where.line}});
  }
  j["problems"] = report.problems;
  j["phones"] = nlohmann::json::array();
  for (const PhoneSummary& p : report.phones) {
    j["phones"].push_back({{"name", p.name},
                           {"packets_in", p.packets_in},
                           {"packets_out", p.packets_out},
                           {"lost", p.lost},
                           {"jitter_ms", p.jitter_ms},
                           {"digits_received", p.digits_received},
                           {"final_status", p.final_status}});
  }
  return j.dump(2);
}

std::string junit_report(const RunReport& report) {
  std::size_t failures = 0;
  for (const ExpectationResult& r : report.results) failures += r.passed ? 0 : 1;
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += fmt::format(
      "<testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.1f}\">\n",
      xml_escape(report.scenario), report.results.size() + report.problems.size(), failures,
      report.problems.size(), report.duration_s);
  for (const ExpectationResult& r : report.results) {
    xml += fmt::format("  <testcase classname=\"{}\" name=\"line {}: {}\">",
                       xml_escape(report.scenario), r.where.line, xml_escape(r.what));
    if (!r.passed) xml += fmt::format("<failure message=\"{}\"/>", xml_escape(r.measured));
    xml += "</testcase>\n";
  }
  for (const std::string& problem : report.problems) {
    xml += fmt::format(
        "  <testcase classname=\"{}\" name=\"action\"><error message=\"{}\"/></testcase>\n",
        xml_escape(report.scenario), xml_escape(problem));
  }
  xml += "</testsuite>\n";
  return xml;
}

}  // namespace tutti::run
