#!/usr/bin/env python3
"""Reads the files of one load-tests/benchmark run and prints its Markdown report (or one figure: ok-rate)."""
import argparse, glob, os, re, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import summary  # noqa: E402
from summary import scrape, delta  # noqa: E402


def gatling_stats(path):
    """Gatling's figures with the thousands separators taken out, so they parse as numbers."""
    return {k: tuple(v.replace(',', '') for v in values) for k, values in summary.gatling_stats(path).items()}


def number(text):
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def ok_rate(path):
    """Answered-OK requests per second over the run (Gatling's mean throughput, OK column)."""
    stats = gatling_stats(path)
    return number(stats.get('mean throughput (rps)', (None, None))[1]) or 0.0


def line(path, prefix):
    if not os.path.exists(path):
        return {}
    with open(path, errors='replace') as f:
        for text in f:
            if text.startswith(prefix):
                return dict(kv.split('=', 1) for kv in text[len(prefix):].split() if '=' in kv)
    return {}


def share_within(before, after, stream, bound, metric='skywatch_pipeline_lag_seconds_bucket', match=None):
    """Share of a stream's samples of `metric` (a histogram in seconds) within `bound` seconds, and the bucket
    holding p99; by default: events stored within `bound` seconds of being accepted. `match` selects the series by
    another label instead of the stream."""
    buckets = {}
    for (n, labels), v in after.items():
        if n == metric and (match or f'stream="{stream}"') in labels:
            le = re.search(r'le="([^"]+)"', labels).group(1)
            buckets[float(le)] = buckets.get(float(le), 0) + v - before.get((n, labels), 0)
    count = buckets.get(float('inf'), 0)
    if count <= 0:
        return None, None, 0
    within = max((v for le, v in buckets.items() if le <= bound), default=0) / count
    p99 = next(le for le, v in sorted(buckets.items()) if v >= 0.99 * count)
    return within, p99, count


def own_timing(before, after):
    """The gateway's own timing of rockets requests (`POST /messages`) between two snapshots, against the 25 ms
    target: (share within 25 ms, the bucket holding p99, count), as share_within."""
    return share_within(before, after, None, 0.025, metric='http_server_requests_seconds_bucket',
                        match='uri="/messages"')


def usage(path):
    rows = []
    with open(path) as f:
        for text in f:
            parts = text.split()
            if len(parts) == 4:
                rows.append((float(parts[0]), float(parts[1]), int(parts[2]), float(parts[3]), None, None))
            elif len(parts) == 6:
                rows.append((float(parts[0]), float(parts[1]), int(parts[2]), float(parts[3]), float(parts[4]),
                             float(parts[5])))
    return rows


def span(directory, name):
    """When the load of a phase ran (Gatling's own markers), in epoch seconds."""
    marks = {}
    with open(os.path.join(directory, f'{name}.gatling.log'), errors='replace') as f:
        for text in f:
            m = re.match(r'^SIMULATION (START|END) (\d+)', text)
            if m:
                marks[m.group(1)] = int(m.group(2)) / 1000
    return marks['START'], marks['END']


def stored_rate(directory, name, stream):
    """Events of `stream` stored per second while the phase's load ran (from the gateway's store metrics)."""
    before = scrape(os.path.join(directory, f'{name}.before.txt'))
    after = scrape(os.path.join(directory, f'{name}.after.txt'))
    start, end = span(directory, name)
    stored = delta(before, after, 'skywatch_store_batch_size_records_sum', f'stream="{stream}"')
    return stored / (end - start)


def stored_rate_windows(directory, name, window_seconds=10, settle_seconds=10):
    """Stored events per second in consecutive windows of the phase's load, from `<name>.stored.txt` (epoch seconds
    and the stored count, every few seconds), leaving out its first `settle_seconds` while the consumers start."""
    samples = []
    with open(os.path.join(directory, f'{name}.stored.txt')) as f:
        for text in f:
            parts = text.split()
            if len(parts) == 2:
                samples.append((float(parts[0]), float(parts[1])))
    start, end = span(directory, name)
    samples = [s for s in samples if start + settle_seconds <= s[0] <= end]
    rates, first = [], 0
    for i, (t, count) in enumerate(samples):
        if t - samples[first][0] >= window_seconds:
            rates.append((count - samples[first][1]) / (t - samples[first][0]))
            first = i
    return rates


