#include "tutti/codecs/status.h"

namespace tutti::codecs {

const char* to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kInvalidArgument:
      return "invalid argument";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kIoError:
      return "I/O error";
    case ErrorCode::kCorruptData:
      return "corrupt data";
    case ErrorCode::kLibraryError:
      return "library error";
  }
  return "unknown error";
}

}  // namespace tutti::codecs
