// libFuzzer target for what the harness trusts of an adapter's answers: each protocol
// message the harness receives, parsed from arbitrary bytes and translated to domain
// types. The first octet chooses the message. A translation that succeeds must translate
// back and forth to the same domain value; none may crash or hang.

#include <cstdint>
#include <cstdlib>
#include <string>

#include <google/protobuf/stubs/logging.h>

#include "interfaces/adapter/translate.h"

namespace {

using namespace plugfest::adapter;

template <typename Message>
void translate(const std::string& bytes) {
  Message message;
  if (!message.ParseFromString(bytes)) return;
  auto domain = from_proto(message);
  if (!domain) return;
  // What was accepted survives a round trip through the protocol.
  auto again = from_proto(to_proto(*domain));
  if (!again) std::abort();
}

}  // namespace

// Malformed UTF-8 in string fields is refused by protobuf with a log line each time; the
// refusal is what is tested, the log would only drown the fuzzer's own output.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      translate<v1::DescribeResponse>(rest);
      break;
    case 1:
      translate<v1::PrepareSessionResponse>(rest);
      break;
    case 2:
      translate<v1::StimulateResponse>(rest);
      break;
    case 3:
      translate<v1::ObserveResponse>(rest);
      break;
    default:
      translate<v1::CountersResponse>(rest);
      break;
  }
  return 0;
}
