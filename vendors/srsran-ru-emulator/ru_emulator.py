"""srsRAN_Project's RU emulator (apps/examples/ofh/ru_emulator) as a plugfest DUT.

Three parts, each testable without gRPC (ru_emulator_test.py):
- plan_session: what a PrepareSession asks, checked against what the emulator can do, as
  an EmulatorConfig; its yaml() is the emulator's configuration file (`ru_emulator -c`).
- StatisticsParser: the table the emulator prints once a second (a header line naming the
  columns, then one row per second with the counts of that second) summed into Totals.
- EmulatorProcess: the emulator started without CAP_SYS_NICE (and RLIMIT_RTPRIO 0), so its
  busy-polling threads stay in the normal scheduler; its output read through a pseudo
  terminal (it writes through stdio, which would buffer a pipe for many seconds).

What the emulator does, read from its source: it receives eCPRI over an AF_PACKET socket on
one interface (and sets that interface's MTU to 9000, hence CAP_NET_ADMIN besides
CAP_NET_RAW), runs at 30 kHz subcarrier spacing only, sends VLAN-tagged frames (VLAN 1..4094,
PCP 0) to one O-DU MAC, answers every UL C-plane request on a configured port with U-plane
of the whole carrier (pseudo-random IQ, udCompHdr in every section), answers PRACH requests
likewise, and counts reception-window outcomes against its own GPS-time clock. It decodes
no DL U-plane payload and offers no M-plane.
"""

import dataclasses
import os
import re
import resource
import signal
import subprocess
import threading
import time

# PRBs of a carrier at 30 kHz subcarrier spacing (FR1) for each bandwidth the emulator
# accepts (its --bandwidth check).
PRBS_TO_MHZ_30KHZ = {11: 5, 24: 10, 38: 15, 51: 20, 65: 25, 78: 30, 106: 40, 133: 50,
                     162: 60, 189: 70, 217: 80, 245: 90, 273: 100}

# UL compression the emulator can send: its udCompHdr check accepts 0x00 and 0x91 only.
UL_COMPRESSION = {("bfp", 9), ("none", 16)}

# The emulator keeps at most four eAxC per list and eAxC values up to 32 (ofh_constants.h).
MAX_PORTS_PER_LIST = 4
MAX_EAXC_VALUE = 32

MAC_PATTERN = re.compile(r"^[0-9a-f]{2}(:[0-9a-f]{2}){5}$")


class SessionError(Exception):
    """A request the emulator cannot honour: `field` names the request's field."""

    def __init__(self, field, message):
        super().__init__(field + ": " + message)
        self.field = field
        self.message = message


@dataclasses.dataclass(frozen=True)
class EmulatorConfig:
    interface: str
    ru_mac: str
    du_mac: str
    vlan: int
    bandwidth_mhz: int
    ul_method: str
    ul_width: int
    dl_ports: tuple
    ul_ports: tuple
    prach_ports: tuple
    log_level: str = "warning"

    def yaml(self):
        """The emulator's configuration file (its CLI11 YAML schema: log, ru_emu.cells)."""
        ports = lambda p: "[" + ", ".join(str(x) for x in p) + "]"  # noqa: E731
        return "\n".join([
            "# Written by plugfest's srsran-ru-emulator adapter for one session.",
            "log:",
            "  filename: stdout",
            "  level: " + self.log_level,
            "ru_emu:",
            "  cells:",
            "    - network_interface: " + self.interface,
            "      ru_mac_addr: " + self.ru_mac,
            "      du_mac_addr: " + self.du_mac,
            "      vlan_tag: " + str(self.vlan),
            "      bandwidth: " + str(self.bandwidth_mhz),
            "      compr_method_ul: " + self.ul_method,
            "      compr_bitwidth_ul: " + str(self.ul_width),
            "      dl_port_id: " + ports(self.dl_ports),
            "      ul_port_id: " + ports(self.ul_ports),
            "      prach_port_id: " + ports(self.prach_ports),
            "",
        ])


