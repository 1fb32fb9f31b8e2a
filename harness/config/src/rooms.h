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

// `path` as written when absolute or when there is no base; else base / path.
std::string resolve_path(const std::filesystem::path& base, const std::string& path);

}  // namespace tutti::config::detail
