// What a run collects for the expectations: the phones, the event log, roster snapshots and
// recordings. Filled by runner.cpp, read by expectations.cpp once the run is over.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api_client.h"
#include "phones.h"
#include "tutti/run/run.h"

namespace tutti::run {

struct RunContext {
  const scenario::Scenario* scenario = nullptr;
  Phones* phones = nullptr;
  std::vector<SeenEvent> events;
  bool have_api = false;
  double end_s = 0;  // when the runner began hanging up what was left (the end of the run)
  std::map<std::size_t, nlohmann::json> rosters;  // expectation index -> the room's JSON
};

// Checks every expectation of the scenario against what the run collected.
std::vector<ExpectationResult> check_expectations(const RunContext& context);

}  // namespace tutti::run
