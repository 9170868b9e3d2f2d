#include "checkpoint.hpp"

namespace flowgen::detail {

uint64_t fnv1a64(const uint8_t* data, size_t size, uint64_t hash) {
  for (size_t i = 0; i < size; ++i) {
    hash ^= data[i];
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::vector<uint8_t> seal_blob(const char magic[4], uint32_t version, uint64_t fingerprint,
                               const std::vector<uint8_t>& payload) {
  ByteWriter w;
  w.raw(magic, 4);
  w.u32(version);
  w.u64(fingerprint);
  w.u32(static_cast<uint32_t>(payload.size()));
  w.raw(payload.data(), payload.size());
  w.u64(fnv1a64(w.bytes().data(), w.bytes().size()));
  return std::move(w.bytes());
}

BlobPayload open_blob(const char* what, const char magic[4], uint32_t version,
                      uint64_t fingerprint, const uint8_t* blob, size_t size) {
  const std::string name(what);
  constexpr size_t header = 4 + 4 + 8 + 4, trailer = 8;
  if (!blob || size < header + trailer)
    throw Error(FLOWGEN_ERR_CHECKPOINT, name + ": blob too short (" + std::to_string(size) +
                                            " bytes), not a checkpoint");
  if (std::memcmp(blob, magic, 4) != 0)
    throw Error(FLOWGEN_ERR_CHECKPOINT, name + ": bad magic, not a " + name + " blob");
  ByteReader r(blob + 4, size - 4);
  const uint32_t blob_version = r.u32();
  const uint64_t blob_fingerprint = r.u64();
  const uint32_t payload_size = r.u32();
  if (size != header + payload_size + trailer)
    throw Error(FLOWGEN_ERR_CHECKPOINT, name + ": blob is " + std::to_string(size) +
                                            " bytes, its header says " +
                                            std::to_string(header + payload_size + trailer) +
                                            " (truncated or corrupt)");
  uint64_t stored = 0;
  for (int i = 0; i < 8; ++i) stored |= uint64_t(blob[size - trailer + size_t(i)]) << (8 * i);
  if (stored != fnv1a64(blob, size - trailer))
    throw Error(FLOWGEN_ERR_CHECKPOINT, name + ": checksum mismatch (corrupt blob)");
  if (blob_version != version)
    throw Error(FLOWGEN_ERR_CHECKPOINT, name + ": format version " +
                                            std::to_string(blob_version) + ", this library reads " +
                                            std::to_string(version));
  if (blob_fingerprint != fingerprint)
    throw Error(FLOWGEN_ERR_CHECKPOINT,
                name + ": made from another configuration (fingerprint mismatch)");
  return {blob + header, payload_size};
}

}  // namespace flowgen::detail
