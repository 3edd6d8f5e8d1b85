// nanopb codec of OtaClaims (evidence.proto), used by the Claims codec in evidence.cpp.
#pragma once

#include "attest/evidence/evidence.pb.h"
#include "attest/evidence/ota_claims.h"
#include "common/result.h"

namespace edgeward::attest {

// Fails (kMalformed) when a string does not fit its field (see evidence.options).
Status put_ota_claims(const OtaClaims& in, edgeward_attest_OtaClaims& out);
// Strict, for hostile bytes (fuzzed through decode_evidence): slots are "A"/"B", the trial slot is
// "" or the other one and has a claim exactly when named, a trial release only with a trial,
// names are printable without spaces.
Result<OtaClaims> get_ota_claims(const edgeward_attest_OtaClaims& in);

}  // namespace edgeward::attest
