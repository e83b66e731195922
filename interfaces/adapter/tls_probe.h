#pragma once
// diagnose_tls: says why TLS towards an adapter fails, since gRPC only retries a refused
// handshake until its deadline. One TCP connection and one OpenSSL handshake with the same
// files the channel uses (CA, client certificate and key, name to verify), every step
// bounded by `timeout`; then a short read, because under TLS 1.3 a server refuses a client
// certificate only after the client has finished its side of the handshake.

#include <chrono>
#include <string>

#include "interfaces/adapter/adapter_client.h"

namespace plugfest::adapter {

// "" when the handshake completes and the adapter keeps the connection (TLS is not the
// problem), else a sentence starting "TLS" that says what failed: the adapter's certificate
// not trusted or not for that name, the adapter refusing the client certificate (or its
// absence), the port not answering. `target` is "host:port" ("[v6]:port" too).
std::string diagnose_tls(const std::string& target, const TlsOptions& tls,
                         std::chrono::milliseconds timeout);

}  // namespace plugfest::adapter