LEVEL_SETTLE_SECONDS = 5


def staircases(directory):
    """The staircase's runs: `steps`, then the levels above it, one run each, when it kept up at its top level
    (`steps-up-<tenths of the top level>`, load-tests/benchmark)."""
    ups = sorted((int(os.path.basename(p)[len('steps-up-'):-len('.gatling.log')]), p)
                 for p in glob.glob(os.path.join(directory, 'steps-up-*.gatling.log')))
    return existing_runs(directory, ['steps'] + [f'steps-up-{step}' for step, _ in ups])


def pooled_runs(directory, name):
    """The runs of one side of a ratio: `name` and, since the ceiling and gateway phases alternate, `name-2`."""
    return existing_runs(directory, [name, f'{name}-2'])


def existing_runs(directory, names):
    """The names of those runs whose Gatling log is in the directory."""
    return [name for name in names if os.path.exists(os.path.join(directory, f'{name}.gatling.log'))]


def step_levels(directory, name='steps'):
    """The levels of a PeakStepsSimulation run: each level's rate and Gatling's figures (its LEVEL lines), and, from
    the gateway's metrics snapshotted every few seconds into `<name>.metrics/<epoch seconds>.txt`, the rockets stored
    while it ran (after its first LEVEL_SETTLE_SECONDS) and their share stored within 500 ms of being accepted. A level
    is kept up with when nothing was refused and at least 99 % was stored within 500 ms."""
    snapshots = sorted((float(os.path.basename(p)[:-4]), p)
                       for p in glob.glob(os.path.join(directory, f'{name}.metrics', '*.txt')))
    levels = []
    with open(os.path.join(directory, f'{name}.gatling.log'), errors='replace') as f:
        for text in f:
            if not text.startswith('LEVEL '):
                continue
            level = dict(kv.split('=', 1) for kv in text[len('LEVEL '):].split() if '=' in kv)
            start, end = int(level['from']) / 1000 + LEVEL_SETTLE_SECONDS, int(level['to']) / 1000
            first = next((s for s in snapshots if s[0] >= start), None)
            last = next((s for s in reversed(snapshots) if s[0] <= end), None)
            share = stored = None
            if first and last and last[0] > first[0]:
                before, after = scrape(first[1]), scrape(last[1])
                share, _, count = share_within(before, after, 'rockets', 0.5)
                stored = count / (last[0] - first[0])
            level.update(rate=float(level['rate']), requests=int(level['requests']), refused=int(level['refused']),
                         share=share, stored=stored,
                         kept_up=int(level['refused']) == 0 and share is not None and share >= 0.99)
            levels.append(level)
    return levels


def step_peak(levels):
    """The highest rate of the levels kept up with, or None. Not the last before the first miss: levels run back to
    back, so a level over what the stack keeps up with leaves a backlog the next one misses too, while a level missed
    through a single stall (a GC pause of the broker's JVM) is followed by levels kept up with."""
    return max((level['rate'] for level in levels if level['kept_up']), default=None)


def kept_levels(levels):
    """The rates of the levels kept up with, highest first, each once."""
    return sorted({level['rate'] for level in levels if level['kept_up']}, reverse=True)


def confirmations(directory):
    """The peak's confirmation runs (`confirm-1` ...), in the order they ran, each with its one level."""
    runs = existing_runs(directory, [f'confirm-{n}' for n in range(1, 10)])
    return [(name, step_levels(directory, name)) for name in runs]