def eaxc_value(split, ru_port):
    """The eAxC ID of RU port `ru_port` with DU port, band sector and CC 0."""
    if ru_port >= (1 << split["ru_port_bits"]):
        raise SessionError("eaxc_split.ru_port_bits",
                           "%d bits cannot hold RU port %d" % (split["ru_port_bits"], ru_port))
    return ru_port


def plan_session(*, interface, ru_mac, du_mac, vlan, numerology, carrier_prbs, antennas,
                 eaxc_split, ul_method, ul_width):
    """The emulator's configuration for one session, or SessionError naming what it lacks.

    Data of antenna a travels on RU port a, its PRACH on RU port antennas + a, as the
    harness allocates them.
    """
    if numerology != 1:
        raise SessionError("numerology", "%d asked; the emulator runs at 30 kHz (numerology 1) "
                           "only" % numerology)
    if carrier_prbs not in PRBS_TO_MHZ_30KHZ:
        raise SessionError("carrier_prbs", "%d PRBs is no bandwidth the emulator runs at 30 kHz "
                           "(PRBs: %s)" % (carrier_prbs,
                                           ", ".join(str(p) for p in sorted(PRBS_TO_MHZ_30KHZ))))
    if not 1 <= antennas <= MAX_PORTS_PER_LIST:
        raise SessionError("antenna_ports", "%d asked; the emulator takes 1..%d ports per "
                           "direction" % (antennas, MAX_PORTS_PER_LIST))
    if (ul_method, ul_width) not in UL_COMPRESSION:
        raise SessionError("ul_compression", "%s %d asked; the emulator sends UL as bfp 9 or "
                           "none 16 only" % (ul_method, ul_width))
    if not 1 <= vlan <= 4094:
        raise SessionError("harness_endpoint.ethernet.vlan_id",
                           "%d; the emulator sends VLAN-tagged frames only (VLAN 1..4094)" % vlan)
    for field, mac in (("harness_endpoint.ethernet.mac", du_mac), ("emulator MAC", ru_mac)):
        if not MAC_PATTERN.match(mac or ""):
            raise SessionError(field, "%r is no MAC address (aa:bb:cc:dd:ee:ff)" % mac)
    if not interface:
        raise SessionError("interface", "the adapter was given no interface for the emulator")
    data = tuple(eaxc_value(eaxc_split, a) for a in range(antennas))
    prach = tuple(eaxc_value(eaxc_split, antennas + a) for a in range(antennas))
    if max(prach) > MAX_EAXC_VALUE:
        raise SessionError("antenna_ports", "PRACH eAxC %d beyond the emulator's %d"
                           % (max(prach), MAX_EAXC_VALUE))
    return EmulatorConfig(interface=interface, ru_mac=ru_mac, du_mac=du_mac, vlan=vlan,
                          bandwidth_mhz=PRBS_TO_MHZ_30KHZ[carrier_prbs], ul_method=ul_method,
                          ul_width=ul_width, dl_ports=data, ul_ports=data, prach_ports=prach)


# ---- Statistics ----

ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
TIME_CELL = re.compile(r"^\d{2}:\d{2}:\d{2}$")

# Counters fields and the emulator's columns that add up to each.
COUNTER_COLUMNS = {
    "rx_on_time": ("RX_ON_TIME", "RX_ON_TIME_C", "RX_ON_TIME_C_U"),
    "rx_early": ("RX_EARLY", "RX_EARLY_C", "RX_EARLY_C_U"),
    "rx_late": ("RX_LATE", "RX_LATE_C", "RX_LATE_C_U"),
    "rx_dropped": ("RX_ERR_DROP",),
    "rx_malformed": ("RX_CORRUPT",),
    "tx_total": ("TX_TOTAL",),
}
# Sequence-ID errors per eAxC ("a/b/c/d"): no Counters field, reported in the adapter's log.
SEQUENCE_COLUMNS = ("RX_SEQ_ERR", "RX_SEQ_ERR_C", "RX_SEQ_ERR_C_U", "RX_SEQ_ERR_PRACH")


