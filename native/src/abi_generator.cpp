// flowgen_generator_*: the C handle around Generator. Every function runs through guard();
// errors land in the handle's error string (generator_new reports to the config's).
#include <cstring>
#include <memory>

#include "abi_guard.hpp"
#include "generator.hpp"
#include "handles.hpp"

struct flowgen_generator {
  std::unique_ptr<flowgen::detail::Generator> engine;
  std::string error;
};

namespace flowgen::detail {

const Batch& generator_batch(const flowgen_generator* generator) {
  return generator->engine->batch();
}

Generator& generator_engine(flowgen_generator* generator) { return *generator->engine; }

}  // namespace flowgen::detail

using flowgen::detail::Error;
using flowgen::detail::guard;

extern "C" {

FLOWGEN_API int32_t flowgen_generator_new(flowgen_config* config, flowgen_generator** out) {
  if (out) *out = nullptr;
  if (!config) return FLOWGEN_ERR_INVALID_ARGUMENT;
  return guard(&config->error, [&]() -> int32_t {
    if (!out) throw Error(FLOWGEN_ERR_INVALID_ARGUMENT, "flowgen_generator_new: out is NULL");
    auto handle = std::make_unique<flowgen_generator>();
    handle->engine = std::make_unique<flowgen::detail::Generator>(config->config);
    config->error.clear();
    *out = handle.release();
    return FLOWGEN_OK;
  });
}

FLOWGEN_API void flowgen_generator_free(flowgen_generator* generator) { delete generator; }

FLOWGEN_API const char* flowgen_generator_error(const flowgen_generator* generator) {
  return generator ? generator->error.c_str() : "generator is NULL";
}

FLOWGEN_API int32_t flowgen_generator_next_batch(flowgen_generator* generator,
                                                 uint32_t max_records) {
  if (!generator) return FLOWGEN_ERR_INVALID_ARGUMENT;
  return guard(&generator->error,
               [&]() -> int32_t { return int32_t(generator->engine->next_batch(max_records)); });
}

FLOWGEN_API uint32_t flowgen_generator_batch_size(const flowgen_generator* generator) {
  return generator ? generator->engine->batch().size : 0;
}

FLOWGEN_API uint32_t flowgen_generator_batch_capacity(const flowgen_generator* generator) {
  return generator ? generator->engine->batch().capacity : 0;
}

FLOWGEN_API const void* flowgen_generator_column(const flowgen_generator* generator,
                                                 int32_t column) {
  if (!generator) return nullptr;
  const auto& b = generator->engine->batch();
  switch (column) {
    case FLOWGEN_COL_TIMESTAMP_NS: return b.timestamp_ns.data();
    case FLOWGEN_COL_TIMESTAMP_S: return b.timestamp_s.data();
    case FLOWGEN_COL_DURATION_NS: return b.duration_ns.data();
    case FLOWGEN_COL_IP_VERSION: return b.ip_version.data();
    case FLOWGEN_COL_SRC_IP4: return b.src_ip4.data();
    case FLOWGEN_COL_DST_IP4: return b.dst_ip4.data();
    case FLOWGEN_COL_SRC_IP6: return b.src_ip6.data();
    case FLOWGEN_COL_DST_IP6: return b.dst_ip6.data();
    case FLOWGEN_COL_SRC_PORT: return b.src_port.data();
    case FLOWGEN_COL_DST_PORT: return b.dst_port.data();
    case FLOWGEN_COL_PROTOCOL: return b.protocol.data();
    case FLOWGEN_COL_TCP_FLAGS: return b.tcp_flags.data();
    case FLOWGEN_COL_LENGTH: return b.length.data();
    case FLOWGEN_COL_PACKETS: return b.packets.data();
    case FLOWGEN_COL_BYTES: return b.bytes.data();
    case FLOWGEN_COL_FLOW_ID: return b.flow_id.data();
    case FLOWGEN_COL_DIRECTION: return b.direction.data();
    case FLOWGEN_COL_PATTERN: return b.pattern.data();
    default: return nullptr;
  }
}

FLOWGEN_API const char* flowgen_generator_pattern_name(const flowgen_generator* generator,
                                                       uint32_t index) {
  if (!generator) return nullptr;
  const auto& names = generator->engine->pattern_names();
  return index < names.size() ? names[index].c_str() : nullptr;
}

FLOWGEN_API uint32_t flowgen_generator_pattern_count(const flowgen_generator* generator) {
  return generator ? uint32_t(generator->engine->pattern_names().size()) : 0;
}

FLOWGEN_API int32_t flowgen_generator_is_done(const flowgen_generator* generator) {
  return generator && generator->engine->done() ? 1 : 0;
}

FLOWGEN_API int32_t flowgen_generator_reset(flowgen_generator* generator) {
  if (!generator) return FLOWGEN_ERR_INVALID_ARGUMENT;
  return guard(&generator->error, [&]() -> int32_t {
    generator->engine->reset();
    return FLOWGEN_OK;
  });
}

FLOWGEN_API int32_t flowgen_generator_stats(const flowgen_generator* generator, flowgen_stats* out,
                                            uint32_t size) {
  if (!generator) return FLOWGEN_ERR_INVALID_ARGUMENT;
  auto* error = &const_cast<flowgen_generator*>(generator)->error;
  return guard(error, [&]() -> int32_t {
    if (!out || size != sizeof(flowgen_stats))
      throw Error(FLOWGEN_ERR_INVALID_ARGUMENT,
                  "flowgen_generator_stats: size " + std::to_string(size) + ", expected " +
                      std::to_string(sizeof(flowgen_stats)) + " (and a non-NULL out)");
    *out = generator->engine->stats();
    return FLOWGEN_OK;
  });
}

FLOWGEN_API int32_t flowgen_generator_checkpoint(const flowgen_generator* generator,
                                                 uint8_t* buffer, uint32_t capacity,
                                                 uint32_t* needed) {
  if (!generator) return FLOWGEN_ERR_INVALID_ARGUMENT;
  auto* error = &const_cast<flowgen_generator*>(generator)->error;
  return guard(error, [&]() -> int32_t {
    const std::vector<uint8_t> blob = generator->engine->checkpoint();
    if (blob.size() > 0x7fffffffu)
      throw Error(FLOWGEN_ERR_NO_MEMORY, "checkpoint: state larger than 2 GiB");
    if (needed) *needed = uint32_t(blob.size());
    if (!buffer || capacity < blob.size())
      throw Error(FLOWGEN_ERR_BUFFER_TOO_SMALL, "checkpoint: needs " +
                                                    std::to_string(blob.size()) +
                                                    " bytes, buffer has " +
                                                    std::to_string(buffer ? capacity : 0));
    std::memcpy(buffer, blob.data(), blob.size());
    return int32_t(blob.size());
  });
}

FLOWGEN_API int32_t flowgen_generator_restore(flowgen_generator* generator, const uint8_t* blob,
                                              uint32_t size) {
  if (!generator) return FLOWGEN_ERR_INVALID_ARGUMENT;
  return guard(&generator->error, [&]() -> int32_t {
    generator->engine->restore(blob, size);
    return FLOWGEN_OK;
  });
}

}  // extern "C"
