// Ramp dashboard: plain JavaScript, no build step. Reads /api/status and /api/events once, then follows
// /api/stream (Server-Sent Events: a status snapshot every second, events as they are recorded). Charts are
// hand-drawn SVG polylines over each route's last 15 minutes (/api/routes/NAME/history, then the stream's
// newest second). Actions POST with the admin token, which lives in this tab's sessionStorage only.
'use strict';

const SECONDS = 900;              // the history the gateway keeps per route
const OPEN_BY_DEFAULT = 6;        // with at most this many routes every route starts expanded
const MAX_EVENTS = 200;
const TOKEN_KEY = 'ramp.token';
const STATE_WORDS = {
  healthy: 'healthy', breaching: 'breaching: canary worse than stable', reverted: 'reverted: all traffic on stable',
  insufficient_data: 'collecting data', guard_disabled: 'guard off'
};
const CHARTS = [
  {key: 'rate', title: 'requests/s', value: p => p.r},
  {key: 'err', title: 'error rate %', value: p => p.r > 0 ? 100 * p.e / p.r : null},
  {key: 'p50', title: 'p50 ms', value: p => p.p50},
  {key: 'p99', title: 'p99 ms', value: p => p.p99}
];

const routes = new Map();        // name -> {el, parts, data, hist, open, fetched}
let order = [];
let events = [];
let source = null;
let pending = null;              // the action waiting for a token

const $ = id => document.getElementById(id);
function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}
const SVG = 'http://www.w3.org/2000/svg';
function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const k in attrs) e.setAttribute(k, attrs[k]);
  return e;
}
function fmt(n, digits) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return Number(n).toFixed(digits === undefined ? 1 : digits);
}
function pct(ratio) { return ratio === null || ratio === undefined ? '–' : fmt(100 * ratio, 2) + '%'; }

// ---- history: per route, per version, arrays of {t, r, e, p50, p99}, oldest first ----
function emptyHist() { return {stable: [], canary: []}; }
function pushPoint(series, t, a) {
  const last = series.length ? series[series.length - 1].t : null;
  if (last !== null && t <= last) return;           // already have that second
  if (last !== null && t - last > 1) {              // seconds the page missed (reconnect): gaps, not lines
    for (let s = Math.max(last + 1, t - SECONDS); s < t; s++) series.push({t: s, r: 0, e: 0, p50: null, p99: null});
  }
  series.push({t, r: a[0], e: a[1], p50: a[2], p99: a[3]});
  if (series.length > SECONDS) series.splice(0, series.length - SECONDS);
}
function loadHistory(route) {
  fetch('/api/routes/' + encodeURIComponent(route.name) + '/history').then(r => r.ok ? r.json() : null).then(h => {
    if (!h || h.end === null) return;
    const hist = emptyHist();
    for (const v of ['stable', 'canary']) {
      const s = h[v];
      const n = s.requests.length;
      for (let i = 0; i < n; i++) {
        hist[v].push({t: h.end - n + 1 + i, r: s.requests[i], e: s.errors[i], p50: s.p50Ms[i], p99: s.p99Ms[i]});
      }
      // points the stream brought while the history was on its way
      for (const p of route.hist[v]) if (p.t > h.end) hist[v].push(p);
    }
    route.hist = hist;
    drawCharts(route);
  }).catch(() => {});
}

// ---- one route's card, built once, updated in place ----
function makeRoute(name) {
  const card = el('article', 'route');
  card.dataset.route = name;
  const head = el('div', 'head');
  const parts = {
    name: el('span', 'name', name), state: el('span', 'state'), weights: el('span', 'weights'),
    versions: el('span', 'versions'), nums: el('span', 'nums'), actions: el('span', 'actions'),
    rollout: el('div', 'rollout'), latch: el('div', 'latch'), detail: el('div', 'detail'),
    charts: el('div', 'charts'), evidence: el('table', 'evidence'), guard: el('div', 'guard'), mini: el('ol', 'mini')
  };
  head.append(parts.name, parts.state, parts.weights, parts.versions, parts.nums, parts.actions);
  parts.rollout.hidden = true;
  parts.latch.hidden = true;
  parts.detail.hidden = true;
  parts.charts.dataset.charts = '';
  parts.detail.append(parts.charts, parts.guard, parts.evidence, parts.mini);
  card.append(head, parts.rollout, parts.latch, parts.detail);
  const route = {name, el: card, parts, data: null, hist: emptyHist(), open: false, fetched: false, chartEls: null};
  parts.name.addEventListener('click', () => toggle(route));
  return route;
}

