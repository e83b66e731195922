#!/usr/bin/python3
"""A plugfest adapter for srsRAN_Project's RU emulator, a third-party O-RU over raw Ethernet.

It serves the adapter protocol (plugfest.adapter.v1) with Debian's python3-grpcio, taking
the protocol stubs and the health service from the example Python adapter
(vendors/examples/python-adapter/adapter.py). PrepareSession writes the emulator's
configuration (ru_emulator.py: plan_session) and starts it on the adapter's interface, or
keeps the running one when nothing changed; Counters sums the statistics it prints; Reset
zeroes them; Shutdown stops it. The emulator offers no Observe instrument, takes no UL air
signal and has no M-plane, and Describe says so.

Usage: adapter.py --listen unix:PATH|HOST:PORT --interface IF [--emulator BIN]
                  [--stubs DIR] [--work-dir DIR] [--emulator-nice N] [--emulator-cpus LIST]
                  [--log-level LEVEL]
The listen address may come from PLUGFEST_ADAPTER_LISTEN, the emulator binary from
PLUGFEST_SRSRAN_RU_EMULATOR, the stubs folder from PLUGFEST_PYTHON_ADAPTER_STUBS.
"""

import argparse
import importlib.util
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from concurrent import futures

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ru_emulator  # noqa: E402

EXAMPLE_ADAPTER = os.path.join(HERE, "..", "examples", "python-adapter", "adapter.py")
STATISTICS_WAIT_S = 2.5  # the emulator prints a row a second
READY_TIMEOUT_S = 15.0


def log(message):
    print("srsran-ru-emulator: " + message, file=sys.stderr, flush=True)


