#!/usr/bin/python3
"""Tests of ru_emulator.py (configuration, statistics, process) and of adapter.py over gRPC,
both against fake_ru_emulator.py, so they run where srsRAN's emulator is not built.

Usage: ru_emulator_test.py [--stubs DIR] [unittest arguments]
"""

import os
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ru_emulator  # noqa: E402

FAKE = os.path.join(HERE, "fake_ru_emulator.py")
STUBS = None

SESSION = dict(interface="veth-ru", ru_mac="02:00:00:00:00:02", du_mac="02:00:00:00:00:01",
               vlan=6, numerology=1, carrier_prbs=273, antennas=4,
               eaxc_split={"ru_port_bits": 4}, ul_method="bfp", ul_width=9)


def plan(**changes):
    return ru_emulator.plan_session(**{**SESSION, **changes})


class PlanSessionTest(unittest.TestCase):
    def test_a_profile_session_becomes_the_emulators_configuration(self):
        config = plan()
        self.assertEqual(config.bandwidth_mhz, 100)
        self.assertEqual(config.dl_ports, (0, 1, 2, 3))
        self.assertEqual(config.ul_ports, (0, 1, 2, 3))
        self.assertEqual(config.prach_ports, (4, 5, 6, 7))
        text = config.yaml()
        for line in ("    - network_interface: veth-ru", "      ru_mac_addr: 02:00:00:00:00:02",
                     "      du_mac_addr: 02:00:00:00:00:01", "      vlan_tag: 6",
                     "      bandwidth: 100", "      compr_method_ul: bfp",
                     "      compr_bitwidth_ul: 9", "      prach_port_id: [4, 5, 6, 7]",
                     "  filename: stdout"):
            self.assertIn(line + "\n", text)

    def test_bandwidths_follow_the_30_khz_prb_table(self):
        self.assertEqual(plan(carrier_prbs=106).bandwidth_mhz, 40)
        self.assertEqual(plan(carrier_prbs=51, antennas=2).prach_ports, (2, 3))

    def test_what_the_emulator_cannot_do_is_refused_naming_the_field(self):
        cases = [
            (dict(numerology=0), "numerology", "30 kHz"),
            (dict(carrier_prbs=100), "carrier_prbs", "no bandwidth"),
            (dict(antennas=8), "antenna_ports", "1..4"),
            (dict(antennas=0), "antenna_ports", "1..4"),
            (dict(ul_method="bfp", ul_width=14), "ul_compression", "bfp 9 or none 16"),
            (dict(ul_method="none", ul_width=9), "ul_compression", "bfp 9 or none 16"),
            (dict(vlan=0), "harness_endpoint.ethernet.vlan_id", "VLAN-tagged"),
            (dict(vlan=4095), "harness_endpoint.ethernet.vlan_id", "1..4094"),
            (dict(du_mac="02:00:00:00:01"), "harness_endpoint.ethernet.mac", "no MAC"),
            (dict(eaxc_split={"ru_port_bits": 2}), "eaxc_split.ru_port_bits", "RU port 4"),
            (dict(interface=""), "interface", "no interface"),
        ]
        for changes, field, text in cases:
            with self.subTest(changes=changes):
                with self.assertRaises(ru_emulator.SessionError) as raised:
                    plan(**changes)
                self.assertEqual(raised.exception.field, field)
                self.assertIn(text, str(raised.exception))


HEADER = ("\x1b[1m| {:^8} | ID  | RX_TOTAL | RX_ON_TIME | RX_EARLY | RX_LATE | RX_SEQ_ERR | "
          "RX_ON_TIME_C | RX_EARLY_C | RX_LATE_C | RX_SEQ_ERR_C | RX_ON_TIME_C_U | RX_EARLY_C_U | "
          "RX_LATE_C_U | RX_SEQ_ERR_C_U | RX_SEQ_ERR_PRACH | RX_CORRUPT | RX_ERR_DROP | "
          "TX_TOTAL |\n\x1b[0m").format("TIME")


def stats_row(*cells):
    return "| " + " | ".join(str(c) for c in cells) + " |\n"


ROW = stats_row("16:40:01", 0, 120, 50, 3, 7, "1/0/2/0", 20, 1, 0, "0/0/0/0", 30, 0, 2,
                "0/0/0/0", "0/1/0/0", 4, 5, 160)