function toggle(route, open) {
  route.open = open === undefined ? !route.open : open;
  route.el.classList.toggle('open', route.open);
  route.parts.detail.hidden = !route.open;
  if (route.open) {
    if (!route.fetched) { route.fetched = true; loadHistory(route); }
    renderDetail(route);
  }
}

function stateOf(r) { return r.state || 'unknown'; }

function renderRoute(route) {
  const r = route.data, p = route.parts, state = stateOf(r);
  route.el.dataset.state = state;
  p.state.dataset.state = state;
  p.state.textContent = STATE_WORDS[state] || state.replace(/_/g, ' ');
  p.weights.textContent = 'weight ' + r.configuredWeight + ' configured · ' + r.effectiveWeight + ' effective';
  p.versions.textContent = 'stable ' + r.stable.version + ' · canary ' + r.canary.version;
  const s = r.window && r.window.stable, c = r.window && r.window.canary;
  const last = v => { const a = route.hist[v]; return a.length ? a[a.length - 1].r : null; };
  // Rate: the newest second; error rate and p99: the guard's window (what it judges), when it saw requests.
  const nums = (v, w) => v + ' ' + fmt(last(v), 0) + '/s, ' + (w && w.requests > 0
    ? pct(w.errorRate) + ' err, p99 ' + fmt(w.p99Ms) + ' ms' : 'no requests in the window');
  p.nums.replaceChildren(el('span', 'stable', nums('stable', s)), document.createTextNode(' · '),
    el('span', 'canary', nums('canary', c)));
  renderActions(route);
  renderRollout(route);
  if (r.latch) {
    p.latch.hidden = false;
    p.latch.textContent = r.latch.corrupt ? 'latch file unreadable: ' + r.latch.problem
      : 'reverted ' + (r.latch.at || '') + ' (' + (r.latch.reason || 'unknown') + '), canary ' + (r.latch.canaryVersion || '');
  } else {
    p.latch.hidden = true;
  }
  if (route.open) renderDetail(route);
}

function renderActions(route) {
  const r = route.data, want = [];
  if (stateOf(r) === 'reverted') want.push(['resume', 'Resume']); else want.push(['revert', 'Revert']);
  if (r.rollout) {
    const st = r.rollout.state;
    if (st === 'paused') want.push(['continue', 'Continue']); else if (st !== 'done' && st !== 'aborted') want.push(['pause', 'Pause']);
    if (st !== 'done' && st !== 'aborted') want.push(['next', 'Next step'], ['abort', 'Abort']);
  }
  const key = want.map(w => w[0]).join(',');
  if (route.parts.actions.dataset.key === key) return;  // unchanged: keep the buttons (and their focus)
  route.parts.actions.dataset.key = key;
  route.parts.actions.replaceChildren(...want.map(([action, label]) => {
    const b = el('button', null, label);
    b.type = 'button';
    b.dataset.action = action;
    b.addEventListener('click', () => act(route.name, action));
    return b;
  }));
}

function renderRollout(route) {
  const ro = route.data.rollout, p = route.parts.rollout;
  if (!ro) { p.hidden = true; return; }
  p.hidden = false;
  const bar = el('div', 'bar'), fill = el('div');
  const steps = ro.steps || 0, step = ro.step || 0;
  fill.style.width = (steps ? Math.min(100, 100 * step / steps) : 0) + '%';
  bar.append(fill);
  let next = '';
  if (ro.nextStepAt) {
    const secs = Math.round((Date.parse(ro.nextStepAt) - Date.now()) / 1000);
    next = secs > 0 ? 'next step in ' + secs + ' s' : 'next step due';
  }
  p.replaceChildren(el('span', null, 'rollout ' + (ro.state || '')), bar,
    el('span', null, 'step ' + step + ' of ' + steps), el('span', null, next),
    el('span', 'why', ro.reason ? '(' + ro.reason + ')' : ''));
}

