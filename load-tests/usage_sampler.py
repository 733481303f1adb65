#!/usr/bin/env python3
"""Samples the stack under test once a second until the gateway exits (lt_start_sampler in lib.sh).

One line per sample: epoch seconds, the gateway's CPU ticks (user + system), its RSS in kB, the consumers' total lag
in records (from the gateway's metrics), the CPU ticks of the Kafka + Mongo JVM, and the machine's busy ticks (all
CPUs, everything but idle and iowait), so that a phase's CPU splits into the gateway, the infrastructure and the rest.

One process for the whole run: the shell loop it replaces started a curl, three awks and a date every second, about
a tenth of a core of the 2 the benchmark measures on (RESULTS.md, Fixes, eleventh session).
"""
import sys
import time
import urllib.request

LAG = b'skywatch_consumer_lag_records{'


def cpu_ticks(pid):
    """utime + stime of a process, or 0 once it is gone."""
    try:
        with open(f'/proc/{pid}/stat') as f:
            # The command name may hold spaces and parentheses: the fields start after its closing one.
            fields = f.read().rsplit(')', 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def rss_kb(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1])
    return 0


def machine_busy_ticks():
    with open('/proc/stat') as f:
        cpu = f.readline().split()
    user, nice, system, _idle, _iowait, irq, softirq = (int(v) for v in cpu[1:8])
    return user + nice + system + irq + softirq


def consumer_lag(metrics_url):
    """The consumers' lag summed over all streams and partitions; 0 when the metrics cannot be read."""
    try:
        with urllib.request.urlopen(metrics_url, timeout=5) as response:
            body = response.read()
    except OSError:
        return 0
    total = 0.0
    for line in body.splitlines():
        if line.startswith(LAG):
            total += float(line.rsplit(b' ', 1)[1])
    return int(total)


def main():
    out, gateway, infra, metrics_url = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
    with open(out, 'w', buffering=1) as f:
        while True:
            try:
                rss = rss_kb(gateway)
            except OSError:
                return
            lag = consumer_lag(metrics_url)
            f.write(f'{time.time():.3f} {cpu_ticks(gateway)} {rss} {lag} {cpu_ticks(infra)} {machine_busy_ticks()}\n')
            time.sleep(1)


if __name__ == '__main__':
    main()