class StatisticsParserTest(unittest.TestCase):
    def test_rows_after_the_header_are_summed_into_counters(self):
        p = ru_emulator.StatisticsParser()
        self.assertEqual(p.feed(HEADER), "header")
        self.assertEqual(p.feed(ROW), "row")
        self.assertEqual(p.feed(ROW.replace("16:40:01", "16:40:02")), "row")
        t = p.totals()
        self.assertEqual(t["rx_on_time"], 2 * (50 + 20 + 30))
        self.assertEqual(t["rx_early"], 2 * (3 + 1 + 0))
        self.assertEqual(t["rx_late"], 2 * (7 + 0 + 2))
        self.assertEqual(t["rx_malformed"], 8)
        self.assertEqual(t["rx_dropped"], 10)
        self.assertEqual(t["tx_total"], 320)
        self.assertEqual(t["sequence_errors"]["RX_SEQ_ERR"], 6)
        self.assertEqual(t["sequence_errors"]["RX_SEQ_ERR_PRACH"], 2)
        p.reset()
        self.assertEqual(p.totals()["tx_total"], 0)
        self.assertEqual(p.rows, 0)

    def test_anything_else_is_text_and_counts_nothing(self):
        p = ru_emulator.StatisticsParser()
        self.assertEqual(p.feed(ROW), "text")  # no header yet
        p.feed(HEADER)
        for line in ["Running. Waiting for incoming packets...",
                     "2026-12-03T16:40:01 [RU_EMU] [W] Packet is corrupt: unknown filter index",
                     "| 16:40:01 | 0 | 1 |",                  # wrong number of cells
                     ROW.replace("| 50 |", "| 5x |"),          # a cell that is no count
                     ROW.replace("1/0/2/0", "1/-/2/0"),
                     ROW.replace("16:40:01", "later"),
                     "", "|", "||"]:
            with self.subTest(line=line):
                self.assertEqual(p.feed(line), "text")
        self.assertEqual(p.rows, 0)
        self.assertEqual(p.totals()["rx_on_time"], 0)


class LineDigestTest(unittest.TestCase):
    def test_repeated_lines_are_kept_a_few_times_then_counted(self):
        d = ru_emulator.LineDigest(keep=2)
        late = "2026-12-03T17:00:39.%06d [RU_EMU  ] [W] RU emulator timing worker woke up late, " \
               "sleep time has been '%dus'"
        shown = [d.add(late % (i, 500 + i)) for i in range(5)]
        self.assertEqual(shown, [True, True, False, False, False])
        self.assertTrue(d.add("Running. Waiting for incoming packets..."))
        self.assertEqual(d.summary(), ["3 more like: [RU_EMU  ] [W] RU emulator timing worker "
                                       "woke up late, sleep time has been '#us'"])
        self.assertEqual(d.summary(), [])
        self.assertTrue(d.add(late % (9, 9)))


def write_config(folder):
    path = os.path.join(folder, "ru_emulator.yml")
    with open(path, "w") as f:
        f.write(plan().yaml())
    return path


@unittest.skipUnless(os.geteuid() == 0, "setpriv can raise ambient capabilities only as root "
                     "here (the emulator needs CAP_NET_RAW and CAP_NET_ADMIN)")
