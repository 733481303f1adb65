#!/usr/bin/env python3
"""Prints the summary of one load-tests/run: Gatling's figures plus the gateway's own counters and usage."""
import argparse, os, re

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?\s+(\S+)$')


def scrape(path):
    series = {}
    with open(path) as f:
        for line in f:
            m = SAMPLE.match(line.strip())
            if m and not line.startswith('#'):
                series[(m.group(1), m.group(2) or '')] = float(m.group(3))
    return series


def total(series, name, *labels):
    return sum(v for (n, l), v in series.items() if n == name and all(x in l for x in labels))


def delta(before, after, name, *labels):
    return total(after, name, *labels) - total(before, name, *labels)


def quantile(before, after, name, q, *labels):
    """Upper bound of the histogram bucket holding quantile q of what was recorded between the scrapes."""
    buckets = {}
    for (n, l), v in after.items():
        if n == name and all(x in l for x in labels):
            le = re.search(r'le="([^"]+)"', l).group(1)
            buckets[le] = buckets.get(le, 0) + v - before.get((n, l), 0)
    if not buckets or buckets.get('+Inf', 0) <= 0:
        return None
    count = buckets['+Inf']
    for le, cumulative in sorted(((float(k), v) for k, v in buckets.items()), key=lambda kv: kv[0]):
        if cumulative >= q * count:
            return le
    return float('inf')


def gatling_stats(path):
    """Gatling 3.14's HTML report keeps no stats JSON; its console "Global Information" block has the figures:
    name -> (total, ok, ko) as printed (with thousands separators). Empty when the log is missing."""
    stats = {}
    if not os.path.exists(path):
        return stats
    with open(path, errors='replace') as f:
        for line in f:
            m = re.match(r'^> (.+?)\s+\|\s+(\S+)\s+\|\s+(\S+)\s+\|\s+(\S+)', line)
            if m:
                stats[m.group(1).strip()] = (m.group(2), m.group(3), m.group(4))
    return stats


def seconds(text):
    t = text.strip().lower()
    for suffix, factor in (('ms', 0.001), ('s', 1), ('m', 60)):
        if t.endswith(suffix):
            return float(t[:-len(suffix)]) * factor
    return float(t)


def main():
    p = argparse.ArgumentParser()
    for a in ('--simulation', '--gatling-log', '--before', '--after', '--usage', '--rate', '--duration', '--batch-size'):
        p.add_argument(a)
    args = p.parse_args()
    before, after = scrape(args.before), scrape(args.after)

    stats = gatling_stats(args.gatling_log)
    extra = []
    with open(args.gatling_log, errors='replace') as f:
        for line in f:
            if line.startswith(('PUSH LATENCY', 'RECOVERY')):
                extra.append(line.strip())
    usage = []
    with open(args.usage) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3:
                usage.append((float(parts[0]), float(parts[1]), int(parts[2])))

    print()
    print(f"== Skywatch load test: {args.simulation}, offered rate {args.rate}/s for {args.duration} ==")
    if 'request count' in stats:
        total_, ok, ko = stats['request count']
        print(f"requests      {total_} total, {ok} ok, {ko if ko != '-' else 0} failed; "
              f"{stats.get('mean throughput (rps)', ('?',))[0]} req/s mean (Gatling)")
        pick = lambda key: stats.get(key, ('?',))[0]
        print(f"HTTP latency  p50 {pick('response time 50th percentile (ms)')} ms, "
              f"p75 {pick('response time 75th percentile (ms)')} ms, p95 {pick('response time 95th percentile (ms)')} ms, "
              f"p99 {pick('response time 99th percentile (ms)')} ms, max {pick('max response time (ms)')} ms")
    else:
        print("requests      (no Gatling statistics in its log)")
    wall = seconds(args.duration)
    for stream in ('rockets', 'sensors'):
        accepted = delta(before, after, 'skywatch_ingest_events_total', f'stream="{stream}"', 'outcome="accepted"')
        if accepted > 0:
            print(f"accepted      {stream}: {accepted:.0f} events ({accepted / wall:.0f}/s over the plateau)")
    refused = {s: delta(before, after, 'http_server_requests_seconds_count', f'status="{s}"') for s in ('503', '429')}
    print(f"refused       503: {refused['503']:.0f}, 429: {refused['429']:.0f}")
    for stream in ('rockets', 'sensors'):
        p50 = quantile(before, after, 'skywatch_pipeline_lag_seconds_bucket', 0.5, f'stream="{stream}"')
        p99 = quantile(before, after, 'skywatch_pipeline_lag_seconds_bucket', 0.99, f'stream="{stream}"')
        if p50 is not None:
            print(f"to Mongo      {stream}: accepted -> stored p50 <= {p50 * 1000:.0f} ms, p99 <= {p99 * 1000:.0f} ms "
                  f"(histogram bucket bounds)")
    for line in extra:
        print(f"{line.split()[0].lower():13} {line}")
    if len(usage) >= 2:
        ticks = os.sysconf('SC_CLK_TCK')
        cores = (usage[-1][1] - usage[0][1]) / ticks / (usage[-1][0] - usage[0][0])
        rss = [u[2] for u in usage]
        print(f"gateway       CPU {cores:.2f} cores on average; RSS {min(rss) // 1024}-{max(rss) // 1024} MB "
              f"(last {rss[-1] // 1024} MB)")


if __name__ == '__main__':
    main()
