// checkpoint_fuzz: blobs fed to flowgen_generator_restore and flowgen_encoder_restore.
// A blob carries a checksum, so random bytes stop at the envelope; to reach the payload
// parsers the target also re-seals fuzz bytes with a valid envelope (same magic, version,
// fingerprint, correct checksum). A restore that succeeds must leave a handle that still
// generates and encodes.
//
// Input byte 0: bits 0-1 pick the config, bits 2-3 the mode (0 raw blob, 1 fuzz bytes as
// the generator payload, 2 fuzz bytes XORed over the real payload, 3 the encoder state),
// bits 4-6 the encoder format.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "checkpoint.hpp"
#include "flowgen/flowgen.h"

namespace {

constexpr size_t kGenHeader = 4 + 4 + 8 + 4;         // magic, version, fingerprint, size
constexpr size_t kEncHeader = 4 + 4 + 4 + 8 + 3 * 8 + 4;  // see encoder_session.cpp
constexpr size_t kTrailer = 8;

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "checkpoint_fuzz: %s\n", what);
  std::abort();
}

flowgen_generator* make_generator(int which) {
  flowgen_config* c = flowgen_config_new();
  flowgen_config_set_seed(c, 1234);
  flowgen_config_set_batch_size(c, 256);
  flowgen_config_add_source_subnet(c, "192.168.0.0/16");
  flowgen_config_add_source_subnet(c, "2001:db8::/48");
  flowgen_config_add_destination_subnet(c, "10.0.0.0/8");
  flowgen_config_add_destination_subnet(c, "2001:db8:ff::/64");
  flowgen_config_add_pattern(c, "web_traffic", 70);
  flowgen_config_add_pattern(c, "dns_traffic", 30);
  if (which == 1) flowgen_config_set_flow_model(c, FLOWGEN_MODEL_FLOW);
  if (which == 2) {  // pending responses in the state
    flowgen_config_set_flow_model(c, FLOWGEN_MODEL_FLOW);
    flowgen_config_set_bidirectional(c, 0.8);
    flowgen_config_set_max_pending(c, 16);  // keeps the blob under -max_len
  }
  if (which == 3) flowgen_config_set_threads(c, 2);
  flowgen_generator* g = nullptr;
  if (flowgen_generator_new(c, &g) != FLOWGEN_OK) {
    std::fprintf(stderr, "%s\n", flowgen_config_error(c));
    fail("seed config refused");
  }
  flowgen_config_free(c);
  return g;
}

std::vector<uint8_t> generator_blob(flowgen_generator* g) {
  uint32_t needed = 0;
  flowgen_generator_checkpoint(g, nullptr, 0, &needed);
  std::vector<uint8_t> blob(needed);
  if (flowgen_generator_checkpoint(g, blob.data(), needed, nullptr) != int32_t(needed))
    fail("generator checkpoint failed");
  return blob;
}

std::vector<uint8_t> encoder_blob(flowgen_encoder* e) {
  uint32_t needed = 0;
  flowgen_encoder_checkpoint(e, nullptr, 0, &needed);
  std::vector<uint8_t> blob(needed);
  if (flowgen_encoder_checkpoint(e, blob.data(), needed, nullptr) != int32_t(needed))
    fail("encoder checkpoint failed");
  return blob;
}

// Rewrites the size field at `size_at` and the trailing FNV-1a checksum.
std::vector<uint8_t> reseal(const std::vector<uint8_t>& header, size_t size_at,
                            const uint8_t* payload, size_t n) {
  std::vector<uint8_t> blob(header);
  for (int i = 0; i < 4; ++i) blob[size_at + size_t(i)] = uint8_t(n >> (8 * i));
  blob.insert(blob.end(), payload, payload + n);
  const uint64_t sum = flowgen::detail::fnv1a64(blob.data(), blob.size());
  for (int i = 0; i < 8; ++i) blob.push_back(uint8_t(sum >> (8 * i)));
  return blob;
}

void use_generator(flowgen_generator* g) {
  for (int i = 0; i < 3; ++i)
    if (flowgen_generator_next_batch(g, 200) < 0) return;
  flowgen_stats st;
  flowgen_generator_stats(g, &st, sizeof st);
}

// A restored state's records (pending responses included) through every text column:
// the pattern and address columns index tables by values that came from the blob.
void encode_restored(flowgen_generator* g) {
  flowgen_encoder* e = nullptr;
  flowgen_encoder_new(FLOWGEN_FORMAT_CSV, &e);
  flowgen_encoder_set_fields(e, "timestamp,src_ip,dst_ip,src_port,dst_port,protocol,length,"
                                "packets,bytes,duration,tcp_flags,flow_id,direction,pattern,"
                                "ip_version");
  for (int i = 0; i < 2; ++i) {
    if (flowgen_generator_next_batch(g, 200) < 0) break;
    if (flowgen_encoder_encode(e, g) < 0) fail("a restored generator's batch did not encode");
    flowgen_encoder_consume(e);
  }
  flowgen_encoder_free(e);
}

