// abi_encoder: the flowgen_encoder_* functions of the C ABI. Each checks its handle and
// pointers, then runs the EncoderSession call inside guard() so that no exception crosses
// the ABI and every failure leaves a message in the handle.
#include "abi_encoder.hpp"

#include <cstring>
#include <string>

#include "abi_guard.hpp"
#include "encoder_session.hpp"
#include "handles.hpp"

using flowgen::detail::EncoderSession;
using flowgen::detail::Error;
using flowgen::detail::guard;

struct flowgen_encoder {
  explicit flowgen_encoder(int32_t format) : session(format) {}
  EncoderSession session;
  std::string error;
};

namespace {

constexpr const char* kNullHandle = "encoder handle is NULL";

// Runs `body` on a non-NULL handle; a NULL handle is FLOWGEN_ERR_INVALID_ARGUMENT.
template <typename Body>
int32_t with_encoder(flowgen_encoder* encoder, Body&& body) noexcept {
  if (!encoder) return FLOWGEN_ERR_INVALID_ARGUMENT;
  return guard(&encoder->error, [&]() -> int32_t {
    body(encoder->session);
    return FLOWGEN_OK;
  });
}

Error null_argument(const char* name) {
  return Error(FLOWGEN_ERR_INVALID_ARGUMENT, std::string(name) + " is NULL");
}

}  // namespace

namespace flowgen::detail {

int32_t encoder_encode_batch(flowgen_encoder* encoder, const Batch& batch) {
  return with_encoder(encoder, [&](EncoderSession& s) { s.encode(batch); });
}

}  // namespace flowgen::detail

extern "C" {

FLOWGEN_API int32_t flowgen_encoder_new(int32_t format, flowgen_encoder** out) {
  if (!out) return FLOWGEN_ERR_INVALID_ARGUMENT;
  *out = nullptr;
  return guard(nullptr, [&]() -> int32_t {
    *out = new flowgen_encoder(format);
    return FLOWGEN_OK;
  });
}

FLOWGEN_API void flowgen_encoder_free(flowgen_encoder* encoder) {
  // Destructors do not throw; the writer thread is joined by the session's destructor.
  delete encoder;
}

FLOWGEN_API const char* flowgen_encoder_error(const flowgen_encoder* encoder) {
  return encoder ? encoder->error.c_str() : kNullHandle;
}

FLOWGEN_API int32_t flowgen_encoder_set_param(flowgen_encoder* encoder, int32_t param,
                                              int64_t value) {
  return with_encoder(encoder, [&](EncoderSession& s) { s.set_param(param, value); });
}

FLOWGEN_API int32_t flowgen_encoder_set_fields(flowgen_encoder* encoder, const char* fields) {
  return with_encoder(encoder, [&](EncoderSession& s) {
    if (!fields) throw null_argument("fields");
    s.set_fields(fields);
  });
}

FLOWGEN_API int32_t flowgen_encoder_open(flowgen_encoder* encoder, const char* path,
                                         int32_t append) {
  return with_encoder(encoder, [&](EncoderSession& s) {
    if (!path) throw null_argument("path");
    if (append != 0 && append != 1) {
      throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                  "append must be 0 or 1, got " + std::to_string(append));
    }
    s.open(path, append == 1);
  });
}

FLOWGEN_API int32_t flowgen_encoder_set_fd(flowgen_encoder* encoder, int32_t fd) {
  return with_encoder(encoder, [&](EncoderSession& s) { s.set_fd(fd); });
}

FLOWGEN_API int32_t flowgen_encoder_encode(flowgen_encoder* encoder,
                                           const flowgen_generator* generator) {
  return with_encoder(encoder, [&](EncoderSession& s) {
    if (!generator) throw null_argument("generator");
    s.encode(flowgen::detail::generator_batch(generator));
  });
}