def gc_pauses(path, start, end):
    """The stop-the-world pauses a JVM's `-Xlog:gc:file=…:timemillis` log records between two epoch seconds:
    (count, total ms, longest ms), or None without a log."""
    if not os.path.exists(path):
        return None
    pauses = []
    with open(path, errors='replace') as f:
        for text in f:
            m = re.match(r'^\[(\d+)ms\].* Pause .* (\d+(?:\.\d+)?)ms$', text.rstrip())
            if m and start <= int(m.group(1)) / 1000 <= end:
                pauses.append(float(m.group(2)))
    return len(pauses), sum(pauses), max(pauses, default=0.0)


def level_row(level):
    """A staircase or confirmation level as a row of the report's tables."""
    share = level['share'] * 100 if level['share'] is not None else None
    return (f"| {level['rate']:,.0f} | {level['requests']:,} | {level['refused']:,} | {fmt(level['stored'])} | "
            f"{fmt(share, 2, ' %')} | {level['p99']} | {'yes' if level['kept_up'] else 'no'} |")


def window(rows, start, end):
    return [r for r in rows if start <= r[0] <= end]


def cores(rows):
    if len(rows) < 2:
        return None
    return (rows[-1][1] - rows[0][1]) / os.sysconf('SC_CLK_TCK') / (rows[-1][0] - rows[0][0])


def cpu_split(rows):
    """Cores used over the rows by the gateway, the Kafka + Mongo JVM and the rest of the machine (the load
    generator or the raw producer, and whatever else ran), or None when the samples lack the machine's columns."""
    if len(rows) < 2 or rows[0][5] is None:
        return None
    seconds = (rows[-1][0] - rows[0][0]) * os.sysconf('SC_CLK_TCK')
    gateway, infra, busy = ((rows[-1][i] - rows[0][i]) / seconds for i in (1, 4, 5))
    return gateway, infra, busy - gateway - infra


def jit_seconds(directory, name):
    """Seconds the gateway's JIT compilers spent during a phase (jstat before and after it), None if not recorded."""
    try:
        with open(os.path.join(directory, f'{name}.jit')) as f:
            values = [float(v) for v in f.read().split()]
    except (OSError, ValueError):
        return None
    return values[1] - values[0] if len(values) == 2 else None


def settled(directory, name):
    """A warm-up that ran until the JIT settled (benchmark `warm`): (runs, compile seconds in the last run), or None
    when it did not run."""
    try:
        with open(os.path.join(directory, f'{name}.runs')) as f:
            runs = int(f.read().strip())
    except (OSError, ValueError):
        return None
    return runs, jit_seconds(directory, f'{name}-{runs}')


def warmups(directory):
    """Each start A warm-up that ran until the JIT settled: (label, runs, compile seconds in the last run)."""
    found = []
    for name, label in (('warmup-rockets', 'rockets, gateway'), ('warmup-sensors', 'sensors, gateway'),
                        ('warmup-discard', 'rockets, parse-and-discard'),
                        ('warmup-discard-sensors', 'sensors, parse-and-discard'),
                        ('warmup-round', 'then all four in turn, 5 s each, in rounds')):
        if runs := settled(directory, name):
            found.append((label, *runs))
    return found


def fmt(value, digits=0, unit=''):
    if value is None:
        return 'n/a'
    return f"{value:,.{digits}f}{unit}"