class StatisticsParser:
    """Reads the emulator's output line by line; sums the per-second statistics rows.

    feed() answers "header", "row" or "text" (anything else: a log line, a warning); a row
    before any header, or with another number of cells, or with a cell that is no count, is
    text. totals() are the sums since the last reset(); rows counts rows summed.
    """

    def __init__(self):
        self.columns = None
        self.last_row = {}
        self.reset()

    def reset(self):
        self.sums = {}
        self.rows = 0

    def feed(self, line):
        cells = self._cells(line)
        if cells is None:
            return "text"
        if "RX_TOTAL" in cells and "TX_TOTAL" in cells:
            self.columns = cells
            return "header"
        if self.columns is None or len(cells) != len(self.columns) or not TIME_CELL.match(cells[0]):
            return "text"
        values = {}
        for name, cell in zip(self.columns[1:], cells[1:]):
            parts = cell.split("/") if name in SEQUENCE_COLUMNS else [cell]
            if not all(p.isdigit() for p in parts):
                return "text"
            values[name] = sum(int(p) for p in parts)
        for name, value in values.items():
            if name != "ID":
                self.sums[name] = self.sums.get(name, 0) + value
        self.rows += 1
        self.last_row = values
        return "row"

    @staticmethod
    def _cells(line):
        text = ANSI_ESCAPE.sub("", line).strip()
        if not (text.startswith("|") and text.endswith("|")):
            return None
        return [c.strip() for c in text[1:-1].split("|")]

    def totals(self):
        """Counters fields (COUNTER_COLUMNS) and sequence errors per column."""
        out = {field: sum(self.sums.get(c, 0) for c in columns)
               for field, columns in COUNTER_COLUMNS.items()}
        out["sequence_errors"] = {c: self.sums.get(c, 0) for c in SEQUENCE_COLUMNS}
        return out


class LineDigest:
    """Keeps a log readable when the emulator repeats itself (a warning per packet or per late
    wake-up): add() is True for the first `keep` lines of each pattern (the line without its
    timestamp, digits as '#'); summary() names how many of each were held back, and forgets."""

    TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T[\d:.]+\s*")
    DIGITS = re.compile(r"\d+")

    def __init__(self, keep=3):
        self.keep = keep
        self.seen = {}

    def add(self, line):
        key = self.DIGITS.sub("#", self.TIMESTAMP.sub("", line))
        self.seen[key] = self.seen.get(key, 0) + 1
        return self.seen[key] <= self.keep

    def summary(self):
        out = ["%d more like: %s" % (n - self.keep, key) for key, n in self.seen.items()
               if n > self.keep]
        self.seen = {}
        return out


# ---- Process ----

CAP_NET_ADMIN = 12
CAP_NET_RAW = 13
CAP_SYS_NICE = 23


def effective_capabilities(pid="self"):
    """The CapEff bit set of a process, from /proc."""
    with open("/proc/%s/status" % pid) as f:
        for line in f:
            if line.startswith("CapEff:"):
                return int(line.split()[1], 16)
    return 0


def missing_capabilities():
    """Names of the capabilities the emulator needs that this process lacks."""
    caps = effective_capabilities()
    return [name for bit, name in ((CAP_NET_RAW, "CAP_NET_RAW"), (CAP_NET_ADMIN, "CAP_NET_ADMIN"))
            if not caps & (1 << bit)]


