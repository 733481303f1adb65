// Skywatch live dashboard: snapshots from the query API, then changes from /ws/live.
// After every (re)connect and after the server reports dropped messages, the snapshots are fetched again,
// because the live stream only carries changes and a gap in it would otherwise stay on screen.
(() => {
  "use strict";

  const SEVERITY_RANK = { INFO: 1, WARNING: 2, CRITICAL: 3 };
  const LEVEL_BY_RANK = ["ok", "info", "warning", "critical"];
  const MAX_CLEARED_SHOWN = 50;
  const MAX_CHART_POINTS = 600;
  const CHART_HISTORY_MS = 15 * 60 * 1000;
  const RENDER_INTERVAL_MS = 250;
  const MAX_ROCKET_ROWS = 500;
  // A page that keeps falling behind (a busy city on a slow laptop) must not turn into a reload loop.
  const MIN_RELOAD_INTERVAL_MS = 5000;

  const state = {
    rockets: new Map(),
    stations: new Map(), // id -> {id, name, district, latest: {metric: {value, unit, timestamp}}}
    alerts: new Map(),
    rules: [],
    units: {},
    sort: { key: "launchTime", dir: -1 },
    selectedStation: null,
    selectedMetric: null,
    chartData: [[], []],
    dirty: { rockets: false, stations: false, alerts: false },
    dirtyStationIds: new Set(), // only these cards are redrawn unless "stations" (all of them) is dirty
    stationsStructureChanged: true,
  };

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs = {}, text) => {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (name === "class") node.className = value;
      else node.setAttribute(name, value);
    }
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // ---------- formatting ----------
  const timeMs = (iso) => (iso ? Date.parse(iso) : NaN);
  function since(iso) {
    const ms = Date.now() - timeMs(iso);
    if (!Number.isFinite(ms)) return "";
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60) return `${s} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
    return `${Math.floor(s / 86400)} d ago`;
  }
  function formatNumber(value) {
    if (value === null || value === undefined || !Number.isFinite(value)) return "–";
    const abs = Math.abs(value);
    const text = abs >= 1000 ? value.toFixed(0) : abs >= 100 ? value.toFixed(1) : value.toFixed(2);
    return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  }
  const formatTime = (iso) => (iso ? new Date(iso).toLocaleTimeString() : "–");

  // ---------- notices and connection state ----------
  function notify(text) {
    $("notice-text").textContent = text;
    $("notice").hidden = false;
  }
  $("notice-close").addEventListener("click", () => ($("notice").hidden = true));

  function setConnection(kind, text) {
    const badge = $("connection");
    badge.dataset.state = kind;
    badge.textContent = text;
  }

  // ---------- thresholds ----------
  function rulesFor(stationId, district, metric) {
    return state.rules.filter(
      (rule) =>
        rule.metric === metric &&
        (rule.stationId == null || rule.stationId === stationId) &&
        (rule.district == null || rule.district === district)
    );
  }
  function levelOf(station, metric, value) {
    let rank = 0;
    for (const rule of rulesFor(station.id, station.district, metric)) {
      if (value > rule.raiseAbove) rank = Math.max(rank, SEVERITY_RANK[rule.severity] || 0);
    }
    return LEVEL_BY_RANK[rank];
  }

  // ---------- credentials ----------
  // An open gateway needs none. A secured one needs a viewer's API key or bearer token: open the page as
  // /?token=… (kept for this tab in sessionStorage and taken out of the address bar), or paste it when asked
  // after a 401. Keys go in X-API-Key, tokens (three dot-separated parts) as a bearer token; the WebSocket, which
  // cannot carry headers from a browser, gets it as access_token.
  const TOKEN_STORAGE = "skywatch.token";
  let token = takeToken();

  function takeToken() {
    const params = new URLSearchParams(location.search);
    const fromUrl = params.get("token");
    if (fromUrl) {
      try {
        sessionStorage.setItem(TOKEN_STORAGE, fromUrl);
      } catch (e) {
        // storage refused (private mode): the token still works until the page is closed
      }
      params.delete("token");
      const rest = params.toString();
      history.replaceState(null, "", location.pathname + (rest ? `?${rest}` : "") + location.hash);
      return fromUrl;
    }
    try {
      return sessionStorage.getItem(TOKEN_STORAGE);
    } catch (e) {
      return null;
    }
  }

  function authHeaders() {
    if (!token) return {};
    return token.split(".").length === 3 ? { Authorization: `Bearer ${token}` } : { "X-API-Key": token };
  }

  let askedForToken = false;
  function askForToken() {
    if (askedForToken) return false; // once per page: a refused prompt is not repeated for every request
    askedForToken = true;
    const entered = window.prompt("This gateway needs credentials: paste a viewer API key or bearer token.");
    if (!entered || !entered.trim()) return false;
    token = entered.trim();
    try {
      sessionStorage.setItem(TOKEN_STORAGE, token);
    } catch (e) {
      // see takeToken
    }
    return true;
  }

  // ---------- data ----------
  async function getJson(path) {
    const sent = token;
    let response = await fetch(path, { headers: { Accept: "application/json", ...authHeaders() } });
    if (response.status === 401 && (token !== sent || askForToken())) {
      response = await fetch(path, { headers: { Accept: "application/json", ...authHeaders() } });
    }
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return response.json();
  }

  async function loadSnapshots() {
    const [metrics, rules, stations, rockets, alerts] = await Promise.all([
      getJson("/sensors/metrics"),
      getJson("/alert-rules"),
      getJson("/stations?include=latest&limit=2000"),
      getJson("/rockets?limit=1000"),
      getJson("/alerts?limit=100"),
    ]);
    state.rules = rules;
    for (const metric of metrics) state.units[metric.name] = metric.unit;
    for (const station of stations) {
      const known = state.stations.get(station.id);
      const latest = known ? known.latest : {};
      // Keep whichever is newer by measurement time: live readings may have overtaken this snapshot.
      for (const [metric, value] of Object.entries(station.latest || {})) {
        if (value.unit) state.units[metric] = value.unit;
        if (!latest[metric] || timeMs(latest[metric].timestamp) <= timeMs(value.timestamp)) latest[metric] = value;
      }
      state.stations.set(station.id, { id: station.id, name: station.name, district: station.district, latest });
    }
    for (const rocket of rockets) {
      const known = state.rockets.get(rocket.channel);
      if (!known || (known.lastMessageNumber || 0) <= (rocket.lastMessageNumber || 0)) state.rockets.set(rocket.channel, rocket);
    }
    for (const alert of alerts) upsertAlert(alert, alert.state === "OPEN" ? "OPEN" : "CLEARED", false);
    state.stationsStructureChanged = true;
    markDirty("rockets", "stations", "alerts");
    if (state.selectedStation) loadChart();
  }

  function upsertAlert(alert, transition, live) {
    const known = state.alerts.get(alert.id);
    // A snapshot older than what the live stream already delivered must not reopen a cleared alert.
    if (known && !live && known.alert.state === "CLEARED" && alert.state === "OPEN") return;
    state.alerts.set(alert.id, {
      alert,
      transition: live ? transition : known ? known.transition : transition,
      changedAt: live ? Date.now() : known ? known.changedAt : null,
    });
    markDirty("alerts", "stations");
  }

  function applyReading(message) {
    let station = state.stations.get(message.stationId);
    if (!station) {
      station = { id: message.stationId, name: null, district: null, latest: {} };
      state.stations.set(message.stationId, station);
      state.stationsStructureChanged = true;
    }
    for (const [metric, value] of Object.entries(message.metrics || {})) {
      const current = station.latest[metric];
      // Latest by measurement time, as the server keeps it: a late reading does not overwrite a newer value.
      if (!current || timeMs(current.timestamp) <= timeMs(message.timestamp)) {
        station.latest[metric] = { value, unit: state.units[metric], timestamp: message.timestamp };
      }
    }
    markStationDirty(station.id);
    if (message.stationId === state.selectedStation && state.selectedMetric in (message.metrics || {})) {
      appendChartPoint(timeMs(message.timestamp) / 1000, message.metrics[state.selectedMetric]);
    }
  }

  let droppedTotal = 0;
  let lastReloadAt = 0;
  let reloadTimer = null;
  function reloadSoon() {
    if (reloadTimer) return;
    const wait = Math.max(0, lastReloadAt + MIN_RELOAD_INTERVAL_MS - Date.now());
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      lastReloadAt = Date.now();
      loadSnapshots().catch((e) => notify(`Could not reload the current state: ${e.message}`));
    }, wait);
  }

  // ---------- live connection ----------
  let socket = null;
  let reconnectDelayMs = 500;
  let reconnectTimer = null;

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const credentials = token ? `&access_token=${encodeURIComponent(token)}` : "";
    const url = `${scheme}//${location.host}/ws/live?streams=alerts,sensors,rockets${credentials}`;
    setConnection(socket ? "reconnecting" : "connecting", socket ? "reconnecting…" : "connecting…");
    socket = new WebSocket(url);
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch (e) {
        return; // not ours to show; the server only sends JSON
      }
      handle(message);
    });
    socket.addEventListener("close", () => scheduleReconnect());
    // An error is always followed by close, which reconnects; nothing to do here but avoid console noise.
    socket.addEventListener("error", () => {});
  }

  function scheduleReconnect() {
    if (reconnectTimer) return;
    const delay = Math.round(reconnectDelayMs * (0.75 + Math.random() * 0.5));
    setConnection(navigator.onLine === false ? "offline" : "reconnecting", `reconnecting in ${Math.ceil(delay / 1000)} s…`);
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connect();
    }, delay);
    reconnectDelayMs = Math.min(reconnectDelayMs * 2, 10000);
  }

  function handle(message) {
    switch (message.type) {
      case "subscribed":
        reconnectDelayMs = 500;
        setConnection("connected", "live");
        loadSnapshots().catch((e) => notify(`Could not load the current state: ${e.message}`));
        break;
      case "alerts-open":
        for (const alert of message.alerts || []) upsertAlert(alert, "OPEN", false);
        break;
      case "alert":
        upsertAlert(message.alert, message.transition, true);
        break;
      case "reading":
        applyReading(message);
        break;
      case "rocket":
        state.rockets.set(message.channel, { channel: message.channel, ...message.rocket });
        flashRocket = message.channel;
        markDirty("rockets");
        break;
      case "dropped":
        droppedTotal += message.count;
        notify(`This page fell behind: the server dropped ${droppedTotal} live message(s) so far; the view is reloaded from the query API.`);
        reloadSoon();
        break;
      case "error":
        notify(`Live feed: ${message.detail}`);
        break;
      default:
        break; // other stream kinds (run-time stream aggregates) are not shown here
    }
  }

  // ---------- rendering ----------
  function markDirty(...parts) {
    for (const part of parts) state.dirty[part] = true;
  }
  function markStationDirty(id) {
    state.dirtyStationIds.add(id);
  }
  let flashRocket = null;

  function render() {
    if (state.dirty.alerts) renderAlerts();
    if (state.dirty.stations || state.dirtyStationIds.size > 0) renderStations();
    if (state.dirty.rockets) renderRockets();
    state.dirty = { rockets: false, stations: false, alerts: false };
    renderCounters();
  }

  function renderCounters() {
    const open = [...state.alerts.values()].filter((entry) => entry.alert.state === "OPEN").length;
    $("alerts-open-count").textContent = `${open} open`;
    $("stations-count").textContent = `${state.stations.size}`;
  }

  function alertOrder(a, b) {
    const openA = a.alert.state === "OPEN" ? 0 : 1;
    const openB = b.alert.state === "OPEN" ? 0 : 1;
    if (openA !== openB) return openA - openB;
    if (openA === 0) {
      const bySeverity = (SEVERITY_RANK[b.alert.severity] || 0) - (SEVERITY_RANK[a.alert.severity] || 0);
      if (bySeverity !== 0) return bySeverity;
      return timeMs(b.alert.raisedAt) - timeMs(a.alert.raisedAt);
    }
    return timeMs(b.alert.clearedAt) - timeMs(a.alert.clearedAt);
  }

  function renderAlerts() {
    const entries = [...state.alerts.values()].sort(alertOrder);
    let cleared = 0;
    const shown = entries.filter((entry) => entry.alert.state === "OPEN" || ++cleared <= MAX_CLEARED_SHOWN);
    // Forget what is no longer shown, so a long-running page does not grow without bound.
    for (const entry of entries) if (!shown.includes(entry)) state.alerts.delete(entry.alert.id);
    const list = $("alerts");
    list.replaceChildren(...shown.map(renderAlert));
    $("alerts-empty").hidden = shown.length > 0;
  }

  function renderAlert(entry) {
    const alert = entry.alert;
    const item = el("li", {
      class: `alert sev-${alert.severity}`,
      "data-alert-id": alert.id,
      "data-state": alert.state,
      "data-station": alert.stationId,
      "data-metric": alert.metric,
    });
    const line1 = el("div", { class: "line1" });
    line1.append(
      el("span", { class: `sev sev-badge-${alert.severity}` }, alert.severity),
      el("span", { class: "what" }, `${alert.stationId} · ${alert.metric}`),
      el("span", { class: `transition transition-${entry.transition}` }, entry.transition === "OPEN" ? "open" : entry.transition),
      el("span", { class: "since", "data-since": alert.state === "OPEN" ? alert.raisedAt : alert.clearedAt },
        alert.state === "OPEN" ? `raised ${since(alert.raisedAt)}` : `cleared ${since(alert.clearedAt)}`)
    );
    const unit = state.units[alert.metric] ? ` ${state.units[alert.metric]}` : "";
    let detail;
    if (alert.kind === "THRESHOLD") {
      detail = `peak ${formatNumber(alert.peakValue)}${unit} above ${formatNumber(alert.threshold)}${unit}, last ${formatNumber(alert.lastValue)}${unit}`;
    } else if (alert.kind === "OUTLIER") {
      detail = `outlier: ${formatNumber(alert.raisedValue)}${unit}, z-score ${formatNumber(alert.score)}`;
    } else {
      detail = `flat line at ${formatNumber(alert.lastValue)}${unit}: sensor may be stuck`;
    }
    item.append(line1, el("div", { class: "line2" }, detail));
    return item;
  }

  function openAlertLevel(stationId, metric) {
    let rank = 0;
    for (const { alert } of state.alerts.values()) {
      if (alert.state === "OPEN" && alert.stationId === stationId && alert.metric === metric) {
        rank = Math.max(rank, SEVERITY_RANK[alert.severity] || 0);
      }
    }
    return rank;
  }

  const stationNodes = new Map();
  function renderStations() {
    const container = $("stations");
    if (state.stationsStructureChanged) {
      const byDistrict = new Map();
      for (const station of [...state.stations.values()].sort((a, b) => a.id.localeCompare(b.id))) {
        const district = station.district || "no district";
        if (!byDistrict.has(district)) byDistrict.set(district, []);
        byDistrict.get(district).push(station);
      }
      const sections = [...byDistrict.keys()].sort().map((district) => {
        const section = el("section", { class: "district" });
        section.append(el("h3", {}, district));
        const grid = el("div", { class: "station-grid" });
        for (const station of byDistrict.get(district)) grid.append(stationNode(station.id));
        section.append(grid);
        return section;
      });
      container.replaceChildren(...sections);
      state.stationsStructureChanged = false;
    }
    const ids = state.dirty.stations ? state.stations.keys() : state.dirtyStationIds;
    for (const id of ids) fillStation(stationNode(id), state.stations.get(id));
    state.dirtyStationIds.clear();
    $("stations-empty").hidden = state.stations.size > 0;
    updateChartMetricChoices();
  }

  function stationNode(id) {
    let node = stationNodes.get(id);
    if (!node) {
      node = el("button", { class: "station", type: "button", "data-station": id, "aria-pressed": "false" });
      node.addEventListener("click", () => selectStation(id));
      stationNodes.set(id, node);
    }
    return node;
  }

  function fillStation(node, station) {
    const head = el("div", { class: "name" });
    head.append(el("span", {}, station.name || station.id), el("span", { class: "age" }, latestAge(station)));
    const metrics = el("div", { class: "metrics" });
    for (const metric of Object.keys(station.latest).sort()) {
      const value = station.latest[metric].value;
      const rank = Math.max(SEVERITY_RANK[levelOf(station, metric, value).toUpperCase()] || 0, openAlertLevel(station.id, metric));
      const unit = state.units[metric] || station.latest[metric].unit || "";
      metrics.append(el("span", { class: `metric lvl-${LEVEL_BY_RANK[rank]}`, "data-metric": metric, title: metric },
        `${metric} ${formatNumber(value)}${unit ? " " + unit : ""}`));
    }
    node.setAttribute("aria-pressed", String(station.id === state.selectedStation));
    node.replaceChildren(head, metrics);
  }

  function latestAge(station) {
    let newest = NaN;
    for (const value of Object.values(station.latest)) {
      const t = timeMs(value.timestamp);
      if (!(newest >= t)) newest = t;
    }
    return Number.isFinite(newest) ? since(new Date(newest).toISOString()) : "";
  }

  function rocketValue(rocket, key) {
    const value = rocket[key];
    if (key === "launchTime" || key === "lastMessageTime") return timeMs(value) || 0;
    return value ?? "";
  }

  function renderRockets() {
    const { key, dir } = state.sort;
    const sorted = [...state.rockets.values()].sort((a, b) => {
      const x = rocketValue(a, key);
      const y = rocketValue(b, key);
      const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return order !== 0 ? dir * order : a.channel.localeCompare(b.channel);
    });
    const rockets = sorted.slice(0, MAX_ROCKET_ROWS);
    $("rockets-count").textContent = sorted.length > rockets.length ? `${rockets.length} of ${sorted.length}` : `${sorted.length}`;
    const body = $("rockets").tBodies[0];
    const rows = new Map([...body.rows].map((row) => [row.dataset.channel, row]));
    rockets.forEach((rocket, index) => {
      let row = rows.get(rocket.channel);
      if (!row) {
        row = el("tr", { "data-channel": rocket.channel });
        for (let i = 0; i < 8; i++) row.append(el("td"));
      }
      rows.delete(rocket.channel);
      fillRocket(row, rocket);
      // appendChild moves an existing row: rows are updated in place and only re-ordered.
      if (body.rows[index] !== row) body.insertBefore(row, body.rows[index] || null);
      if (flashRocket === rocket.channel) {
        row.classList.remove("flash");
        void row.offsetWidth; // restart the animation
        row.classList.add("flash");
      }
    });
    for (const stale of rows.values()) stale.remove();
    flashRocket = null;
    $("rockets-empty").hidden = rockets.length > 0;
    for (const th of $("rockets").tHead.rows[0].cells) {
      th.setAttribute("aria-sort", th.dataset.sort === key ? (dir > 0 ? "ascending" : "descending") : "none");
    }
  }

  function fillRocket(row, rocket) {
    const cells = row.cells;
    const set = (i, text, cls) => {
      if (cells[i].textContent !== text) cells[i].textContent = text;
      cells[i].className = cls || "";
    };
    set(0, rocket.channel, "channel");
    cells[0].title = rocket.channel;
    set(1, rocket.type ?? "–");
    set(2, rocket.mission ?? "–");
    set(3, rocket.speed == null ? "–" : String(rocket.speed), "num");
    set(4, rocket.status === "EXPLODED" && rocket.explosionReason ? `EXPLODED (${rocket.explosionReason})` : rocket.status ?? "–",
      `status-${rocket.status}`);
    set(5, String(rocket.lastMessageNumber ?? "–"), "num");
    set(6, formatTime(rocket.lastMessageTime));
    const missing = rocket.missingCount || 0;
    const skipped = rocket.skippedCount || 0;
    const missingText = missing === 0 && skipped === 0 ? "0"
      : `${missing}${missing ? ` (${(rocket.missingMessageNumbers || []).slice(0, 5).join(", ")}${missing > 5 ? "…" : ""})` : ""}${skipped ? ` +${skipped} skipped` : ""}`;
    set(7, missingText, missing || skipped ? "num missing" : "num");
  }

  for (const th of $("rockets").tHead.rows[0].cells) {
    th.addEventListener("click", () => {
      const key = th.dataset.sort;
      state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
      markDirty("rockets");
      render();
    });
  }

  // ---------- chart ----------
  let chart = null;

  function updateChartMetricChoices() {
    if (!state.selectedStation) return;
    const station = state.stations.get(state.selectedStation);
    const select = $("chart-metric");
    const metrics = Object.keys(station ? station.latest : {}).sort();
    const current = [...select.options].map((option) => option.value);
    if (metrics.join() === current.join()) return;
    select.replaceChildren(...metrics.map((metric) => el("option", { value: metric }, metric)));
    if (!metrics.includes(state.selectedMetric)) {
      state.selectedMetric = metrics[0] || null;
      loadChart();
    }
    select.value = state.selectedMetric || "";
  }

  function selectStation(id) {
    state.selectedStation = id;
    $("chart-box").hidden = false;
    $("chart-station").textContent = id;
    $("chart-metric").replaceChildren();
    state.selectedMetric = null;
    markDirty("stations");
    render();
  }

  $("chart-metric").addEventListener("change", (event) => {
    state.selectedMetric = event.target.value;
    loadChart();
  });

  async function loadChart() {
    const station = state.selectedStation;
    const metric = state.selectedMetric;
    if (!station || !metric) return;
    const from = new Date(Date.now() - CHART_HISTORY_MS).toISOString();
    state.chartData = [[], []];
    drawChart();
    try {
      const readings = await getJson(`/stations/${encodeURIComponent(station)}/readings?metric=${encodeURIComponent(metric)}&from=${encodeURIComponent(from)}&limit=${MAX_CHART_POINTS}`);
      if (station !== state.selectedStation || metric !== state.selectedMetric) return;
      for (const reading of readings) {
        if (metric in reading.metrics) appendChartPoint(timeMs(reading.timestamp) / 1000, reading.metrics[metric], false);
      }
      drawChart();
    } catch (e) {
      notify(`Could not load the chart: ${e.message}`);
    }
  }

  function appendChartPoint(seconds, value, redraw = true) {
    const [xs, ys] = state.chartData;
    // Readings arrive in measurement order per station almost always; keep the series sorted regardless.
    let i = xs.length;
    while (i > 0 && xs[i - 1] > seconds) i--;
    if (i > 0 && xs[i - 1] === seconds) return;
    xs.splice(i, 0, seconds);
    ys.splice(i, 0, value);
    if (xs.length > MAX_CHART_POINTS) {
      xs.shift();
      ys.shift();
    }
    if (redraw) chartDirty = true;
  }
  let chartDirty = false;

  function drawChart() {
    const box = $("chart");
    const width = Math.max(260, box.clientWidth || 600);
    if (!chart) {
      chart = new uPlot({
        width,
        height: 200,
        series: [{}, { label: "value", stroke: "#174ea6", width: 1.5, points: { show: false } }],
        axes: [{}, { size: 60 }],
        legend: { show: false },
      }, state.chartData, box);
      new ResizeObserver(() => chart.setSize({ width: Math.max(260, box.clientWidth), height: 200 })).observe(box);
    } else {
      chart.setData(state.chartData);
    }
    chart.series[1].label = `${state.selectedMetric || ""}${state.units[state.selectedMetric] ? " (" + state.units[state.selectedMetric] + ")" : ""}`;
  }

  // ---------- main loop ----------
  setInterval(() => {
    render();
    if (chartDirty && state.selectedStation) {
      chartDirty = false;
      drawChart();
    }
  }, RENDER_INTERVAL_MS);
  // "time since" labels move on even when nothing arrives.
  setInterval(() => markDirty("alerts", "stations"), 5000);
  window.addEventListener("online", () => {
    if (reconnectTimer) {
      clearTimeout(reconnectTimer);
      reconnectTimer = null;
      connect();
    }
  });
  window.addEventListener("offline", () => setConnection("offline", "offline"));

  // Shown at once, without waiting for the socket; read again once subscribed so nothing between is missed.
  loadSnapshots().catch((e) => notify(`Could not load the current state: ${e.message}`));
  connect();
})();
