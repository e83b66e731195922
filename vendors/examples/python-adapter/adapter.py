#!/usr/bin/python3
"""A plugfest adapter in Python for a fictional O-RU, the Fjordwave FW-RU-2T2R-n78.

It implements the adapter protocol (plugfest.adapter.v1, see
interfaces/adapter/plugfest/adapter/v1/adapter.proto) and the standard gRPC health
service with Debian's python3-grpcio. Its fronthaul endpoint is a real UDP socket whose
received datagrams are counted (Counters); it has no Observe instrument.

Usage: adapter.py --listen unix:PATH|HOST:PORT [--stubs DIR] [--port-file PATH]
                  [--tls-cert PEM --tls-key PEM [--tls-client-ca PEM]]
The listen address may also come from PLUGFEST_ADAPTER_LISTEN. On a bench (HOST:PORT)
serve with TLS: with --tls-client-ca only clients presenting a certificate from that CA
get through the handshake (mutual TLS); plaintext TCP is served with a warning. Python stubs are taken
from --stubs or PLUGFEST_PYTHON_ADAPTER_STUBS (the build generates them there), else
generated once into a temporary folder with grpc_tools.protoc.
"""

import argparse
import atexit
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
from concurrent import futures

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO_ROOT = os.path.normpath(os.path.join(HERE, "..", "..", "..", "interfaces", "adapter"))


def generate_stubs(out_dir):
    """Generates the Python stubs of adapter.proto and health.proto into out_dir."""
    from grpc_tools import protoc
    outputs = ["--python_out=" + out_dir, "--grpc_python_out=" + out_dir]
    # health.proto from its own folder: its module becomes `health_pb2`, and no `grpc`
    # package of ours shadows grpcio's.
    health_root = os.path.join(PROTO_ROOT, "grpc", "health", "v1")
    for root, proto in ((PROTO_ROOT, "plugfest/adapter/v1/adapter.proto"),
                        (health_root, "health.proto")):
        if protoc.main(["protoc", "-I" + root] + outputs + [os.path.join(root, proto)]) != 0:
            sys.exit("adapter.py: cannot generate the protocol stubs from " + PROTO_ROOT)


def load_stubs(stubs_dir):
    if not stubs_dir:
        stubs_dir = tempfile.mkdtemp(prefix="plugfest-py-stubs-")
        atexit.register(shutil.rmtree, stubs_dir, True)
        generate_stubs(stubs_dir)
    sys.path.insert(0, stubs_dir)
    global adapter_pb2, adapter_pb2_grpc, health_pb2, health_pb2_grpc
    from plugfest.adapter.v1 import adapter_pb2, adapter_pb2_grpc  # noqa: E402
    import health_pb2  # noqa: E402
    import health_pb2_grpc  # noqa: E402