function renderDetail(route) {
  drawCharts(route);
  const g = route.data.guard, p = route.parts;
  if (!g) {
    p.guard.textContent = 'No guard on this route: nothing is judged.';
    p.evidence.replaceChildren();
  } else {
    p.guard.textContent = 'guard verdict ' + g.verdict + ', ' + g.consecutiveBreaches + ' of ' + g.breachesToRevert
      + ' breaching looks in a row to revert' + (g.breaches.length ? ': ' + g.breaches.map(b => b.message).join('; ') : '');
    const rows = [el('tr')];
    for (const h of ['rule', 'value', 'limit', 'share of limit', 'p-value']) rows[0].append(el('th', null, h));
    for (const rule of (g.evidence && g.evidence.rules) || []) {
      const tr = el('tr', rule.breached ? 'breached' : null);
      tr.append(el('td', null, rule.rule), el('td', null, fmt(rule.value, 4)), el('td', null, fmt(rule.limit, 4)),
        el('td', null, rule.shareOfLimit === null ? '–' : fmt(100 * rule.shareOfLimit, 0) + '%'),
        el('td', null, rule.pValue === null ? '–' : Number(rule.pValue).toPrecision(3)));
      rows.push(tr);
    }
    p.evidence.replaceChildren(...(rows.length > 1 ? rows : []));
  }
  const mine = events.filter(e => e.route === route.name).slice(0, 10);
  p.mini.replaceChildren(...mine.map(eventItem));
}

function drawCharts(route) {
  if (!route.open) return;
  if (!route.chartEls) {
    route.chartEls = CHARTS.map(def => {
      const box = el('div', 'chart');
      const h = el('h3');
      const title = el('span', null, def.title), now = el('span');
      h.append(title, now);
      const s = svg('svg', {viewBox: '0 0 ' + SECONDS + ' 100', preserveAspectRatio: 'none'});
      const axis = svg('line', {x1: 0, y1: 100, x2: SECONDS, y2: 100, class: 'axis'});
      const ls = svg('path', {class: 's'}), lc = svg('path', {class: 'c'});
      s.append(axis, ls, lc);
      box.append(h, s);
      route.parts.charts.append(box);
      return {def, now, ls, lc};
    });
  }
  const end = Math.max(lastT(route.hist.stable), lastT(route.hist.canary));
  for (const c of route.chartEls) {
    const sv = route.hist.stable.map(p => [p.t, c.def.value(p)]);
    const cv = route.hist.canary.map(p => [p.t, c.def.value(p)]);
    let max = 0;
    for (const [, v] of sv.concat(cv)) if (v !== null && v > max) max = v;
    max = max > 0 ? max * 1.1 : 1;
    c.ls.setAttribute('d', path(sv, end, max));
    c.lc.setAttribute('d', path(cv, end, max));
    const ls = sv.length ? sv[sv.length - 1][1] : null, lc = cv.length ? cv[cv.length - 1][1] : null;
    c.now.replaceChildren(el('span', 'key stable', fmt(ls)), document.createTextNode(' / '), el('span', 'key canary', fmt(lc)),
      document.createTextNode(sv.length || cv.length ? ' (max ' + fmt(max / 1.1) + ')' : ' no data yet'));
  }
}
function lastT(a) { return a.length ? a[a.length - 1].t : 0; }
// An SVG path: a second without a value breaks the line; a lone value is a short dash, so it shows.
function path(vals, end, max) {
  const out = [];
  let open = false;
  for (let i = 0; i < vals.length; i++) {
    const [t, v] = vals[i];
    if (v === null) { open = false; continue; }
    const xy = (SECONDS - 1 - (end - t)) + ' ' + (100 - 100 * v / max).toFixed(1);
    const nextMissing = i + 1 >= vals.length || vals[i + 1][1] === null;
    if (!open) out.push('M' + xy + (nextMissing ? ' h-6' : '')); else out.push('L' + xy);
    open = true;
  }
  return out.join(' ');
}

// ---- the whole page from a status snapshot ----
function applyStatus(msg) {
  const list = msg.status.routes, seen = new Set();
  const container = $('routes');
  const names = list.map(r => r.name);
  const reorder = names.join('\n') !== order.join('\n');
  for (const r of list) {
    seen.add(r.name);
    let route = routes.get(r.name);
    if (!route) {
      route = makeRoute(r.name);
      routes.set(r.name, route);
      container.append(route.el);
      if (list.length <= OPEN_BY_DEFAULT) toggle(route, true);
    }
    const h = msg.history && msg.history[r.name];
    if (h) {
      pushPoint(route.hist.stable, h.t, h.stable);
      pushPoint(route.hist.canary, h.t, h.canary);
    }
    route.data = r;
    renderRoute(route);
  }
  for (const [name, route] of routes) {
    if (!seen.has(name)) { route.el.remove(); routes.delete(name); }
  }
  if (reorder) {
    order = names;
    for (const n of names) container.append(routes.get(n).el);  // appendChild moves: config order kept
  }
  applyFilter();
  const reverted = list.filter(r => r.state === 'reverted').length;
  $('summary').textContent = list.length + ' route' + (list.length === 1 ? '' : 's') + (reverted ? ', ' + reverted + ' reverted' : '')
    + (msg.status.config && msg.status.config.lastError ? ' · last reload failed' : '');
}