void write_file(const std::string& path, uint8_t first, const std::vector<uint8_t>& body) {
  std::vector<uint8_t> bytes{first};
  bytes.insert(bytes.end(), body.begin(), body.end());
  if (FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(bytes.data(), 1, bytes.size(), f);
    std::fclose(f);
  }
}

// FLOWGEN_FUZZ_WRITE_SEEDS=<dir>: writes the seed corpus (real blobs and payloads of every
// config and encoder format) and exits. How tests/fuzz/corpus/checkpoint_fuzz was made.
void write_seeds(const std::string& dir) {
  for (int which = 0; which < 4; ++which) {
    flowgen_generator* g = make_generator(which);
    use_generator(g);
    const std::vector<uint8_t> blob = generator_blob(g);
    const std::vector<uint8_t> payload(blob.begin() + kGenHeader, blob.end() - kTrailer);
    const std::string base = dir + "/gen" + std::to_string(which);
    write_file(base + "-raw", uint8_t(which), blob);
    write_file(base + "-payload", uint8_t(which | 1 << 2), payload);
    write_file(base + "-xor", uint8_t(which | 2 << 2), std::vector<uint8_t>(payload.size(), 0));
    if (which == 1) {
      for (int f = 0; f < 6; ++f) {
        flowgen_encoder* e = nullptr;
        flowgen_encoder_new(FLOWGEN_FORMAT_CSV + f, &e);
        flowgen_encoder_set_param(e, FLOWGEN_PARAM_SKIP_UNSUPPORTED, 1);
        flowgen_encoder_encode(e, g);
        const std::vector<uint8_t> eb = encoder_blob(e);
        flowgen_encoder_free(e);
        write_file(dir + "/enc" + std::to_string(f), uint8_t(which | 3 << 2 | f << 4),
                   std::vector<uint8_t>(eb.begin() + kEncHeader, eb.end() - kTrailer));
      }
    }
    flowgen_generator_free(g);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* dir = std::getenv("FLOWGEN_FUZZ_WRITE_SEEDS")) {
    write_seeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const int which = data[0] & 3, mode = (data[0] >> 2) & 3;
  const int32_t format = FLOWGEN_FORMAT_CSV + ((data[0] >> 4) & 7) % 6;
  ++data;
  --size;

  flowgen_generator* g = make_generator(which);
  use_generator(g);
  const std::vector<uint8_t> real = generator_blob(g);

  if (mode == 3) {
    // Encoder state: an encoder that has encoded once has state worth corrupting.
    flowgen_encoder* e = nullptr;
    flowgen_encoder_new(format, &e);
    flowgen_encoder_set_param(e, FLOWGEN_PARAM_SKIP_UNSUPPORTED, 1);
    flowgen_encoder_encode(e, g);
    const std::vector<uint8_t> good = encoder_blob(e);
    flowgen_encoder_free(e);
    const std::vector<uint8_t> header(good.begin(), good.begin() + kEncHeader);
    const bool raw = size > 0 && data[0] == 'R';  // "R": the bytes are the whole blob
    const std::vector<uint8_t> blob = raw ? std::vector<uint8_t>(data + 1, data + size)
                                          : reseal(header, kEncHeader - 4, data, size);
    flowgen_encoder* fresh = nullptr;
    flowgen_encoder_new(format, &fresh);
    flowgen_encoder_set_param(fresh, FLOWGEN_PARAM_SKIP_UNSUPPORTED, 1);
    if (flowgen_encoder_restore(fresh, blob.data(), uint32_t(blob.size())) == FLOWGEN_OK) {
      flowgen_generator_next_batch(g, 200);
      flowgen_encoder_encode(fresh, g);
      flowgen_encoder_finish(fresh);
    } else if (flowgen_encoder_error(fresh)[0] == '\0') {
      fail("encoder restore failed without a message");
    }
    flowgen_encoder_free(fresh);
    flowgen_generator_free(g);
    return 0;
  }

  std::vector<uint8_t> blob;
  const std::vector<uint8_t> header(real.begin(), real.begin() + kGenHeader);
  if (mode == 0) {
    blob.assign(data, data + size);
  } else if (mode == 1) {
    blob = reseal(header, kGenHeader - 4, data, size);
  } else {
    std::vector<uint8_t> payload(real.begin() + kGenHeader, real.end() - kTrailer);
    for (size_t i = 0; i < size && i < payload.size(); ++i) payload[i] ^= data[i];
    blob = reseal(header, kGenHeader - 4, payload.data(), payload.size());
  }
  flowgen_generator* fresh = make_generator(which);
  const int32_t status = flowgen_generator_restore(fresh, blob.data(), uint32_t(blob.size()));
  if (status == FLOWGEN_OK) {
    use_generator(fresh);
    encode_restored(fresh);
  } else {
    if (status != FLOWGEN_ERR_CHECKPOINT) {
      std::fprintf(stderr, "status %d: %s\n", status, flowgen_generator_error(fresh));
      fail("a bad blob gave a status other than FLOWGEN_ERR_CHECKPOINT");
    }
    // A refused blob leaves the generator usable and unchanged.
    use_generator(fresh);
  }
  flowgen_generator_free(fresh);
  flowgen_generator_free(g);
  return 0;
}
