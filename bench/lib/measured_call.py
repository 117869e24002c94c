# The measuring both ovirtsdk4 children share (bench/lib/ovirtsdk4-*.py): one call timed by the wall clock
# and this process's CPU time, the RSS just before it and the process's peak RSS, printed as the one JSON
# line bench/lib/child.mjs's lastJsonLine reads.
import json
import time


def status_kib(field):
    """A size from /proc/self/status (VmRSS, VmHWM) in KiB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(field + " is not in /proc/self/status")


def measure(call, describe):
    """Runs call(), then prints the figures and describe(its result): what came back, as a check."""
    rss_before_kib = status_kib("VmRSS")
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    result = call()
    elapsed_us = (time.perf_counter() - t0) * 1e6
    cpu_us = (time.process_time() - cpu0) * 1e6
    report = {"elapsedUs": elapsed_us, "cpuUs": cpu_us, "rssBeforeKiB": rss_before_kib}
    report.update(maxRssKiB=status_kib("VmHWM"), **describe(result))
    print(json.dumps(report))
