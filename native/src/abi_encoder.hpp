// abi_encoder: internal entry points of the encoder handle beyond flowgen.h, for tests
// and benchmarks that fill a Batch themselves (no generator needed).
#pragma once

#include <cstdint>

#include "batch.hpp"
#include "flowgen/flowgen.h"

namespace flowgen::detail {

// flowgen_encoder_encode() for a batch given directly; same status codes and errors.
int32_t encoder_encode_batch(flowgen_encoder* encoder, const Batch& batch);

}  // namespace flowgen::detail
