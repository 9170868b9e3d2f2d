// Version and status-code strings of the C ABI.
#include "flowgen/flowgen.h"

extern "C" {

FLOWGEN_API uint32_t flowgen_abi_version(void) { return FLOWGEN_ABI_VERSION; }

FLOWGEN_API const char* flowgen_version(void) { return FLOWGEN_VERSION_STRING; }

FLOWGEN_API const char* flowgen_status_string(int32_t status) {
  switch (status) {
    case FLOWGEN_OK: return "ok";
    case FLOWGEN_ERR_INVALID_ARGUMENT: return "invalid argument";
    case FLOWGEN_ERR_INVALID_CONFIG: return "invalid config";
    case FLOWGEN_ERR_IO: return "i/o error";
    case FLOWGEN_ERR_STATE: return "invalid state";
    case FLOWGEN_ERR_NO_MEMORY: return "out of memory or resource limit";
    case FLOWGEN_ERR_CHECKPOINT: return "invalid checkpoint";
    case FLOWGEN_ERR_UNSUPPORTED: return "unsupported";
    case FLOWGEN_ERR_BUFFER_TOO_SMALL: return "buffer too small";
    case FLOWGEN_ERR_INTERNAL: return "internal error";
    default: return status >= 0 ? "ok" : "unknown status";
  }
}

}  // extern "C"
