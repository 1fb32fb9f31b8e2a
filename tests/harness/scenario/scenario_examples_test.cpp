// Every example scenario in examples/scenarios/ and every complete scenario in
// docs/scenario-format.md parses, so the documentation cannot drift from the parser.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tutti/scenario/scenario.h"

namespace tutti::scenario {
namespace {

const std::filesystem::path kExamples = TUTTI_SCENARIO_EXAMPLES_DIR;
const std::filesystem::path kDoc = TUTTI_SCENARIO_DOC;

TEST(ScenarioExamples, EveryExampleFileParses) {
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kExamples)) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    Result<Scenario> s = load_scenario(entry.path().string());
    EXPECT_TRUE(s.is_ok()) << s.status().message();
    if (s.is_ok()) {
      EXPECT_FALSE(s->expect.empty()) << entry.path() << " checks nothing";
    }
  }
  EXPECT_GE(count, 12);
}

TEST(ScenarioExamples, BehavioursOfTheSipHarnessHaveAnExample) {
  for (const char* name :
       {"pin", "wrong_pin", "music_when_alone", "mix_minus_3", "mix_minus_10", "hold", "transfer",
        "invite", "moderator", "listen_only", "recording", "main"}) {
    EXPECT_TRUE(std::filesystem::exists(kExamples / (std::string(name) + ".yaml"))) << name;
  }
}

TEST(ScenarioExamples, MainRunsThreeCallersWithAModeratorMuteAndKick) {
  Result<Scenario> s = load_scenario((kExamples / "main.yaml").string());
  ASSERT_TRUE(s.is_ok()) << s.status().message();
  const config::ServeConfig& server = std::get<EmbeddedServer>(s->server).config;
  ASSERT_FALSE(server.rooms.empty());
  EXPECT_TRUE(server.rooms[0].pin.has_value());
  int calls = 0;
  bool mute = false;
  bool kick = false;
  for (const Step& step : s->timeline) {
    calls += std::holds_alternative<Call>(step.action) ? 1 : 0;
    if (const auto* m = std::get_if<Moderator>(&step.action)) {
      mute = mute || m->verb == ModeratorVerb::kMute;
      kick = kick || m->verb == ModeratorVerb::kKick;
    }
  }
  EXPECT_GE(calls, 3);
  EXPECT_TRUE(mute && kick);
}

// The ```yaml blocks of the format page that hold a whole scenario (they have `participants:`).
TEST(ScenarioExamples, CompleteExamplesInTheFormatPageParse) {
  std::ifstream in(kDoc);
  ASSERT_TRUE(in) << kDoc;
  std::string line;
  std::string block;
  bool inside = false;
  int line_no = 0;
  int block_line = 0;
  int checked = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!inside && line == "```yaml") {
      inside = true;
      block.clear();
      block_line = line_no;
    } else if (inside && line == "```") {
      inside = false;
      if (block.find("\nparticipants:") == std::string::npos) continue;
      ++checked;
      // Relative paths in the page's examples are those of examples/scenarios/.
      const std::string source = (kExamples / "doc.yaml").string();
      Result<Scenario> s = parse_scenario(block, source);
      EXPECT_TRUE(s.is_ok()) << "block at line " << block_line << ":\n" << s.status().message();
    } else if (inside) {
      block += line;
      block += '\n';
    }
  }
  EXPECT_GE(checked, 2);
}

}  // namespace
}  // namespace tutti::scenario
