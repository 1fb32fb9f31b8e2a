// The spoken-word-free prompts of the PIN IVR and the keypad menu: short tone patterns written
// as WAV files at startup (a PBX replaces them with recorded voice by pointing `prompts.dir`
// elsewhere in a later version). Control plane: writes files.
#pragma once

#include <string>

#include "tutti/status.h"

namespace tutti::server {

struct Prompt {
  std::string path;
  int duration_ms = 0;
};

struct Prompts {
  Prompt enter_pin;  // two rising beeps: "enter the PIN, then #"
  Prompt bad_pin;    // two low beeps: "wrong PIN"
  Prompt goodbye;    // three falling beeps, before the server hangs up
  Prompt refused;    // fast busy: the room is full or locked
  Prompt on;         // one high beep: a toggle switched on (muted, locked, recording)
  Prompt off;        // one low beep: switched off
  Prompt denied;     // a buzz: not allowed (a moderator key pressed by a participant)
};

// Writes the prompts into `dir` (created when missing) at `rate_hz`.
Result<Prompts> write_prompts(const std::string& dir, int rate_hz);

}  // namespace tutti::server