class EmulatorProcessTest(unittest.TestCase):
    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.config = write_config(self.folder.name)
        self.text = []

    def tearDown(self):
        self.folder.cleanup()

    def start(self, env=None):
        old = dict(os.environ)
        os.environ.update(env or {})
        try:
            return ru_emulator.EmulatorProcess(
                ru_emulator.launch_command(FAKE, self.config), on_text=self.text.append)
        finally:
            os.environ.clear()
            os.environ.update(old)

    def test_it_runs_without_cap_sys_nice_or_real_time_limit_and_stops_on_sigint(self):
        p = self.start()
        try:
            self.assertTrue(p.wait_ready(10), p.describe_exit())
            self.assertTrue(p.wait_fresh_row(5))
            caps = [t for t in self.text if t.startswith("capabilities:")]
            self.assertEqual(len(caps), 1, self.text)
            eff = int(caps[0].split("CapEff=")[1].split()[0], 16)
            self.assertFalse(eff & (1 << ru_emulator.CAP_SYS_NICE), caps[0])
            self.assertTrue(eff & (1 << ru_emulator.CAP_NET_RAW), caps[0])
            self.assertTrue(eff & (1 << ru_emulator.CAP_NET_ADMIN), caps[0])
            self.assertIn("RLIMIT_RTPRIO=0", caps[0])
            self.assertIn("config: - network_interface: veth-ru", self.text)
        finally:
            p.stop()
        self.assertFalse(p.running())
        self.assertIn("exited with status 0", p.describe_exit())
        self.assertIn("RU emulator app stopped", self.text)

    def test_totals_add_the_rows_printed_since_the_last_reset(self):
        printed = []
        p = ru_emulator.EmulatorProcess(ru_emulator.launch_command(FAKE, self.config),
                                        on_row=printed.append)
        try:
            self.assertTrue(p.wait_ready(10))
            self.assertTrue(p.wait_fresh_row(5))
            p.reset_totals()
            self.assertTrue(p.wait_fresh_row(5))
            self.assertTrue(p.wait_fresh_row(5))
            t = p.totals()
            rows = t["tx_total"] // 8
            self.assertGreaterEqual(rows, 2)
            self.assertEqual(t["rx_on_time"], 8 * rows)
            self.assertEqual(t["rx_early"], rows)
            self.assertEqual(t["rx_late"], rows)
            self.assertEqual(t["rx_malformed"], rows)
            self.assertEqual(t["rx_dropped"], 2 * rows)
        finally:
            p.stop()
        self.assertGreaterEqual(len(printed), 3)
        self.assertEqual(printed[0]["TX_TOTAL"], 8)
        self.assertEqual(printed[0]["RX_SEQ_ERR"], 1)

    def test_an_emulator_that_fails_at_start_is_reported_with_its_output(self):
        p = self.start({"FAKE_RU_FAIL": "1"})
        self.assertFalse(p.wait_ready(10))
        p.stop()
        message = p.describe_exit()
        self.assertIn("exited with status 1", message)
        self.assertIn("Unable to open raw socket", message)

    def test_one_that_ignores_sigint_is_killed(self):
        p = ru_emulator.EmulatorProcess(["/bin/sh", "-c", "trap '' INT; echo Running. Waiting "
                                         "for incoming packets; exec sleep 30"])
        self.assertTrue(p.wait_ready(10))
        started = time.monotonic()
        p.stop(grace=0.5)
        self.assertLess(time.monotonic() - started, 10)
        self.assertIn("killed by signal 9", p.describe_exit())


def load_stubs():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        "plugfest_example_adapter", os.path.join(HERE, "..", "examples", "python-adapter",
                                                 "adapter.py"))
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    example.load_stubs(STUBS)
    return example


@unittest.skipUnless(os.geteuid() == 0, "the adapter starts the emulator with CAP_NET_RAW and "
                     "CAP_NET_ADMIN, which needs root here")
