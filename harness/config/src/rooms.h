// The `rooms:` list of the configuration file (see docs/config.md).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "tutti/config/serve_config.h"
#include "yaml_reader.h"

namespace tutti::config::detail {

// Reads every entry, then checks what spans entries: unique names and numbers, and a
// recording directory for rooms that record (`recording_dir_set`).
void read_rooms(const Field& field, const std::filesystem::path& base, bool recording_dir_set,
                Diagnostics& diag, std::vector<RoomEntry>& out);

// The sections `engine`, `recording` and `rooms` of `section` (a MapReader that allowed them),
// with the same rules as the serve file; for files that embed a server (the scenario's
// `server:`). Without `recording_dir_required`, rooms may record with no recording.dir.
void read_server_sections(const MapReader& section, const std::filesystem::path& base,
                          bool recording_dir_required, Diagnostics& diag, ServeConfig& config);

// `path` as written when absolute or when there is no base; else base / path.
std::string resolve_path(const std::filesystem::path& base, const std::string& path);

}  // namespace tutti::config::detail