def load_example_adapter():
    """The example adapter as a module (stub loading, health service)."""
    spec = importlib.util.spec_from_file_location("plugfest_example_adapter", EXAMPLE_ADAPTER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def interface_mac(interface):
    try:
        with open("/sys/class/net/%s/address" % interface) as f:
            return f.read().strip().lower()
    except OSError:
        return None


def emulator_version(binary):
    """srsRAN's version from the build folder holding `binary` (its CMakeCache names the
    source), with the source's commit when it is a git checkout; "unknown" otherwise."""
    folder = os.path.dirname(os.path.realpath(binary))
    for _ in range(6):
        cache = os.path.join(folder, "CMakeCache.txt")
        if os.path.exists(cache):
            break
        folder = os.path.dirname(folder)
    else:
        return "unknown"
    source = None
    with open(cache, errors="replace") as f:
        for line in f:
            if line.startswith("CMAKE_HOME_DIRECTORY:"):
                source = line.split("=", 1)[1].strip()
    if not source:
        return "unknown"
    parts = {}
    try:
        with open(os.path.join(source, "cmake", "modules", "version.cmake")) as f:
            for m in re.finditer(r"set\(SRSRAN_VERSION_(MAJOR|MINOR|PATCH) (\d+)\)", f.read()):
                parts[m.group(1)] = m.group(2)
    except OSError:
        pass
    version = ".".join(parts.get(k, "?") for k in ("MAJOR", "MINOR", "PATCH"))
    head = os.path.join(source, ".git", "HEAD")
    try:
        with open(head) as f:
            ref = f.read().strip()
        if ref.startswith("ref: "):
            with open(os.path.join(source, ".git", ref[5:])) as f:
                ref = f.read().strip()
        version += " (" + ref[:10] + ")"
    except OSError:
        pass
    return version


class RuEmulatorAdapter:
    """The Adapter service: translates between the protocol and the emulator."""

    CAPABILITIES = (["section_type.1", "section_type.3", "compression.bfp.9",
                     "compression.none.16", "numerology.1", "ethernet"]
                    + ["bandwidth.%d" % mhz for mhz in sorted(ru_emulator.PRBS_TO_MHZ_30KHZ.values())]
                    + ["antennas.%d" % n for n in range(1, ru_emulator.MAX_PORTS_PER_LIST + 1)])

    def __init__(self, args, pb, stop_event):
        self.args = args
        self.pb = pb
        self.stop_event = stop_event
        self.lock = threading.Lock()
        self.session_id = None
        self.config = None
        self.process = None
        self.text_lines = 0
        self.digest = ru_emulator.LineDigest()

    # ---- helpers ----

    def _abort(self, context, code, message):
        log(message)
        context.abort(code, message)

    def _check_session(self, session_id, context):
        if session_id != self.session_id:
            self._abort(context, grpc.StatusCode.FAILED_PRECONDITION,
                        "unknown session %r: call PrepareSession first" % session_id)

    def _running_process(self, context):
        if self.process is None or not self.process.running():
            self._abort(context, grpc.StatusCode.UNAVAILABLE,
                        self.process.describe_exit() if self.process else "the emulator is not running")
        return self.process

    def _stop_emulator(self):
        if self.process is not None:
            self.process.stop()
            self._log_digest()
            log("emulator stopped (" + self.process.describe_exit() + ")")
        self.process = None
        self.config = None

    def _start_emulator(self, config, context):
        path = os.path.join(self.args.work_dir, "ru_emulator.yml")
        with open(path, "w") as f:
            f.write(config.yaml())
        command = ru_emulator.launch_command(self.args.emulator, path)
        log("starting " + " ".join(command) + " on " + config.interface + " (VLAN %d, "
            "%d MHz, UL %s %d, DL ports %s, PRACH ports %s)" % (
                config.vlan, config.bandwidth_mhz, config.ul_method, config.ul_width,
                list(config.dl_ports), list(config.prach_ports)))
        self.text_lines = 0
        self.digest = ru_emulator.LineDigest()
        process = ru_emulator.EmulatorProcess(command, on_text=self._emulator_text,
                                              on_row=self._emulator_row,
                                              nice=self.args.emulator_nice,
                                              cpus=self.args.emulator_cpus)
        if not process.wait_ready(READY_TIMEOUT_S):
            process.stop()
            self._abort(context, grpc.StatusCode.FAILED_PRECONDITION,
                        "the emulator did not start on " + config.interface + ": "
                        + process.describe_exit())
        self.process = process
        self.config = config

    def _emulator_text(self, line):
        # Its warnings name each packet it rejects; keep the first ones of each kind as
        # evidence and count the rest (_log_digest).
        if not self.digest.add(line):
            return
        self.text_lines += 1
        if self.text_lines <= self.args.max_log_lines:
            log("emulator: " + line)
        elif self.text_lines == self.args.max_log_lines + 1:
            log("emulator: further output not repeated here")

    @staticmethod
    def _emulator_row(values):
        # A second with traffic, as the emulator counted it (idle seconds stay silent).
        busy = ["%s %d" % (k, v) for k, v in values.items() if k not in ("ID", "TIME") and v]
        if busy:
            log("emulator statistics: " + ", ".join(busy))

    def _fresh_totals(self, context):
        process = self._running_process(context)
        if not process.wait_fresh_row(STATISTICS_WAIT_S):
            self._abort(context, grpc.StatusCode.UNAVAILABLE,
                        "no statistics from the emulator within %.1f s: " % STATISTICS_WAIT_S
                        + process.describe_exit())
        return process

    def _log_digest(self):
        for line in self.digest.summary():
            log("emulator: " + line)

    # ---- the service ----

    def Describe(self, request, context):
        pb = self.pb
        return pb.DescribeResponse(
            protocol_version=pb.PROTOCOL_VERSION_1, vendor="srsRAN_Project (open source)",
            model="ru_emulator", serial="", software_version=emulator_version(self.args.emulator),
            role=pb.ROLE_O_RU, capabilities=self.CAPABILITIES)

    def PrepareSession(self, request, context):
        pb = self.pb
        if not request.session_id:
            self._abort(context, grpc.StatusCode.INVALID_ARGUMENT, "session_id: empty")
        if request.harness_endpoint.WhichOneof("transport") != "ethernet":
            self._abort(context, grpc.StatusCode.FAILED_PRECONDITION,
                        "harness_endpoint: the emulator speaks eCPRI over raw Ethernet only; give "
                        "the DUT lab fronthaul: {transport: ethernet, interface: ...}")
        missing = ru_emulator.missing_capabilities()
        if missing:
            self._abort(context, grpc.StatusCode.FAILED_PRECONDITION,
                        "the emulator needs CAP_NET_RAW and CAP_NET_ADMIN (raw socket, MTU 9000 "
                        "on " + self.args.interface + "); this adapter lacks " + ", ".join(missing))
        harness = request.harness_endpoint.ethernet
        ru_mac = interface_mac(self.args.interface)
        if ru_mac is None:
            self._abort(context, grpc.StatusCode.FAILED_PRECONDITION,
                        "--interface " + self.args.interface + ": no such interface here")
        if request.ul_compression.static_header:
            log("warning: ul_compression.static_header asked; the emulator always sends a "
                "udCompHdr in each UL U-plane section (it has no M-plane to configure it "
                "otherwise)")
        methods = {pb.COMPRESSION_NONE: "none", pb.COMPRESSION_BLOCK_FLOATING_POINT: "bfp"}
        ul_method = methods.get(request.ul_compression.method,
                                pb.CompressionMethod.Name(request.ul_compression.method))
        split = {"ru_port_bits": request.eaxc_split.ru_port_bits}
        try:
            config = ru_emulator.plan_session(
                interface=self.args.interface, ru_mac=ru_mac, du_mac=harness.mac.lower(),
                vlan=harness.vlan_id, numerology=request.numerology,
                carrier_prbs=request.carrier_prbs, antennas=request.antenna_ports,
                eaxc_split=split, ul_method=ul_method, ul_width=request.ul_compression.iq_width)
        except ru_emulator.SessionError as e:
            self._abort(context, grpc.StatusCode.FAILED_PRECONDITION, str(e))
        config = ru_emulator.EmulatorConfig(**{**config.__dict__, "log_level": self.args.log_level})
        with self.lock:
            if self.process is None or not self.process.running() or self.config != config:
                self._stop_emulator()
                self._start_emulator(config, context)
            else:
                self._fresh_totals(context)
            self.process.reset_totals()
            self.session_id = request.session_id
        log("session %s: emulator %s on %s, VLAN %d" % (request.session_id, ru_mac,
                                                         self.args.interface, config.vlan))
        return pb.PrepareSessionResponse(dut_endpoint=pb.FronthaulEndpoint(
            ethernet=pb.EthernetEndpoint(interface=self.args.interface, mac=ru_mac,
                                         vlan_id=config.vlan, priority=0)))

    def Stimulate(self, request, context):
        self._check_session(request.session_id, context)
        self._abort(context, grpc.StatusCode.UNIMPLEMENTED,
                    "stimulus: the emulator takes no UL air signal (its UL U-plane carries fixed "
                    "pseudo-random bytes)")

    def Observe(self, request, context):
        self._check_session(request.session_id, context)
        return self.pb.ObserveResponse(
            available=False, unavailable_reason="the emulator has no signal analyser (it decodes "
            "no DL IQ)")

    def Counters(self, request, context):
        self._check_session(request.session_id, context)
        with self.lock:
            t = self._fresh_totals(context).totals()
        seq = t.pop("sequence_errors")
        self._log_digest()
        log("counters: " + ", ".join("%s %d" % kv for kv in t.items())
            + "; sequence-ID errors " + ", ".join("%s %d" % kv for kv in seq.items()))
        return self.pb.CountersResponse(**t)

    def Reset(self, request, context):
        self._check_session(request.session_id, context)
        with self.lock:
            self._fresh_totals(context).reset_totals()
        return self.pb.ResetResponse()

    def Shutdown(self, request, context):
        with self.lock:
            self._stop_emulator()
        self.stop_event.set()
        return self.pb.ShutdownResponse()

    def close(self):
        with self.lock:
            self._stop_emulator()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default=os.environ.get("PLUGFEST_ADAPTER_LISTEN"))
    parser.add_argument("--stubs", default=os.environ.get("PLUGFEST_PYTHON_ADAPTER_STUBS"))
    parser.add_argument("--emulator", default=os.environ.get("PLUGFEST_SRSRAN_RU_EMULATOR"),
                        help="the ru_emulator binary (build.sh prints its path)")
    parser.add_argument("--interface", required=True, help="the emulator's network interface")
    parser.add_argument("--work-dir", help="where the emulator's configuration is written")
    parser.add_argument("--emulator-nice", type=int, default=0,
                        help="nice increment of the emulator (it busy-polls several threads)")
    parser.add_argument("--emulator-cpus", type=lambda s: {int(c) for c in s.split(",")},
                        help="CPUs the emulator may run on, e.g. 1 or 2,3 (its busy-polling "
                        "threads then leave the others to the harness)")
    parser.add_argument("--log-level", default="warning",
                        choices=["none", "error", "warning", "info", "debug"])
    parser.add_argument("--max-log-lines", type=int, default=200,
                        help="emulator output lines repeated on stderr per session")
    args = parser.parse_args()
    if not args.listen:
        sys.exit("adapter.py: no listen address (--listen or PLUGFEST_ADAPTER_LISTEN)")
    if not args.emulator or not os.access(args.emulator, os.X_OK):
        sys.exit("adapter.py: no ru_emulator binary (--emulator or PLUGFEST_SRSRAN_RU_EMULATOR): "
                 + repr(args.emulator))
    if shutil.which("setpriv") is None:
        sys.exit("adapter.py: setpriv (util-linux) is needed to start the emulator without "
                 "CAP_SYS_NICE")
    cleanup = None
    if not args.work_dir:
        args.work_dir = cleanup = tempfile.mkdtemp(prefix="plugfest-ru-emulator-")

    global grpc
    import grpc
    example = load_example_adapter()
    example.load_stubs(args.stubs)

    stop_event = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop_event.set())
    service = RuEmulatorAdapter(args, example.adapter_pb2, stop_event)
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    example.adapter_pb2_grpc.add_AdapterServicer_to_server(service, server)
    example.health_pb2_grpc.add_HealthServicer_to_server(example.Health(), server)
    if not args.listen.startswith("unix:"):
        log("warning: serving on " + args.listen + " without TLS: anyone who can reach it may "
            "call Shutdown")
    if server.add_insecure_port(args.listen) == 0:
        sys.exit("adapter.py: cannot listen on " + args.listen)
    server.start()
    log("serving on %s for %s on %s" % (args.listen, args.emulator, args.interface))
    try:
        stop_event.wait()
    finally:
        service.close()
        server.stop(grace=0.5).wait()
        if cleanup:
            shutil.rmtree(cleanup, True)


if __name__ == "__main__":
    main()