class FronthaulPort:
    """A UDP socket on loopback standing for the radio's fronthaul interface."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.received = 0
        self.lock = threading.Lock()
        threading.Thread(target=self._receive, daemon=True).start()

    def _receive(self):
        while True:
            self.sock.recv(65536)
            with self.lock:
                self.received += 1

    def take_count(self, reset=False):
        with self.lock:
            count = self.received
            if reset:
                self.received = 0
            return count


class FjordwaveAdapter:
    """The Adapter service: answers from the fictional device's state."""

    CAPABILITIES = ["section_type.1", "section_type.3", "compression.bfp.9",
                    "compression.bfp.14", "numerology.1", "bandwidth.40", "udp"]

    def __init__(self, stop_event):
        self.stop_event = stop_event
        self.port = FronthaulPort()
        self.session_id = None

    def Describe(self, request, context):
        return adapter_pb2.DescribeResponse(
            protocol_version=adapter_pb2.PROTOCOL_VERSION_1,
            vendor="Fjordwave Radio Systems", model="FW-RU-2T2R-n78", serial="FW0000451",
            software_version="3.1.4", role=adapter_pb2.ROLE_O_RU,
            capabilities=self.CAPABILITIES)

    def PrepareSession(self, request, context):
        if not request.session_id:
            context.abort(grpc.StatusCode.INVALID_ARGUMENT, "session_id: empty")
        if request.dl_compression.method not in (adapter_pb2.COMPRESSION_NONE,
                                                 adapter_pb2.COMPRESSION_BLOCK_FLOATING_POINT):
            context.abort(grpc.StatusCode.FAILED_PRECONDITION,
                          "dl_compression.method: this radio does only none and BFP")
        self.session_id = request.session_id
        self.port.take_count(reset=True)
        return adapter_pb2.PrepareSessionResponse(
            dut_endpoint=adapter_pb2.FronthaulEndpoint(
                udp=adapter_pb2.UdpEndpoint(host="127.0.0.1", port=self.port.port)))

    def _check_session(self, session_id, context):
        if session_id != self.session_id:
            context.abort(grpc.StatusCode.FAILED_PRECONDITION,
                          "unknown session %r: call PrepareSession first" % session_id)

    def Stimulate(self, request, context):
        self._check_session(request.session_id, context)
        if request.WhichOneof("stimulus") != "ul_air_signal":
            context.abort(grpc.StatusCode.INVALID_ARGUMENT,
                          "stimulus: an O-RU takes an ul_air_signal")
        return adapter_pb2.StimulateResponse()

    def Observe(self, request, context):
        self._check_session(request.session_id, context)
        return adapter_pb2.ObserveResponse(
            available=False, unavailable_reason="this adapter has no signal analyser")

    def Counters(self, request, context):
        self._check_session(request.session_id, context)
        return adapter_pb2.CountersResponse(rx_on_time=self.port.take_count())

    def Reset(self, request, context):
        self._check_session(request.session_id, context)
        self.port.take_count(reset=True)
        return adapter_pb2.ResetResponse()

    def Shutdown(self, request, context):
        self.stop_event.set()
        return adapter_pb2.ShutdownResponse()


class Health:
    """grpc.health.v1.Health: SERVING once the server runs."""

    def Check(self, request, context):
        return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)

    def Watch(self, request, context):
        yield health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


def read_file(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        sys.exit("adapter.py: cannot read " + path + ": " + e.strerror)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default=os.environ.get("PLUGFEST_ADAPTER_LISTEN"))
    parser.add_argument("--stubs", default=os.environ.get("PLUGFEST_PYTHON_ADAPTER_STUBS"))
    parser.add_argument("--port-file", help="write the TCP port bound here (for --listen HOST:0)")
    parser.add_argument("--tls-cert", help="PEM certificate chain of the adapter")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    parser.add_argument("--tls-client-ca", help="PEM CA clients must present a certificate from")
    args = parser.parse_args()
    if not args.listen:
        sys.exit("adapter.py: no listen address (--listen or PLUGFEST_ADAPTER_LISTEN)")
    if bool(args.tls_cert) != bool(args.tls_key) or (args.tls_client_ca and not args.tls_cert):
        sys.exit("adapter.py: --tls-cert and --tls-key go together (and --tls-client-ca needs both)")

    global grpc
    import grpc
    load_stubs(args.stubs)

    stop_event = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop_event.set())
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    adapter_pb2_grpc.add_AdapterServicer_to_server(FjordwaveAdapter(stop_event), server)
    health_pb2_grpc.add_HealthServicer_to_server(Health(), server)
    if args.tls_cert:
        credentials = grpc.ssl_server_credentials(
            [(read_file(args.tls_key), read_file(args.tls_cert))],
            root_certificates=read_file(args.tls_client_ca) if args.tls_client_ca else None,
            require_client_auth=bool(args.tls_client_ca))
        port = server.add_secure_port(args.listen, credentials)
    else:
        if not args.listen.startswith("unix:"):
            print("adapter.py: warning: serving on " + args.listen + " without TLS: anyone who "
                  "can reach it may call Shutdown; serve with --tls-cert, --tls-key and "
                  "--tls-client-ca (mutual TLS)", file=sys.stderr, flush=True)
        port = server.add_insecure_port(args.listen)
    if port == 0:
        sys.exit("adapter.py: cannot listen on " + args.listen)
    if args.port_file:
        with open(args.port_file + ".tmp", "w") as out:
            out.write("%d\n" % port)
        os.replace(args.port_file + ".tmp", args.port_file)
    server.start()
    print("adapter.py: Fjordwave FW-RU-2T2R-n78 serving on " + args.listen, file=sys.stderr,
          flush=True)
    stop_event.wait()
    server.stop(grace=0.5).wait()


if __name__ == "__main__":
    main()