class AdapterTest(unittest.TestCase):
    """adapter.py launched as the harness launches it, with the fake emulator on `lo`."""

    @classmethod
    def setUpClass(cls):
        import grpc
        cls.grpc = grpc
        cls.example = load_stubs()
        cls.pb = cls.example.adapter_pb2

    def setUp(self):
        self.folder = tempfile.TemporaryDirectory()
        self.socket = os.path.join(self.folder.name, "adapter.sock")
        self.stderr = open(os.path.join(self.folder.name, "stderr"), "w+")
        args = [sys.executable, os.path.join(HERE, "adapter.py"), "--listen",
                "unix:" + self.socket, "--interface", "lo", "--emulator", FAKE,
                "--work-dir", self.folder.name]
        if STUBS:
            args += ["--stubs", STUBS]
        self.proc = subprocess.Popen(args, stderr=self.stderr)
        self.channel = self.grpc.insecure_channel("unix:" + self.socket)
        self.grpc.channel_ready_future(self.channel).result(timeout=30)
        self.stub = self.example.adapter_pb2_grpc.AdapterStub(self.channel)

    def tearDown(self):
        self.channel.close()
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(10)
        self.stderr.close()
        self.folder.cleanup()

    def log(self):
        self.stderr.seek(0)
        return self.stderr.read()

    def request(self, **changes):
        pb = self.pb
        r = pb.PrepareSessionRequest(
            session_id="s1",
            harness_endpoint=pb.FronthaulEndpoint(ethernet=pb.EthernetEndpoint(
                interface="veth-h", mac="02:00:00:00:00:01", vlan_id=6, priority=7)),
            eaxc_split=pb.EaxcBitSplit(du_port_bits=2, band_sector_bits=6, cc_bits=4, ru_port_bits=4),
            numerology=1, carrier_prbs=273, antenna_ports=4,
            dl_compression=pb.Compression(method=pb.COMPRESSION_BLOCK_FLOATING_POINT, iq_width=9,
                                          static_header=True),
            ul_compression=pb.Compression(method=pb.COMPRESSION_BLOCK_FLOATING_POINT, iq_width=9,
                                          static_header=True))
        for key, value in changes.items():
            setattr(r, key, value) if not hasattr(value, "CopyFrom") else getattr(r, key).CopyFrom(value)
        return r

    def test_describe_claims_what_the_emulator_does_and_no_instrument(self):
        d = self.stub.Describe(self.pb.DescribeRequest(), timeout=5)
        self.assertEqual(d.role, self.pb.ROLE_O_RU)
        self.assertEqual(list(d.instruments), [])
        self.assertIn("section_type.1", d.capabilities)
        self.assertIn("ethernet", d.capabilities)
        self.assertNotIn("udp", d.capabilities)
        self.assertNotIn("section_type.0", d.capabilities)
        self.assertFalse([c for c in d.capabilities if c.startswith("extension.")])
        self.assertTrue(d.software_version)

    def test_a_session_runs_the_emulator_counts_and_stops_it(self):
        pb = self.pb
        answer = self.stub.PrepareSession(self.request(), timeout=20)
        eth = answer.dut_endpoint.ethernet
        self.assertEqual(eth.interface, "lo")
        self.assertEqual(eth.mac, "00:00:00:00:00:00")
        self.assertEqual(eth.vlan_id, 6)
        with open(os.path.join(self.folder.name, "ru_emulator.yml")) as f:
            config = f.read()
        self.assertIn("du_mac_addr: 02:00:00:00:00:01", config)
        self.assertIn("vlan_tag: 6", config)
        c = self.stub.Counters(pb.CountersRequest(session_id="s1"), timeout=5)
        rows = c.tx_total // 8
        self.assertGreaterEqual(rows, 1)
        self.assertEqual((c.rx_on_time, c.rx_early, c.rx_late, c.rx_malformed, c.rx_dropped),
                         (8 * rows, rows, rows, rows, 2 * rows))
        self.stub.Reset(pb.ResetRequest(session_id="s1"), timeout=5)
        # The same configuration again keeps the running emulator.
        self.stub.PrepareSession(self.request(session_id="s2"), timeout=20)
        self.assertEqual(self.log().count("starting setpriv"), 1, self.log())
        with self.assertRaises(self.grpc.RpcError) as raised:
            self.stub.Counters(pb.CountersRequest(session_id="s1"), timeout=5)
        self.assertEqual(raised.exception.code(), self.grpc.StatusCode.FAILED_PRECONDITION)
        o = self.stub.Observe(pb.ObserveRequest(session_id="s2"), timeout=5)
        self.assertFalse(o.available)
        with self.assertRaises(self.grpc.RpcError) as raised:
            self.stub.Stimulate(pb.StimulateRequest(session_id="s2", ul_air_signal=pb.UlAirSignal()),
                                timeout=5)
        self.assertEqual(raised.exception.code(), self.grpc.StatusCode.UNIMPLEMENTED)
        # Another VLAN restarts it with the new configuration.
        other = self.request(session_id="s3")
        other.harness_endpoint.ethernet.vlan_id = 7
        self.assertEqual(self.stub.PrepareSession(other, timeout=20).dut_endpoint.ethernet.vlan_id, 7)
        self.assertEqual(self.log().count("starting setpriv"), 2, self.log())
        self.assertIn("static_header asked", self.log())
        self.stub.Shutdown(pb.ShutdownRequest(), timeout=5)
        self.assertEqual(self.proc.wait(15), 0)
        self.assertIn("RU emulator app stopped", self.log())

    def test_requests_it_cannot_honour_fail_naming_the_field(self):
        pb = self.pb
        udp = self.request(harness_endpoint=pb.FronthaulEndpoint(
            udp=pb.UdpEndpoint(host="127.0.0.1", port=4000)))
        fifteen_khz = self.request(numerology=0)
        untagged = self.request()
        untagged.harness_endpoint.ethernet.vlan_id = 0
        for request, text in ((udp, "raw Ethernet only"), (fifteen_khz, "numerology"),
                              (untagged, "VLAN-tagged")):
            with self.subTest(text=text):
                with self.assertRaises(self.grpc.RpcError) as raised:
                    self.stub.PrepareSession(request, timeout=20)
                self.assertEqual(raised.exception.code(), self.grpc.StatusCode.FAILED_PRECONDITION)
                self.assertIn(text, raised.exception.details())
        self.assertNotIn("starting setpriv", self.log())


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--stubs":
        STUBS = sys.argv[2]
        del sys.argv[1:3]
    unittest.main()
