// Shared pieces of the scenario tests: a valid head to build files on, and helpers that parse
// text and return the model or the error lines.
#pragma once

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tutti/scenario/scenario.h"

namespace tutti::scenario::testing {

// Lines 1..8 of a valid scenario: one room, three tone participants (carol waits for calls).
// Timelines and expectations appended to it start at line 9.
inline const std::string kHead = R"(name: test
server:
  rooms:
    - {name: board, number: "2000", pin: "1234", moh: moh.wav, record: on-demand}
participants:
  - {name: alice, audio: {tone: 500}, send_on_answer: true}
  - {name: bob, audio: {tone: 700}, send_on_answer: true}
  - {name: carol, audio: {tone: 900}, answer: true}
)";

// Both callers in the room from 0 s on.
inline const std::string kCalls = R"(timeline:
  - {at: 0, do: call, who: alice, number: "2000"}
  - {at: 0, do: call, who: bob, number: "2000"}
)";

inline Scenario parse_ok(const std::string& yaml) {
  Result<Scenario> result = parse_scenario(yaml, "test.yaml");
  EXPECT_TRUE(result.is_ok()) << result.status().message() << "\n---\n" << yaml;
  if (!result.is_ok()) return {};
  return std::move(result.value());
}

// The error lines of a rejected file (the test fails if the file was accepted).
inline std::vector<std::string> errors_of(const std::string& yaml) {
  Result<Scenario> result = parse_scenario(yaml, "test.yaml");
  EXPECT_FALSE(result.is_ok()) << "accepted:\n" << yaml;
  if (result.is_ok()) return {};
  EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
  std::vector<std::string> lines;
  std::istringstream in(result.status().message());
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The single error of a rejected file: it starts with `prefix` ("test.yaml:9:5: key") and
// mentions `words`.
inline void expect_one_error(const std::string& yaml, const std::string& prefix,
                             const std::string& words) {
  const std::vector<std::string> errors = errors_of(yaml);
  ASSERT_EQ(errors.size(), 1u) << ::testing::PrintToString(errors);
  EXPECT_EQ(errors[0].substr(0, prefix.size()), prefix) << errors[0];
  EXPECT_NE(errors[0].find(words), std::string::npos) << errors[0];
}

}  // namespace tutti::scenario::testing
