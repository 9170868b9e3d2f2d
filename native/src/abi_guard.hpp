// abi_guard: every extern "C" entry point runs its body through guard(), so no C++
// exception crosses the ABI. Errors carry a status code and a message that the entry
// point stores in the handle's last-error string.
#pragma once

#include <cstdint>
#include <exception>
#include <new>
#include <stdexcept>
#include <string>
#include <utility>

#include "flowgen/flowgen.h"

namespace flowgen::detail {

// Thrown inside the engine for anything a caller did wrong; `status` is a FLOWGEN_ERR_*.
class Error : public std::runtime_error {
 public:
  Error(int32_t status, const std::string& message)
      : std::runtime_error(message), status_(status) {}
  int32_t status() const noexcept { return status_; }

 private:
  int32_t status_;
};

inline Error config_error(const std::string& message) {
  return Error(FLOWGEN_ERR_INVALID_CONFIG, message);
}

// Runs `body` (returning int32_t); converts exceptions to status codes and writes the
// message into `last_error` (which may be null when there is no handle to hold it).
template <typename Body>
int32_t guard(std::string* last_error, Body&& body) noexcept {
  try {
    return std::forward<Body>(body)();
  } catch (const Error& e) {
    if (last_error) *last_error = e.what();
    return e.status();
  } catch (const std::bad_alloc&) {
    if (last_error) *last_error = "out of memory";
    return FLOWGEN_ERR_NO_MEMORY;
  } catch (const std::exception& e) {
    if (last_error) *last_error = std::string("internal error: ") + e.what();
    return FLOWGEN_ERR_INTERNAL;
  } catch (...) {
    if (last_error) *last_error = "internal error: unknown exception";
    return FLOWGEN_ERR_INTERNAL;
  }
}

}  // namespace flowgen::detail