def cpu_table(w, rows_a, rates, kafka, kafka_rate, say):
    """Where the 2 cores went in each ingest phase of start A, per event: the gateway, the broker (+ the idle Mongo
    server) and the rest, which is the load generator (Gatling; for the Kafka ceiling, the raw producer)."""
    phases = []
    for name, label in (('rockets-ceiling', 'rockets, parse-and-discard'), ('rockets-gateway', 'rockets, gateway'),
                        ('sensors-ceiling', 'sensor readings, parse-and-discard'),
                        ('sensors-gateway', 'sensor readings, gateway')):
        try:
            splits = [cpu_split(window(rows_a, *span(w, run))) for run in pooled_runs(w, name)]
        except (OSError, KeyError):
            continue
        if splits and None not in splits:
            compiling = [jit_seconds(w, run) for run in pooled_runs(w, name)]
            phases.append((label, rates[name], tuple(sum(part) / len(splits) for part in zip(*splits)),
                           sum(compiling) if None not in compiling else None))
    if 'from' in kafka and 'to' in kafka:
        phases.append(('sensor records, raw producer (Kafka ceiling)', kafka_rate,
                       cpu_split(window(rows_a, int(kafka['from']) / 1000, int(kafka['to']) / 1000)), None))
    phases = [phase for phase in phases if phase[2] and phase[1]]
    if not phases:
        return
    say('Where the CPU went (machine-wide samples every second; the rest is the load generator: Gatling, or the raw '
        'producer for the Kafka ceiling), and the time the gateway\'s JIT spent compiling during the runs:')
    say('')
    say('| run | events/s | CPU µs per event: gateway / Kafka + Mongo JVM / rest = total | cores busy of 2 | '
        'gateway JIT compiling (s) |')
    say('|---|---|---|---|---|')
    for label, rate, (gateway, infra, rest), compiling in phases:
        per = [1e6 * cores_used / rate for cores_used in (gateway, infra, rest)]
        say(f"| {label} | {fmt(rate)} | {per[0]:.1f} / {per[1]:.1f} / {per[2]:.1f} = {sum(per):.1f} | "
            f"{gateway + infra + rest:.2f} | {fmt(compiling, 1)} |")
    say('')
    done = warmups(w)
    if done:
        say('Warm-up before these runs, in 15 s runs until one cost the JIT less than 1.5 s of compiling (at most 10; '
            'the rounds at most 4): '
            + '; '.join(f"{label} {runs} (last {fmt(last, 1)} s)" for label, runs, last in done) + '.')
        say('')


