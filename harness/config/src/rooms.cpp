#include "rooms.h"

#include <algorithm>
#include <cctype>

namespace tutti::config::detail {
namespace {

// Where each checked value came from, for the checks across entries.
struct RoomMarks {
  YAML::Mark name, number, record;
};

bool valid_name(const std::string& name) {
  return name.size() <= 64 && std::all_of(name.begin(), name.end(), [](unsigned char c) {
           return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-';
         });
}

// A bare SIP user ("alice") or a sip:/sips: URI; never whitespace.
bool valid_owner(const std::string& owner) {
  const bool clean = std::none_of(owner.begin(), owner.end(), [](unsigned char c) {
    return std::isspace(c) != 0 || std::iscntrl(c) != 0;
  });
  if (!clean) return false;
  if (owner.find(':') == std::string::npos) return owner.find('@') == std::string::npos;
  return (owner.starts_with("sip:") && owner.size() > 4) ||
         (owner.starts_with("sips:") && owner.size() > 5);
}

RecordMode record_mode(const std::string& word) {
  if (word == "auto") return RecordMode::kAuto;
  if (word == "on-demand") return RecordMode::kOnDemand;
  return RecordMode::kOff;
}

void read_pins(const MapReader& map, Diagnostics& diag, RoomEntry& room) {
  std::string digits;
  if (const Field* f = map.find("pin"); f && read_digits(*f, diag, digits)) room.pin = digits;
  const Field* mod = map.find("moderator_pin");
  if (mod && read_digits(*mod, diag, digits)) {
    room.moderator_pin = digits;
    if (room.pin == room.moderator_pin) {
      diag.error(mod->value, mod->path, "must differ from pin");
    }
  }
}

RoomEntry read_room(const YAML::Node& node, const std::string& path,
                    const std::filesystem::path& base, Diagnostics& diag, RoomMarks& marks) {
  RoomEntry room;
  const MapReader map(node, path,
                      {"name", "number", "pin", "moderator_pin", "max_participants", "moh",
                       "record", "owner", "entry_tones", "denoise", "agc"},
                      diag);
  if (!node.IsMap()) return room;
  if (const Field* f = map.require("name"); f && read_string(*f, diag, room.name)) {
    marks.name = f->value.Mark();
    if (!valid_name(room.name)) {
      diag.error(f->value, f->path, "use up to 64 letters, digits, '.', '_' or '-'");
    }
  }
  if (const Field* f = map.require("number"); f && read_digits(*f, diag, room.number)) {
    marks.number = f->value.Mark();
  }
  read_pins(map, diag, room);
  if (const Field* f = map.find("max_participants")) {
    read_int(*f, diag, 1, 10000, room.max_participants);
  }
  if (const Field* f = map.find("moh"); f && read_string(*f, diag, room.moh)) {
    room.moh = resolve_path(base, room.moh);
  }
  std::string word;
  if (const Field* f = map.find("record");
      f && read_choice(*f, diag, {"off", "on-demand", "auto"}, word)) {
    room.record = record_mode(word);
    marks.record = f->value.Mark();
  }
  if (const Field* f = map.find("owner"); f && read_string(*f, diag, room.owner)) {
    if (!valid_owner(room.owner)) {
      diag.error(f->value, f->path, "expected a SIP user (alice) or URI (sip:alice@host)");
    }
  }
  if (const Field* f = map.find("entry_tones")) read_bool(*f, diag, room.entry_tones);
  if (const Field* f = map.find("denoise")) read_bool(*f, diag, room.denoise);
  if (const Field* f = map.find("agc")) read_bool(*f, diag, room.agc);
  return room;
}

// "rooms[2]", or "server.rooms[2]" where the list sits deeper.
std::string room_path(const std::string& list_path, std::size_t index) {
  std::string path = list_path;
  path.append("[").append(std::to_string(index)).append("]");
  return path;
}

// Reports a value already used by an earlier entry at the later one.
void check_unique(const std::string& list_path, const std::vector<RoomEntry>& rooms,
                  const std::vector<RoomMarks>& marks, std::string RoomEntry::*member,
                  YAML::Mark RoomMarks::*mark, const char* key, Diagnostics& diag) {
  for (std::size_t i = 0; i < rooms.size(); ++i) {
    const std::string& value = rooms[i].*member;
    if (value.empty()) continue;
    for (std::size_t j = 0; j < i; ++j) {
      if (rooms[j].*member != value) continue;
      diag.error(marks[i].*mark, room_path(list_path, i) + "." + key,
                 "'" + value + "' is already used by " + room_path(list_path, j) + " (line " +
                     std::to_string((marks[j].*mark).line + 1) + ")");
      break;
    }
  }
}

}  // namespace

std::string resolve_path(const std::filesystem::path& base, const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute() || base.empty()) return path;
  return (base / p).lexically_normal().string();
}

void read_rooms(const Field& field, const std::filesystem::path& base, bool recording_dir_set,
                Diagnostics& diag, std::vector<RoomEntry>& out) {
  if (field.value.IsNull()) return;
  if (!field.value.IsSequence()) {
    diag.error(field.value, field.path, "expected a list of rooms (entries start with '- ')");
    return;
  }
  std::vector<RoomMarks> marks(field.value.size());
  out.reserve(field.value.size());
  for (std::size_t i = 0; i < field.value.size(); ++i) {
    const YAML::Node node = field.value[i];
    out.push_back(read_room(node, room_path(field.path, i), base, diag, marks[i]));
    if (out.back().record != RecordMode::kOff && !recording_dir_set) {
      diag.error(marks[i].record, room_path(field.path, i) + ".record",
                 "needs recording.dir to be set");
    }
  }
  check_unique(field.path, out, marks, &RoomEntry::name, &RoomMarks::name, "name", diag);
  check_unique(field.path, out, marks, &RoomEntry::number, &RoomMarks::number, "number", diag);
}

}  // namespace tutti::config::detail
