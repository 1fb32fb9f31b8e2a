// Plays a plan through the runner of `tutti run` and measures what each replayed caller heard.
#include <filesystem>

#include "tutti/codecs/audio_file.h"
#include "tutti/replay/replay.h"
#include "tutti/runner/listen.h"

namespace tutti::replay {
namespace {

constexpr int kMeasureRateHz = 16000;

// RMS of DIR/NAME.wav between from_s and to_s (scenario time); -200 when unreadable or empty.
double heard_rms(const std::string& path, double from_s, double to_s) {
  auto pcm = codecs::import_audio_file_int16(path, kMeasureRateHz);
  if (!pcm) return -200;
  const std::vector<int16_t>& samples = pcm.value();
  const auto clamp = [&](double s) {
    return std::min(samples.size(), static_cast<std::size_t>(std::max(0.0, s) * kMeasureRateHz));
  };
  const std::size_t from = clamp(from_s), to = clamp(to_s);
  if (to <= from) return -200;
  return runner::rms_dbfs(std::span<const int16_t>(samples.data() + from, to - from));
}

}  // namespace

Result<ReplayReport> run_replay(ReplayPlan plan, run::RunOptions options) {
  if (options.out_dir.empty()) {
    if (plan.calls.empty()) return Status{StatusCode::kInvalidArgument, "nothing to replay"};
    const std::filesystem::path audio = plan.calls.front().audio_path;
    options.out_dir = (audio.parent_path() / "heard").string();
  }
  Result<run::RunReport> run = run::run_scenario(plan.scenario, options);
  if (!run) return run.status();
  ReplayReport report;
  report.heard_dir = options.out_dir;
  for (const ReplayedCall& call : plan.calls) {
    const std::string heard =
        (std::filesystem::path(options.out_dir) / (call.participant + ".wav")).string();
    report.heard_rms_dbfs.push_back(heard_rms(heard, call.send_at_s, call.hangup_at_s));
  }
  report.plan = std::move(plan);
  report.run = std::move(run.value());
  return report;
}

}  // namespace tutti::replay