function applyFilter() {
  const f = $('filter').value.trim().toLowerCase();
  for (const [name, route] of routes) route.el.hidden = f !== '' && !name.toLowerCase().includes(f);
}

// ---- events ----
function eventItem(e) {
  const li = el('li');
  li.dataset.type = e.type;
  const t = el('time', null, (e.at || '').replace('T', ' ').replace(/\..*$/, '').replace('Z', ''));
  li.append(t, document.createTextNode((e.route ? e.route + ': ' : '') + e.message));
  return li;
}
function renderEvents() {
  $('events').replaceChildren(...events.slice(0, MAX_EVENTS).map(eventItem));
}
function loadEvents() {
  fetch('/api/events').then(r => r.json()).then(list => { events = list.slice(0, MAX_EVENTS); renderEvents(); }).catch(() => {});
}

// ---- the stream ----
function connect() {
  source = new EventSource('/api/stream');
  source.addEventListener('open', () => {
    $('banner').hidden = true;
    $('conn').dataset.state = 'live';
    $('conn').textContent = 'live';
    loadEvents();                                   // events recorded while away
  });
  source.addEventListener('error', () => {
    $('banner').hidden = false;
    $('conn').dataset.state = 'disconnected';
    $('conn').textContent = 'disconnected';
    if (source.readyState === EventSource.CLOSED) { // refused (e.g. 503): EventSource gives up, we do not
      source = null;
      setTimeout(connect, 3000);
    }
  });
  source.addEventListener('status', e => applyStatus(JSON.parse(e.data)));
  source.addEventListener('event', e => {
    const ev = JSON.parse(e.data);
    events.unshift(ev);
    if (events.length > MAX_EVENTS) events.length = MAX_EVENTS;
    renderEvents();
    const route = ev.route && routes.get(ev.route);
    if (route && route.open) renderDetail(route);
  });
}

// ---- actions, behind the token ----
function token() { return sessionStorage.getItem(TOKEN_KEY); }
function toast(text, error) {
  const t = $('toast');
  t.textContent = text;
  t.classList.toggle('error', !!error);
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 6000);
}
function askToken(why, then) {
  pending = then;
  $('token-why').textContent = why || '';
  $('token-input').value = '';
  $('token-dialog').hidden = false;
  $('token-input').focus();
}
function updateTokenButton() { $('token-button').textContent = token() ? 'Forget token' : 'Set token'; }

function act(name, action) {
  const t = token();
  if (!t) { askToken(action + ' ' + name + ' needs the admin token', () => act(name, action)); return; }
  const path = ['revert', 'resume'].includes(action) ? '/api/routes/' + encodeURIComponent(name) + '/' + action
    : '/api/routes/' + encodeURIComponent(name) + '/rollout/' + action;
  fetch(path, {method: 'POST', headers: {'Authorization': 'Bearer ' + t}}).then(r => r.json().catch(() => ({})).then(body => {
    if (r.ok) {
      toast(name + ': ' + action + (body.changed === false ? ' (nothing to change)' : ' done'));
    } else if (r.status === 401 || r.status === 403) {
      sessionStorage.removeItem(TOKEN_KEY);
      updateTokenButton();
      toast(name + ': ' + action + ' refused (' + r.status + '): ' + (body.message || 'wrong token'), true);
    } else {
      toast(name + ': ' + action + ' failed (' + r.status + '): ' + (body.message || ''), true);
    }
  })).catch(e => toast(name + ': ' + action + ' failed: ' + e, true));
}

function init() {
  $('token-form').addEventListener('submit', e => {
    e.preventDefault();
    const v = $('token-input').value.trim();
    $('token-dialog').hidden = true;
    if (!v) return;
    sessionStorage.setItem(TOKEN_KEY, v);
    updateTokenButton();
    const then = pending;
    pending = null;
    if (then) then();
  });
  $('token-cancel').addEventListener('click', () => { $('token-dialog').hidden = true; pending = null; });
  $('token-button').addEventListener('click', () => {
    if (token()) { sessionStorage.removeItem(TOKEN_KEY); updateTokenButton(); toast('token forgotten'); }
    else askToken('', null);
  });
  $('filter').addEventListener('input', applyFilter);
  updateTokenButton();
  connect();
  // Between snapshots, keep relative times (the next rollout step) moving.
  setInterval(() => { for (const r of routes.values()) if (r.data && r.data.rollout) renderRollout(r); }, 1000);
}
init();