def report(args):
    w = args.dir
    rows_a = usage(os.path.join(w, 'usage-a.txt'))
    rows = usage(os.path.join(w, 'usage-b.txt'))
    out = []
    say = out.append
    with open(os.path.join(w, 'machine.txt')) as f:
        machine = [l.strip() for l in f if l.strip()]
    say(f"Machine: {'; '.join(machine)}. MongoDB: the wire server's {args.mongo} backend.")
    say('')

    def stats(name):
        return gatling_stats(os.path.join(w, f'{name}.gatling.log'))

    def pct(name, key):
        return stats(name).get(f'response time {key} percentile (ms)', ('n/a',))[0]

    def phase_cores(name, rows):
        try:
            return cores(window(rows, *span(w, name)))
        except (OSError, KeyError):
            return None

    say(f"### Peak ingest throughput (gateway start A, stream consumers paused; closed model, {args.rockets_users} "
        f"rockets requests / {args.sensor_users} sensor batches of {args.batch_size} in flight)")
    say('')
    if len(pooled_runs(w, 'rockets-ceiling')) > 1:
        say('Each side ran twice for half of the phase duration, in the order ceiling, gateway, gateway, ceiling, so '
            'that a steady drift of the machine weighs on both alike; rates are the mean of the two runs (each in '
            'brackets).')
        say('')
    say('| run | OK requests/s | events/s | HTTP p50 / p99 ms | failed | gateway CPU (cores) |')
    say('|---|---|---|---|---|---|')
    rates = {}
    for name, label, per in (('rockets-ceiling', 'rockets, parse-and-discard (HTTP ceiling)', 1),
                             ('rockets-gateway', 'rockets, gateway `POST /messages`', 1),
                             ('sensors-ceiling', 'sensor batches, parse-and-discard (HTTP ceiling)', args.batch_size),
                             ('sensors-gateway', 'sensor batches, gateway `POST /sensors/readings`', args.batch_size)):
        runs = pooled_runs(w, name)
        each = [ok_rate(os.path.join(w, f'{run}.gatling.log')) for run in runs]
        rate = sum(each) / len(each) if each else 0
        rates[name] = rate * per
        failed = sum(int(number(stats(run).get('request count', (None, None, '0'))[2]) or 0) for run in runs)
        runs_cores = [phase_cores(run, rows_a) for run in runs]
        mean_cores = sum(runs_cores) / len(runs_cores) if runs_cores and None not in runs_cores else None
        each_text = f" ({' / '.join(fmt(r) for r in each)})" if len(each) > 1 else ''
        say(f"| {label} | {fmt(rate)}{each_text} | {fmt(rate * per)} | "
            f"{'; '.join(pct(run, '50th') + ' / ' + pct(run, '99th') for run in runs)} | {failed} | "
            f"{fmt(mean_cores, 2)} |")
    kafka = line(os.path.join(w, 'kafka-ceiling.log'), 'KAFKA CEILING')
    kafka_rate = number(kafka.get('records_per_s'))
    say(f"| Kafka ceiling: raw producer, the gateway's sensor records (mean value {kafka.get('mean_value_bytes', '?')} B), "
        f"acks=all, idempotent, {kafka.get('partitions', '?')} partitions | | {fmt(kafka_rate)} | | | |")
    say('')
    ratio_rockets = rates['rockets-gateway'] / rates['rockets-ceiling'] if rates['rockets-ceiling'] else None
    ratio_kafka = rates['sensors-gateway'] / kafka_rate if kafka_rate else None
    ratio_sensors_http = rates['sensors-gateway'] / rates['sensors-ceiling'] if rates['sensors-ceiling'] else None
    say('| ratio | value | target |')
    say('|---|---|---|')
    say(f"| single rockets: gateway / HTTP ceiling | {fmt(ratio_rockets, 2)} | ≥ 0.70 "
        f"{'✅' if ratio_rockets and ratio_rockets >= 0.7 else '❌'} |")
    say(f"| batched sensors: gateway / Kafka ceiling (records/s) | {fmt(ratio_kafka, 2)} | ≥ 0.60 "
        f"{'✅' if ratio_kafka and ratio_kafka >= 0.6 else '❌'} |")
    say(f"| batched sensors: gateway / HTTP ceiling | {fmt(ratio_sensors_http, 2)} | (for reference) |")
    deployed = ok_rate(os.path.join(w, 'sustain.gatling.log'))
    ratio_deployed = deployed / rates['rockets-ceiling'] if rates['rockets-ceiling'] and deployed else None
    say(f"| single rockets as deployed (start B's sustain phase, consumers storing on the same 2 cores): "
        f"accepted / HTTP ceiling | {fmt(ratio_deployed, 2)} | (for reference) |")
    say('')
    cpu_table(w, rows_a, rates, kafka, kafka_rate, say)

    # The metrics from the end of the phase's warm-up on, when the run recorded them there.
    measured_from = os.path.join(w, 'half-load.measured.txt')
    before = scrape(measured_from if os.path.exists(measured_from) else os.path.join(w, 'half-load.before.txt'))
    after = scrape(os.path.join(w, 'half-load.after.txt'))
    push = line(os.path.join(w, 'half-load.gatling.log'), 'PUSH LATENCY')
    steady = line(os.path.join(w, 'half-load.gatling.log'), 'HTTP LATENCY')
    say(f"### Rockets stored while saturated: {args.saturated:,.0f} messages/s ({args.rockets_users} requests in "
        f"flight for the sustain phase; the gateway as deployed, backlog bound on)")
    say('')
    if os.path.exists(os.path.join(w, 'sustain.stored.txt')):
        windows = stored_rate_windows(w, 'sustain')
        if windows:
            say(f"Stored per second in its 10 s windows (after the first 10 s): "
                f"{', '.join(f'{rate:,.0f}' for rate in windows)}. They rise as the backlog, and the consumers' "
                f"batches with it, grow.")
            say('')
    s_stats = stats('sustain')
    say(f"Accepted {fmt(ok_rate(os.path.join(w, 'sustain.gatling.log')))} requests/s during it; refused (503): "
        f"{s_stats.get('request count', (None, None, '-'))[2]} requests.")
    say('')
    runs = staircases(w)
    levels = [level for name in runs for level in step_levels(w, name)]
    say(f"### Sustainable rockets peak: {args.peak:,.0f} messages/s")
    say('')
    if levels:
        say("A level of a staircase (open model, after a warm-up below it) is kept up with when nothing was refused "
            "and at least 99 % of the rockets stored during it were stored within 500 ms of being accepted. The "
            "peak is the highest level kept up with that a 40 s run at it (after 10 s at half of it) confirmed: "
            "the top level first, then a bisection over the lower levels kept up with, four runs at most.")
        if len(runs) > 1:
            say("The staircase kept up at its top level, so the levels after it went on upwards, one run each (after "
                "20 s at that top level) until one was missed.")
        say('')
        say('| offered /s | requests | refused | stored /s | stored within 500 ms | HTTP p99 ms | kept up |')
        say('|---|---|---|---|---|---|---|')
        for level in levels:
            say(level_row(level))
        say('')
        confirms = [(name, found[0]) for name, found in confirmations(w) if found]
        if confirms:
            say('| confirmation: 40 s at /s | requests | refused | stored /s | stored within 500 ms | HTTP p99 ms | '
                'kept up |')
            say('|---|---|---|---|---|---|---|')
            for _, level in confirms:
                say(level_row(level))
            say('')
        if not any(level['kept_up'] for _, level in confirms):
            say("No level was confirmed; the peak is the warm-up rate.")
            say('')
    else:
        say("No staircase in this run: the peak is the rate stored while saturated.")
        say('')
    say(f"### Half of that peak: {args.half} messages/s (open model) + 5 WebSocket dashboards probing alerts")
    say('')
    start_b = [(label, runs) for name, label in
               (('warmup-b', f"after the start, at {args.mix_rate} messages/s (a third of start A's rockets rate)"),
                ('warmup-half', f"before this phase, at {args.half} messages/s"))
               if (runs := settled(w, name))]
    if start_b:
        say("Start B warmed up with this mix in 20 s runs until one cost the gateway's JIT less than 1.5 s of "
            "compiling; " + '; '.join(f"{label}: {runs} runs (the last compiled {fmt(last, 1)} s)"
                                      for label, (runs, last) in start_b) + '.')
        say('')
    if steady:
        say(f"Figures from after the phase's {args.half_warmup:.0f} s warm-up at the same rate, in the same Gatling JVM, "
            f"unless marked as the whole run.")
        say('')
    say('| figure | value | target |')
    say('|---|---|---|')
    if steady:
        p99 = number(steady.get('p99'))
        say(f"| HTTP p50 / p95 / p99, rockets ({steady.get('count', '?')} requests) | {steady.get('p50', '?')} / "
            f"{steady.get('p95', '?')} / {steady.get('p99', '?')} ms | p99 ≤ 25 ms "
            f"{'✅' if p99 is not None and p99 <= 25 else '❌'} |")
        say(f"| HTTP p50 / p95 / p99, whole run with warm-up (Gatling) | {pct('half-load', '50th')} / "
            f"{pct('half-load', '95th')} / {pct('half-load', '99th')} ms | |")
    else:
        p99 = number(pct('half-load', '99th'))
        say(f"| HTTP p50 / p95 / p99 | {pct('half-load', '50th')} / {pct('half-load', '95th')} / "
            f"{pct('half-load', '99th')} ms | p99 ≤ 25 ms {'✅' if p99 is not None and p99 <= 25 else '❌'} |")
    # The gateway's own timing of the same requests, from after the warm-up where that snapshot exists: whether a
    # tail over the target is the gateway's or the load generator's (its JVM, the loopback, waiting for a core).
    measured = os.path.join(w, 'half-load.measured.txt')
    share, p99_bucket, count = own_timing(scrape(measured) if os.path.exists(measured) else before, after)
    if count:
        say(f"| HTTP, the gateway's own timing (server side), rockets{' after the warm-up' if steady else ''} | "
            f"{fmt(share * 100, 2)} % of {count:,.0f} within 25 ms; p99 ≤ {fmt(p99_bucket * 1000)} ms "
            f"(bucket bound) | |")
    failed = stats('half-load').get('request count', (None, None, '-'))[2]
    say(f"| failed requests (whole run) | {failed if failed != '-' else 0} | 0 |")
    for stream in ('rockets', 'sensors'):
        share, p99_bucket, count = share_within(before, after, stream, 0.5)
        if count:
            say(f"| accepted → stored in Mongo, {stream} ({count:.0f} events) | {fmt(share * 100, 2)} % within 500 ms; "
                f"p99 ≤ {fmt(p99_bucket * 1000)} ms (bucket bound) | p99 ≤ 500 ms "
                f"{'✅' if share >= 0.99 else '❌'} |")
    # Where the HTTP tail is spent: a 202 waits for the broker's acknowledgement of the record (acks=all).
    share, p99_bucket, count = share_within(
        before, after, 'rockets', 0.025, metric='skywatch_kafka_produce_seconds_bucket')
    if count:
        say(f"| of which Kafka produce (record → broker ack), rockets | {fmt(share * 100, 2)} % within 25 ms; "
            f"p99 ≤ {fmt(p99_bucket * 1000)} ms (bucket bound) | |")
    p99_push = number(push.get('p99'))
    say(f"| alert push (202 → frame on the socket), {push.get('count', '?')} alerts, {push.get('lost', '?')} lost | "
        f"p50 {push.get('p50', '?')} / p95 {push.get('p95', '?')} / p99 {push.get('p99', '?')} ms | p99 ≤ 250 ms "
        f"{'✅' if p99_push is not None and p99_push <= 250 and push.get('lost') == '0' else '❌'} |")
    say(f"| gateway CPU (whole run) | {fmt(phase_cores('half-load', rows), 2)} cores | |")
    say(f"| gateway JIT compiling (whole run) | {fmt(jit_seconds(w, 'half-load'), 1)} s | |")
    if os.path.exists(measured):
        start, end = os.path.getmtime(measured), span(w, 'half-load')[1]
        split = cpu_split(window(rows, start, end))
        if split:
            say(f"| CPU after the warm-up: gateway / Kafka + Mongo JVM / rest (Gatling) | "
                f"{' / '.join(fmt(value, 2) for value in split)} cores | |")
        for label, log in (('gateway', 'gc-gateway.log'), ('Kafka + Mongo JVM', 'gc-infra.log')):
            pauses = gc_pauses(os.path.join(w, 'b', log), start, end)
            if pauses:
                say(f"| GC pauses after the warm-up, {label} | {pauses[0]}, {fmt(pauses[1])} ms in all, longest "
                    f"{fmt(pauses[2], 1)} ms | |")
    say('')

    before = scrape(os.path.join(w, 'overload.before.txt'))
    after = scrape(os.path.join(w, 'overload.after.txt'))
    recovery = line(os.path.join(w, 'overload.gatling.log'), 'RECOVERY')
    o = stats('overload')
    say(f"### Overload: {args.double} messages/s (twice the peak or the rate stored while saturated, whichever is "
        f"higher) for the overload phase, then {args.tenth}/s")
    say('')
    say('| figure | value | target |')
    say('|---|---|---|')
    answers = {s: delta(before, after, 'http_server_requests_seconds_count', f'status="{s}"', 'uri="/messages"')
               for s in ('202', '429', '503')}
    others = sum(v for (n, labels), v in after.items()
                 if n == 'http_server_requests_seconds_count' and 'uri="/messages"' in labels
                 and not any(f'status="{s}"' in labels for s in ('202', '429', '503'))) - sum(
        v for (n, labels), v in before.items()
        if n == 'http_server_requests_seconds_count' and 'uri="/messages"' in labels
        and not any(f'status="{s}"' in labels for s in ('202', '429', '503')))
    ko = o.get('request count', (None, None, '-'))[2]
    say(f"| answers | 202: {answers['202']:,.0f}, 503: {answers['503']:,.0f}, 429: {answers['429']:,.0f}, "
        f"other: {others:,.0f}; Gatling KO (incl. refusals without Retry-After): {ko if ko != '-' else 0} | "
        f"only 503/429 with Retry-After {'✅' if others == 0 and ko in ('-', '0') else '❌'} |")
    try:
        start, end = span(w, 'overload')
        drop = start + args.overload_seconds
        during = window(rows, start, drop)
        rss = [r[2] // 1024 for r in during]
        third = max(1, len(rss) // 3)
        say(f"| gateway RSS during the overload | first third max {max(rss[:third])} MB, last third max "
            f"{max(rss[-third:])} MB (min {min(rss)}, max {max(rss)}) | flat |")
        say(f"| gateway CPU during the overload | {fmt(cores(during), 2)} cores | |")
        after_drop = [r for r in rows if r[0] >= drop]
        drained = next((r[0] - drop for r in after_drop if r[3] <= args.tenth), None)
        peak_lag = max((r[3] for r in window(rows, start, drop + 60)), default=0)
        say(f"| consumer backlog | peak {peak_lag:,.0f} records; back under {args.tenth} records "
            f"{fmt(drained, 1)} s after the drop | |")
    except (OSError, ValueError, KeyError) as e:
        say(f"| usage | n/a ({e}) | |")
    late_p99 = number(recovery.get('late_p99_ms'))
    recovered = recovery.get('late_refused') == '0' and late_p99 is not None and late_p99 <= 25
    say(f"| after the drop (HTTP) | last refusal {recovery.get('last_refused_ms', '?')} ms after it (-1: none); "
        f"from 10 s on: {recovery.get('late_requests', '?')} requests, {recovery.get('late_refused', '?')} refused, "
        f"p99 {recovery.get('late_p99_ms', '?')} ms | recovered within 10 s (no refusal, p99 ≤ 25 ms) "
        f"{'✅' if recovered else '❌'} |")
    late = os.path.join(w, 'overload.late.txt')
    if os.path.exists(late):
        within, p99_bucket, count = own_timing(scrape(late), after)
        if count:
            say(f"| after the drop, the gateway's own timing from 10 s on (server side) | {within * 100:.2f} % of "
                f"{count:,.0f} requests within 25 ms; p99 ≤ {fmt(p99_bucket * 1000)} ms (bucket bound) | |")
    print('\n'.join(out))


def main():
    if sys.argv[1] == 'ok-rate':
        print(f"{ok_rate(sys.argv[2]):.1f}")
        return
    if sys.argv[1] == 'step-peak':
        names = existing_runs(sys.argv[2], sys.argv[3:] or ['steps'])
        peak = step_peak([level for name in names for level in step_levels(sys.argv[2], name)])
        print(f"{peak:.0f}" if peak else '0')
        return
    if sys.argv[1] == 'kept-levels':
        levels = [level for name in staircases(sys.argv[2]) for level in step_levels(sys.argv[2], name)]
        print(' '.join(f"{rate:.0f}" for rate in kept_levels(levels)))
        return
    if sys.argv[1] == 'stored-rate':
        print(f"{stored_rate(sys.argv[2], sys.argv[3], sys.argv[4]):.1f}")
        return
    p = argparse.ArgumentParser()
    p.add_argument('command')
    p.add_argument('dir')
    p.add_argument('--mongo', default='memory')
    for a in ('--peak', '--saturated', '--half', '--double', '--tenth', '--batch-size', '--rockets-users',
              '--sensor-users', '--overload-seconds', '--half-warmup', '--mix-rate'):
        p.add_argument(a, type=float)
    args = p.parse_args()
    args.batch_size = int(args.batch_size)
    args.rockets_users, args.sensor_users = int(args.rockets_users), int(args.sensor_users)
    args.half, args.double, args.tenth = int(args.half), int(args.double), int(args.tenth)
    args.mix_rate = int(args.mix_rate or 0)
    report(args)


if __name__ == '__main__':
    main()