def launch_command(binary, config_file):
    """The emulator's command line: CAP_SYS_NICE dropped from its bounding, inheritable and
    ambient sets (so it cannot make its threads real-time), CAP_NET_RAW and CAP_NET_ADMIN kept
    (made ambient so a non-root adapter holding them passes them on)."""
    return ["setpriv", "--inh-caps", "-all,+net_raw,+net_admin",
            "--ambient-caps", "-all,+net_raw,+net_admin", "--bounding-set", "-sys_nice",
            "--", binary, "-c", config_file]


class EmulatorProcess:
    """One running emulator; its output parsed as it arrives.

    `on_text` receives every output line that is not statistics (log lines, warnings),
    `on_row` the counts of each statistics row (column name -> count).
    """

    READY_TEXT = "Running. Waiting for incoming packets"

    def __init__(self, command, on_text=None, on_row=None, nice=0, cpus=None):
        self.parser = StatisticsParser()
        self.on_text = on_text or (lambda line: None)
        self.on_row = on_row or (lambda values: None)
        self.lock = threading.Condition()
        self.ready = False
        self.row_count = 0    # rows seen since start
        self.last_row_time = 0.0
        self.tail = []        # last text lines, for errors
        self.exit_status = None
        master, slave = os.openpty()

        def child_setup():  # the child stays in the adapter's process group
            resource.setrlimit(resource.RLIMIT_RTPRIO, (0, 0))
            if nice:
                os.nice(nice)
            if cpus:
                os.sched_setaffinity(0, cpus)

        try:
            self.proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=slave,
                                         stderr=slave, preexec_fn=child_setup, close_fds=True)
        finally:
            os.close(slave)
        self.master = master
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    @property
    def pid(self):
        return self.proc.pid

    def _read(self):
        pending = b""
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the terminal's other side closed (the process ended)
                chunk = b""
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                self._line(raw.decode("utf-8", "replace").rstrip("\r"))
        if pending:
            self._line(pending.decode("utf-8", "replace").rstrip("\r"))
        os.close(self.master)
        status = self.proc.wait()
        with self.lock:
            self.exit_status = status
            self.lock.notify_all()

    def _line(self, line):
        with self.lock:
            kind = self.parser.feed(line)
            if kind == "row":
                self.row_count += 1
                self.last_row_time = time.monotonic()
            elif kind == "text" and line.strip():
                self.tail = (self.tail + [ANSI_ESCAPE.sub("", line)])[-20:]
                if self.READY_TEXT in line:
                    self.ready = True
            self.lock.notify_all()
        if kind == "text" and line.strip():
            self.on_text(ANSI_ESCAPE.sub("", line))
        elif kind == "row":
            self.on_row(self.parser.last_row)

    def running(self):
        with self.lock:
            return self.exit_status is None

    def describe_exit(self):
        with self.lock:
            status = self.exit_status
            tail = " | ".join(self.tail[-6:])
        how = ("killed by signal %d" % -status) if status is not None and status < 0 else (
            "exited with status %s" % status)
        return "the emulator " + how + (("; its last output: " + tail) if tail else "")

    def wait_ready(self, timeout):
        """True once the emulator printed that it runs; False when it ended or timed out."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while not self.ready and self.exit_status is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.lock.wait(left)
            return self.ready and self.exit_status is None

    def wait_fresh_row(self, timeout):
        """Waits for a statistics row printed after this call, so the totals include what
        the emulator counted up to now. False when none came in time or the emulator ended."""
        deadline = time.monotonic() + timeout
        with self.lock:
            seen = self.row_count
            while self.row_count == seen and self.exit_status is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.lock.wait(left)
            return self.row_count > seen

    def totals(self):
        with self.lock:
            return self.parser.totals()

    def reset_totals(self):
        with self.lock:
            self.parser.reset()

    def stop(self, grace=5.0):
        """SIGINT (the emulator stops its workers and exits), SIGKILL after `grace` s."""
        if self.running():
            try:
                self.proc.send_signal(signal.SIGINT)
            except ProcessLookupError:
                pass
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        with self.lock:
            self.exit_status = self.proc.returncode
        self.reader.join(2.0)
