// Cross-module access to handle internals: encoders read the batch of a generator handle
// (and drive it, for flowgen_encoder_encode_next).
// Defined in abi_generator.cpp.
#pragma once

#include "batch.hpp"
#include "flowgen/flowgen.h"

namespace flowgen::detail {

// The current batch of `generator` (never null: the ABI checks the handle first).
const Batch& generator_batch(const flowgen_generator* generator);
class Generator;
Generator& generator_engine(flowgen_generator* generator);

}  // namespace flowgen::detail
