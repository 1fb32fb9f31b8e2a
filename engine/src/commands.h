// What the control plane asks of the tick, and what the tick hands back.
// Commands carry raw pointers to objects the control plane built (and keeps alive until they
// come back through the retire queue), so the tick never looks anything up or allocates.
#pragma once

#include <cstdint>

namespace tutti::detail {

class AudioClip;
class EncodeGroup;
class Port;
class Recording;
class Room;

enum class CommandType : uint8_t {
  kAddRoom,
  kEndRoom,
  kAddParticipant,
  kRemoveParticipant,  // value = 1 when kicked
  kSetMuted,           // value = 0/1
  kSetDeaf,            // value = 0/1
  kSetGainIn,          // value = linear gain
  kSetGainOut,         // value = linear gain
  kSetRouteGain,       // port -> other, value = linear gain
  kSetHold,            // value = 0/1
  kPlayToRoom,         // room, clip
  kPlayToParticipant,  // port, clip
  kPlayDtmf,           // port, value = the digit
  kSetRecording,       // room or port, recording, value = 1 start / 0 stop
};

struct Command {
  CommandType type;
  Room* room = nullptr;
  Port* port = nullptr;
  Port* other = nullptr;
  float value = 0.0f;
  EncodeGroup* group = nullptr;  // kSetGainOut of a codec participant: its new listener group
  const AudioClip* clip = nullptr;
  Recording* recording = nullptr;
};

// Tick -> control: objects the tick no longer references; the control plane frees them.
struct Retired {
  Room* room = nullptr;  // set for a whole room (after its ports were retired one by one)
  Port* port = nullptr;
  Recording* recording = nullptr;  // a stopped recording the tick no longer writes
};

}  // namespace tutti::detail