FLOWGEN_API int32_t flowgen_encoder_encode_next(flowgen_encoder* encoder,
                                                flowgen_generator* generator,
                                                uint32_t max_records) {
  if (!encoder) return FLOWGEN_ERR_INVALID_ARGUMENT;
  return guard(&encoder->error, [&]() -> int32_t {
    if (!generator) throw null_argument("generator");
    return static_cast<int32_t>(
        encoder->session.encode_next(flowgen::detail::generator_engine(generator), max_records));
  });
}

FLOWGEN_API int32_t flowgen_encoder_finish(flowgen_encoder* encoder) {
  return with_encoder(encoder, [&](EncoderSession& s) { s.finish(); });
}

FLOWGEN_API int32_t flowgen_encoder_flush(flowgen_encoder* encoder) {
  return with_encoder(encoder, [&](EncoderSession& s) { s.flush(); });
}

FLOWGEN_API const uint8_t* flowgen_encoder_data(const flowgen_encoder* encoder) {
  return encoder ? encoder->session.output().bytes.data() : nullptr;
}

FLOWGEN_API uint32_t flowgen_encoder_size(const flowgen_encoder* encoder) {
  // encode() refuses to grow an unsinked buffer past 4 GiB, so this never truncates.
  return encoder ? static_cast<uint32_t>(encoder->session.output().bytes.size()) : 0;
}

FLOWGEN_API uint32_t flowgen_encoder_packet_count(const flowgen_encoder* encoder) {
  return encoder ? static_cast<uint32_t>(encoder->session.output().packet_ends.size()) : 0;
}

FLOWGEN_API const uint32_t* flowgen_encoder_packet_ends(const flowgen_encoder* encoder) {
  return encoder ? encoder->session.output().packet_ends.data() : nullptr;
}

FLOWGEN_API int32_t flowgen_encoder_consume(flowgen_encoder* encoder) {
  return with_encoder(encoder, [&](EncoderSession& s) { s.consume(); });
}

FLOWGEN_API int32_t flowgen_encoder_stats(const flowgen_encoder* encoder,
                                          flowgen_encoder_stats_t* out, uint32_t size) {
  if (!encoder) return FLOWGEN_ERR_INVALID_ARGUMENT;
  auto* e = const_cast<flowgen_encoder*>(encoder);  // only the error string changes
  return guard(&e->error, [&]() -> int32_t {
    if (!out) throw null_argument("out");
    if (size != sizeof(flowgen_encoder_stats_t)) {
      throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                  "size " + std::to_string(size) + ", expected sizeof(flowgen_encoder_stats_t) = " +
                      std::to_string(sizeof(flowgen_encoder_stats_t)));
    }
    *out = e->session.stats();
    return FLOWGEN_OK;
  });
}

FLOWGEN_API int32_t flowgen_encoder_checkpoint(const flowgen_encoder* encoder, uint8_t* buffer,
                                               uint32_t capacity, uint32_t* needed) {
  if (!encoder) return FLOWGEN_ERR_INVALID_ARGUMENT;
  auto* e = const_cast<flowgen_encoder*>(encoder);  // only the error string changes
  return guard(&e->error, [&]() -> int32_t {
    const std::vector<uint8_t> blob = e->session.checkpoint();
    const auto size = static_cast<uint32_t>(blob.size());
    if (needed) *needed = size;
    if (!buffer || capacity < size) {
      throw Error(FLOWGEN_ERR_BUFFER_TOO_SMALL,
                  "the encoder checkpoint needs " + std::to_string(size) + " bytes, capacity is " +
                      std::to_string(buffer ? capacity : 0));
    }
    std::memcpy(buffer, blob.data(), blob.size());
    return static_cast<int32_t>(size);
  });
}

FLOWGEN_API int32_t flowgen_encoder_restore(flowgen_encoder* encoder, const uint8_t* blob,
                                            uint32_t size) {
  return with_encoder(encoder, [&](EncoderSession& s) {
    if (!blob) throw null_argument("blob");
    s.restore(blob, size);
  });
}

}  // extern "C"
