#!/usr/bin/python3
"""Test double of srsRAN's ru_emulator for ru_emulator_test.py: it takes `-c FILE`, prints
what the real one prints (the ready line, a bold statistics header, one row per period
with the counts of that period), reports its own capabilities and RLIMIT_RTPRIO as text,
and stops on SIGINT. FAKE_RU_PERIOD_S sets the period (default 0.2 s); FAKE_RU_FAIL=1
makes it fail at start the way the real one does without CAP_NET_RAW.
"""

import os
import resource
import signal
import sys
import time

COLUMNS = ["TIME", "ID", "RX_TOTAL", "RX_ON_TIME", "RX_EARLY", "RX_LATE", "RX_SEQ_ERR",
           "RX_ON_TIME_C", "RX_EARLY_C", "RX_LATE_C", "RX_SEQ_ERR_C", "RX_ON_TIME_C_U",
           "RX_EARLY_C_U", "RX_LATE_C_U", "RX_SEQ_ERR_C_U", "RX_SEQ_ERR_PRACH", "RX_CORRUPT",
           "RX_ERR_DROP", "TX_TOTAL"]


def row(values):
    return "| " + " | ".join(str(v).center(11) for v in values) + " |"


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "-c" or not os.path.exists(sys.argv[2]):
        print("usage: fake_ru_emulator.py -c FILE", file=sys.stderr)
        return 2
    with open(sys.argv[2]) as f:
        for line in f:
            if "network_interface" in line or "vlan_tag" in line:
                print("config: " + line.strip())
    with open("/proc/self/status") as f:
        cap_eff = [line.split()[1] for line in f if line.startswith("CapEff:")][0]
    print("capabilities: CapEff=%s RLIMIT_RTPRIO=%d" % (
        cap_eff, resource.getrlimit(resource.RLIMIT_RTPRIO)[0]))
    if os.environ.get("FAKE_RU_FAIL") == "1":
        print("Unable to open raw socket for Ethernet receiver: Operation not permitted",
              file=sys.stderr)
        return 1
    running = [True]
    signal.signal(signal.SIGINT, lambda *_: running.__setitem__(0, False))
    print("Running. Waiting for incoming packets...")
    print("\x1b[1m" + row(COLUMNS) + "\x1b[0m")
    sys.stdout.flush()
    period = float(os.environ.get("FAKE_RU_PERIOD_S", "0.2"))
    while running[0]:
        time.sleep(period)
        # Each period: 10 received (4 DL U on time, 1 early, 1 late; 2 DL C on time;
        # 2 UL C on time), 1 corrupt, 2 dropped, 8 sent, one DL U sequence error.
        print(row([time.strftime("%H:%M:%S"), 0, 10, 4, 1, 1, "1/0/0/0", 2, 0, 0, "0/0/0/0",
                   2, 0, 0, "0/0/0/0", "0/0", 1, 2, 8]))
        sys.stdout.flush()
    print("\nRU emulator app stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
