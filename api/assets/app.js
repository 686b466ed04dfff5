// gatewatch dashboard: plain JavaScript, no dependencies, served with a strict CSP.
//
// Every value shown here comes from access logs that attackers influence (scrubbed, but still
// untrusted), so the DOM is built with createElement/textContent only; nothing is parsed as HTML.
'use strict';

(function () {
  const TOKEN_KEY = 'gatewatch.token';
  // Subject types that are clients with a stored per-minute series.
  const SERIES_KINDS = ['principal', 'api_key', 'iam', 'ip'];
  const SEVERITY_RANK = { critical: 4, high: 3, medium: 2, low: 1 };
  const SUBJECT_NOUNS = { asn: 'a network (ASN)', route: 'an API route' };
  const MINUTE = 60 * 1000;
  const HOUR = 60 * MINUTE;
  const MAX_MINUTE_POINTS = 10080;

  const main = document.getElementById('main');
  const signoutButton = document.getElementById('signout');

  // ------------------------------------------------------------------ token

  let memoryToken = null;

  function getToken() {
    try {
      return window.sessionStorage.getItem(TOKEN_KEY) || memoryToken;
    } catch (e) {
      return memoryToken;
    }
  }

  function setToken(t) {
    memoryToken = t || null;
    try {
      if (t) window.sessionStorage.setItem(TOKEN_KEY, t);
      else window.sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) {
      // Storage disabled: the token lives in memory for this page only.
    }
    signoutButton.hidden = !t;
  }

  // Takes `token=…` from the URL fragment (`#token=…`, or `#/alerts/x?token=…`), keeps it in
  // sessionStorage and removes it from the address bar and the history entry.
  function takeTokenFromFragment() {
    const hash = window.location.hash;
    const m = /(?:^#|[?&])token=([^&]*)/.exec(hash);
    if (!m) return;
    let t = m[1];
    try {
      t = decodeURIComponent(t);
    } catch (e) {
      // Keep it as written.
    }
    if (t) setToken(t.trim());
    let rest = hash.slice(0, m.index) + hash.slice(m.index + m[0].length);
    if (rest.indexOf('?') < 0) rest = rest.replace('&', '?');
    if (rest === '' || rest === '#') rest = '#/';
    window.history.replaceState(null, '', window.location.pathname + window.location.search + rest);
  }

  // ------------------------------------------------------------------ DOM helpers

  // h('div', {class: 'x', onclick: fn}, 'text', child, [more]) — text always goes in as text.
  function h(tag, attrs) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const k of Object.keys(attrs)) {
        const v = attrs[k];
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = String(v);
        else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
        else if (k === 'hidden' || k === 'disabled') el[k] = true;
        else el.setAttribute(k, String(v));
      }
    }
    for (let i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }

  // Appends each child (nodes, text, arrays of them; null/false skipped) to `el`.
  function append(el, ...children) {
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) append(el, ...c);
      else if (c instanceof Node) el.appendChild(c);
      else el.appendChild(document.createTextNode(String(c)));
    }
  }

  const SVG_NS = 'http://www.w3.org/2000/svg';
  function s(tag, attrs) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const k of Object.keys(attrs || {})) el.setAttribute(k, String(attrs[k]));
    return el;
  }

  function replaceMain(...children) {
    main.replaceChildren();
    append(main, children);
  }

  // ------------------------------------------------------------------ API

  class ApiError extends Error {
    constructor(status, detail) {
      super(detail);
      this.status = status;
      this.detail = detail;
    }
  }

  // fetch → parsed JSON. 401 shows the sign-in form; errors carry the problem+json `detail`.
  async function api(path, method) {
    const headers = { Accept: 'application/json' };
    const token = getToken();
    if (token) headers.Authorization = 'Bearer ' + token;
    let res;
    try {
      res = await fetch(path, { method: method || 'GET', headers, cache: 'no-store', credentials: 'omit' });
    } catch (e) {
      throw new ApiError(0, 'The gatewatch API did not answer (' + (e && e.message ? e.message : 'network error') + ').');
    }
    const text = await res.text();
    let body = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    }
    if (res.status === 401) {
      showSignIn(token ? 'The API refused this token (expired, revoked or mistyped). Sign in with another one.' : 'The API needs a token.');
      throw new ApiError(401, 'sign-in required');
    }
    if (!res.ok) {
      let detail = body && typeof body.detail === 'string' ? body.detail : 'HTTP ' + res.status;
      if (body && Array.isArray(body.invalid_params) && body.invalid_params.length) {
        const names = body.invalid_params.map((p) => p && p.name).filter(Boolean);
        if (names.length) detail += ' (parameter ' + names.join(', ') + ')';
      }
      throw new ApiError(res.status, detail);
    }
    return body;
  }

  // ------------------------------------------------------------------ formatting

  function parseTime(v) {
    if (typeof v !== 'string' && typeof v !== 'number') return NaN;
    return new Date(v).getTime();
  }

  // "2026-11-24 00:31:00" (UTC)
  function fmtTime(v) {
    const t = parseTime(v);
    if (!isFinite(t)) return v === null || v === undefined ? '—' : String(v);
    return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
  }

  function fmtHM(t) {
    return new Date(t).toISOString().slice(11, 16);
  }

  function fmtNum(n) {
    if (typeof n !== 'number' || !isFinite(n)) return n === null || n === undefined ? '—' : String(n);
    if (Number.isInteger(n)) return n.toLocaleString('en-US');
    return n.toLocaleString('en-US', { maximumFractionDigits: 2 });
  }

  function fmtPct(part, total) {
    if (!total) return '—';
    const p = (100 * part) / total;
    return (p >= 10 || p === 0 ? p.toFixed(0) : p.toFixed(1)) + '%';
  }

  function fmtDuration(sec) {
    if (typeof sec !== 'number' || !isFinite(sec)) return '—';
    if (sec < 90) return Math.round(sec) + ' s';
    if (sec < 90 * 60) return Math.round(sec / 60) + ' min';
    if (sec < 48 * 3600) return (sec / 3600).toFixed(1) + ' h';
    return (sec / 86400).toFixed(1) + ' d';
  }

  function fmtBytes(n) {
    if (typeof n !== 'number') return fmtNum(n);
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) {
      n /= 1024;
      i++;
    }
    return (i ? n.toFixed(1) : String(n)) + ' ' + units[i];
  }

  function label(key) {
    const special = {
      s2xx: '2XX', s3xx: '3XX', s4xx: '4XX', s401: '401s', s403: '403s', s404: '404s', s429: '429s', s5xx: '5XX',
      asn: 'ASN', asn_org: 'ASN org', asns: 'ASNs', ips: 'IPs', ip: 'IP', kmh: 'km/h',
    };
    if (special[key]) return special[key];
    const t = String(key).replace(/_/g, ' ').replace(/\bips\b/g, 'IPs').replace(/\bip\b/g, 'IP')
      .replace(/\bkmh\b/g, 'km/h').replace(/\bkm\b/g, 'km').replace(/\bs404\b/, '404').replace(/\bs429\b/, '429');
    return t.charAt(0).toUpperCase() + t.slice(1);
  }

  // A scalar evidence value, readable: ratios as percentages, lists joined.
  function fmtValue(key, v) {
    if (v === null || v === undefined) return '—';
    if (typeof v === 'number') {
      if (/ratio$/.test(key) && v >= 0 && v <= 1) return (v * 100).toFixed(v * 100 < 10 ? 1 : 0) + '%';
      return fmtNum(v);
    }
    if (typeof v === 'boolean') return v ? 'yes' : 'no';
    if (Array.isArray(v) && v.every(isScalar)) return v.length ? v.map(String).join(', ') : '—';
    if (typeof v === 'string') {
      if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d)?(\.\d+)?Z$/.test(v)) return fmtTime(v);
      return v;
    }
    return JSON.stringify(v);
  }

  function isScalar(v) {
    return v === null || ['string', 'number', 'boolean'].indexOf(typeof v) >= 0;
  }

  function subjectText(subj) {
    if (!subj || typeof subj !== 'object') return String(subj);
    return String(subj.type) + ':' + String(subj.value);
  }

  function subjectNode(subj) {
    if (!subj || typeof subj !== 'object') return h('span', { class: 'mono' }, String(subj));
    return h('span', null, h('span', { class: 'chip' }, String(subj.type)), h('span', { class: 'mono' }, String(subj.value)));
  }

  function sevBadge(sev) {
    const known = Object.prototype.hasOwnProperty.call(SEVERITY_RANK, sev);
    return h('span', { class: 'badge ' + (known ? 'sev-' + sev : 'sev-low') }, String(sev));
  }

  function statusBadge(st) {
    const known = ['open', 'acknowledged', 'resolved'].indexOf(st) >= 0;
    return h('span', { class: 'badge status' + (known ? ' status-' + st : '') }, String(st));
  }

  function alertHref(id) {
    return '#/alerts/' + encodeURIComponent(String(id));
  }

  function clientHref(client, from, to) {
    let href = '#/clients/' + encodeURIComponent(subjectText(client));
    if (from && to) href += '?from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to);
    return href;
  }

  function errorBanner(e) {
    if (e instanceof ApiError && e.status === 401) return null;
    return h('div', { class: 'banner', role: 'alert' }, e instanceof ApiError ? e.detail : 'Error: ' + String(e && e.message ? e.message : e));
  }

  function card(title, sub, ...body) {
    return h('section', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', null, title), sub ? h('span', { class: 'sub' }, sub) : null),
      body);
  }

  function table(headers, rows, opts) {
    const thead = headers ? h('thead', null, h('tr', null, headers.map((c) => h('th', { class: c.cls || null }, c.label)))) : null;
    const tbody = h('tbody', null, rows);
    return h('div', { class: 'table-wrap' }, h('table', { class: opts && opts.cls ? opts.cls : null }, thead, tbody));
  }

  // ------------------------------------------------------------------ routing

  let seq = 0; // the render in progress; stale renders drop their results

  function route() {
    takeTokenFromFragment();
    const my = ++seq;
    const hash = window.location.hash.replace(/^#/, '');
    const [path, query] = hash.split('?');
    const params = new URLSearchParams(query || '');
    const current = () => my === seq;
    let m;
    if (path === '' || path === '/') {
      overview(current, params);
    } else if ((m = /^\/alerts\/([^/]+)$/.exec(path))) {
      alertPage(current, safeDecode(m[1]));
    } else if ((m = /^\/clients\/([^/]+)$/.exec(path))) {
      clientPage(current, safeDecode(m[1]), params);
    } else if (path === '/signin') {
      showSignIn(null);
    } else {
      replaceMain(card('Not found', null, h('p', null, 'No such page. ', h('a', { href: '#/' }, 'Back to the overview.'))));
    }
  }

  function safeDecode(s) {
    try {
      return decodeURIComponent(s);
    } catch (e) {
      return s;
    }
  }

  function loading(what) {
    replaceMain(h('p', { class: 'loading' }, 'Loading ' + what + '…'));
  }

  // ------------------------------------------------------------------ sign-in

  let signInShown = false;

  function showSignIn(message) {
    if (signInShown) return;
    signInShown = true;
    seq++; // cancel renders in flight
    const input = h('input', { id: 'token-input', type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false', required: 'required', placeholder: 'paste an API token' });
    const form = h('form', { id: 'signin-form', onsubmit: (ev) => {
      ev.preventDefault();
      const t = input.value.trim();
      if (!t) return;
      setToken(t);
      signInShown = false;
      if (window.location.hash === '#/signin') window.location.hash = '#/';
      else route();
    } },
      h('label', { for: 'token-input' }, 'API token'),
      input,
      h('div', null, h('button', { type: 'submit', class: 'primary' }, 'Sign in')));
    replaceMain(h('section', { class: 'card signin', id: 'signin' },
      h('h1', null, 'Sign in'),
      message ? h('p', { class: 'message error' }, message) : null,
      h('p', null, 'The dashboard reads the gatewatch API with a bearer token. Create one with ',
        h('code', null, 'gatewatch token create --scope read'), ' (or ', h('code', null, '--scope admin'),
        ' to acknowledge and resolve alerts). The token is kept in this tab only.'),
      form));
    input.focus();
  }

  signoutButton.addEventListener('click', () => {
    setToken(null);
    signInShown = false;
    showSignIn('Signed out.');
  });

  // ------------------------------------------------------------------ overview

  async function overview(current, params) {
    signInShown = false;
    const status = params.get('status') || 'open';
    loading('the overview');
    const alertQuery = status === 'all' ? 'v1/alerts?limit=200' : 'v1/alerts?status=' + encodeURIComponent(status) + '&limit=100';
    const [stats, alerts] = await Promise.allSettled([api('v1/stats'), api(alertQuery)]);
    if (!current() || signInShown) return;

    // Top clients over the newest stored data: the 6 h before the newest event minute.
    let newest = NaN;
    if (stats.status === 'fulfilled' && stats.value && stats.value.last_event_minute) {
      newest = parseTime(stats.value.last_event_minute);
    } else if (alerts.status === 'fulfilled' && alerts.value && Array.isArray(alerts.value.alerts)) {
      for (const a of alerts.value.alerts) {
        const t = parseTime(a.last_seen);
        if (isFinite(t) && !(t <= newest)) newest = t;
      }
    }
    let range = '';
    let from = null;
    let to = null;
    if (isFinite(newest)) {
      to = new Date(newest + MINUTE).toISOString();
      from = new Date(newest - 6 * HOUR).toISOString();
      range = '&from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to);
    }
    const metrics = [['s403', '403'], ['s429', '429'], ['s4xx', '4XX']];
    const tops = await Promise.allSettled(metrics.map(([m]) => api('v1/clients?metric=' + m + '&limit=10' + range)));
    if (!current() || signInShown) return;

    replaceMain(
      stats.status === 'fulfilled' ? healthCard(stats.value) : card('Pipeline health', null, errorBanner(stats.reason)),
      alertsCard(alerts, status),
      h('div', { class: 'grid3' }, metrics.map(([m, name], i) => topCard(m, name, tops[i], from, to)))
    );
  }

  function tile(labelText, value, cls) {
    return h('div', { class: 'tile' + (cls ? ' ' + cls : '') }, h('div', { class: 'label' }, labelText), h('div', { class: 'value' + (String(value).length > 14 ? ' small' : '') }, value));
  }

  function healthCard(st) {
    st = st || {};
    const sources = Array.isArray(st.sources) ? st.sources : [];
    const forward = Array.isArray(st.forward) ? st.forward : [];
    const alerts = st.alerts || {};
    const events = sources.reduce((n, x) => n + (typeof x.events === 'number' ? x.events : 0), 0);
    const parked = forward.reduce((n, f) => n + (typeof f.parked === 'number' ? f.parked : 0), 0);
    const pending = forward.reduce((n, f) => n + (typeof f.pending === 'number' ? f.pending : 0), 0);
    const tiles = h('div', { class: 'tiles' },
      tile('Newest event', st.last_event_minute ? fmtTime(st.last_event_minute).slice(0, 16) : 'none yet'),
      tile('Events stored', fmtNum(events)),
      tile('Sources', fmtNum(sources.length)),
      tile('Dead letters', fmtNum(st.dead_letters), st.dead_letters > 0 ? 'warn' : null),
      tile('Open alerts', fmtNum(alerts.open), alerts.open > 0 ? 'bad' : null),
      tile('Acknowledged', fmtNum(alerts.acknowledged)),
      tile('Resolved', fmtNum(alerts.resolved)),
      st.firehose && st.firehose.requests ? tile('Firehose requests', fmtNum(st.firehose.requests)) : null,
      forward.length ? tile('SIEM pending / parked', fmtNum(pending) + ' / ' + fmtNum(parked), parked > 0 ? 'bad' : pending > 0 ? 'warn' : null) : null);

    const srcTable = sources.length
      ? table(
        [{ label: 'Source' }, { label: 'Events', cls: 'num' }, { label: 'Last commit', cls: 'hide-narrow' }, { label: 'Since commit', cls: 'num' }, { label: 'Position', cls: 'hide-narrow' }],
        sources.map((x) => h('tr', null,
          h('td', { class: 'mono' }, String(x.source)),
          h('td', { class: 'num' }, fmtNum(x.events)),
          h('td', { class: 'time hide-narrow' }, fmtTime(x.last_commit)),
          h('td', { class: 'num' + (x.seconds_since_commit > 300 ? ' stale' : '') }, fmtDuration(x.seconds_since_commit)),
          h('td', { class: 'mono hide-narrow' }, x.position === null || x.position === undefined ? '—' : String(x.position)))))
      : h('p', { class: 'empty' }, 'No source has committed anything yet.');
    const fwdTable = forward.length
      ? table(
        [{ label: 'SIEM destination' }, { label: 'Delivered', cls: 'num' }, { label: 'Pending', cls: 'num' }, { label: 'Parked', cls: 'num' }, { label: 'Retries', cls: 'num' }, { label: 'Last error' }],
        forward.map((f) => h('tr', null,
          h('td', { class: 'mono' }, String(f.destination)),
          h('td', { class: 'num' }, fmtNum(f.delivered)),
          h('td', { class: 'num' }, fmtNum(f.pending)),
          h('td', { class: 'num' + (f.parked > 0 ? ' stale' : '') }, fmtNum(f.parked)),
          h('td', { class: 'num' }, fmtNum(f.retries)),
          h('td', { class: 'mono' }, f.last_error ? String(f.last_error) : '—'))))
      : null;
    return card('Pipeline health', 'as the store sees it', tiles, h('div', { class: 'cols2' }, srcTable, fwdTable));
  }

  function alertsCard(result, status, noTabs) {
    const tabs = noTabs ? null : h('nav', { class: 'tabs', 'aria-label': 'alert status' },
      ['open', 'acknowledged', 'resolved', 'all'].map((st) =>
        h('a', { href: '#/?status=' + st, class: st === status ? 'active' : null }, st.charAt(0).toUpperCase() + st.slice(1))));
    const head = h('div', { class: 'card-head' }, h('h2', null, noTabs ? 'Alerts about this client' : 'Alerts'), tabs, h('span', { class: 'grow' }),
      noTabs ? null : h('button', { type: 'button', onclick: route }, 'Refresh'));
    if (result.status !== 'fulfilled') return h('section', { class: 'card', id: 'alerts' }, head, errorBanner(result.reason));
    const list = (result.value && Array.isArray(result.value.alerts) ? result.value.alerts : []).slice();
    list.sort((a, b) => (SEVERITY_RANK[b.severity] || 0) - (SEVERITY_RANK[a.severity] || 0) || parseTime(b.last_seen) - parseTime(a.last_seen));
    let body;
    if (!list.length) {
      body = h('p', { class: 'empty' }, status === 'open' ? 'No open alerts.' : 'No alerts with this status.');
    } else {
      body = table(
        [{ label: 'Severity' }, { label: 'Rule' }, { label: 'Kind', cls: 'hide-narrow' }, { label: 'Subject' }, { label: 'First seen', cls: 'hide-narrow' }, { label: 'Last seen' }, { label: 'Evidence' }].concat(status === 'open' ? [] : [{ label: 'Status' }]),
        list.map((a) => {
          const href = alertHref(a.id);
          const ev = a.evidence && typeof a.evidence === 'object' ? a.evidence : {};
          return h('tr', { class: 'clickable alert-row', 'data-alert-id': String(a.id), onclick: (e) => {
            if (e.target instanceof Element && e.target.closest('a')) return;
            window.location.hash = href;
          } },
            h('td', null, sevBadge(a.severity)),
            h('td', { class: 'rule' }, h('a', { href }, String(a.rule))),
            h('td', { class: 'hide-narrow' }, String(a.kind)),
            h('td', { class: 'subject' }, subjectNode(a.subject)),
            h('td', { class: 'time hide-narrow' }, fmtTime(a.first_seen)),
            h('td', { class: 'time' }, fmtTime(a.last_seen)),
            h('td', { class: 'summary' }, typeof ev.summary === 'string' ? ev.summary : '—'),
            status === 'open' ? null : h('td', null, statusBadge(a.status)));
        }));
    }
    const more = result.value && result.value.next_cursor ? h('p', { class: 'muted' }, 'Showing the newest ' + list.length + '; more are available through the API.') : null;
    return h('section', { class: 'card', id: 'alerts' }, head, body, more);
  }

  function topCard(metric, name, result, from, to) {
    const sub = from && to ? '6 h to ' + fmtTime(to).slice(0, 16) : 'last hour of data';
    if (result.status !== 'fulfilled') return card('Top clients by ' + name, sub, errorBanner(result.reason));
    const clients = (result.value && Array.isArray(result.value.clients) ? result.value.clients : []).filter((c) => c[metric] > 0);
    if (!clients.length) return card('Top clients by ' + name, sub, h('p', { class: 'empty' }, 'No ' + name + ' answers in this range.'));
    return h('section', { class: 'card', id: 'top-' + metric },
      h('div', { class: 'card-head' }, h('h2', null, 'Top clients by ' + name), h('span', { class: 'sub' }, sub)),
      table(
        [{ label: 'Client' }, { label: name, cls: 'num' }, { label: 'Total', cls: 'num' }, { label: 'Rate', cls: 'num' }],
        clients.map((c) => h('tr', null,
          h('td', null, h('a', { href: clientHref(c.client, from, to) }, subjectNode(c.client))),
          h('td', { class: 'num' }, fmtNum(c[metric])),
          h('td', { class: 'num' }, fmtNum(c.total)),
          h('td', { class: 'num' }, fmtPct(c[metric], c.total))))));
  }

  // ------------------------------------------------------------------ alert page

  async function alertPage(current, id) {
    signInShown = false;
    loading('alert ' + id);
    let alert;
    try {
      alert = await api('v1/alerts/' + encodeURIComponent(id));
    } catch (e) {
      if (!current() || signInShown) return;
      replaceMain(h('div', { class: 'crumbs' }, h('a', { href: '#/' }, '← Overview')), errorBanner(e));
      return;
    }
    if (!current()) return;
    renderAlert(current, alert);
  }

  function renderAlert(current, a) {
    const ev = a.evidence && typeof a.evidence === 'object' && !Array.isArray(a.evidence) ? a.evidence : { value: a.evidence };
    const message = h('span', { class: 'message', id: 'action-message', role: 'status' });
    const ackButton = h('button', { type: 'button', id: 'ack', disabled: a.status !== 'open' }, 'Acknowledge');
    const resolveButton = h('button', { type: 'button', id: 'resolve', class: 'primary', disabled: a.status === 'resolved' }, 'Resolve');
    const act = (verb, what) => async () => {
      ackButton.disabled = true;
      resolveButton.disabled = true;
      message.className = 'message';
      message.textContent = what + '…';
      try {
        await api('v1/alerts/' + encodeURIComponent(a.id) + '/' + verb, 'POST');
        const fresh = await api('v1/alerts/' + encodeURIComponent(a.id));
        if (!current()) return;
        renderAlert(current, fresh);
        const m = document.getElementById('action-message');
        if (m) {
          m.className = 'message ok';
          m.textContent = verb === 'ack' ? 'Acknowledged.' : 'Resolved.';
        }
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return;
        message.className = 'message error';
        message.textContent = e instanceof ApiError && e.status === 403
          ? 'This needs an admin token (the current token may only read). Sign out and sign in with an admin token.'
          : e instanceof ApiError ? e.detail : String(e);
        ackButton.disabled = a.status !== 'open';
        resolveButton.disabled = a.status === 'resolved';
      }
    };
    ackButton.addEventListener('click', act('ack', 'Acknowledging'));
    resolveButton.addEventListener('click', act('resolve', 'Resolving'));

    const field = (name, value) => h('div', null, h('dt', null, name), h('dd', null, value));
    const head = h('section', { class: 'card', id: 'alert' },
      h('div', { class: 'alert-title' }, sevBadge(a.severity), h('h1', { id: 'alert-rule' }, String(a.rule)), statusBadge(a.status)),
      h('p', { class: 'lead', id: 'evidence-summary' }, typeof ev.summary === 'string' ? ev.summary : 'No summary in the evidence.'),
      h('dl', { class: 'fields' },
        field('Subject', subjectNode(a.subject)),
        field('Kind', String(a.kind)),
        field('Rule', String(a.rule)),
        field('Severity', String(a.severity)),
        field('Status', String(a.status)),
        field('First seen', fmtTime(a.first_seen)),
        field('Last seen', fmtTime(a.last_seen)),
        field('Detected at', fmtTime(a.detected_at)),
        a.count !== undefined ? field('Windows fired', fmtNum(a.count)) : null,
        field('Alert id', h('span', { class: 'mono' }, String(a.id)))),
      h('div', { class: 'actions' }, ackButton, resolveButton, message));

    const chartCard = h('section', { class: 'card', id: 'chart-card' });
    replaceMain(
      h('div', { class: 'crumbs' }, h('a', { href: '#/' }, '← Overview')),
      head,
      chartCard,
      evidenceCard(ev),
      h('section', { class: 'card' }, h('details', null, h('summary', null, 'Raw alert JSON'), h('pre', { class: 'json' }, JSON.stringify(a, null, 2)))));

    const subj = a.subject || {};
    const first = parseTime(a.first_seen);
    const last = parseTime(a.last_seen);
    if (SERIES_KINDS.indexOf(subj.type) < 0) {
      append(chartCard, h('div', { class: 'card-head' }, h('h2', null, 'Traffic')),
        h('p', { class: 'empty', id: 'no-chart' }, 'No chart: the subject is ' + (SUBJECT_NOUNS[subj.type] || 'of type ' + String(subj.type)) +
          ', not a client. gatewatch keeps per-minute series for principals, API keys, IAM identities and IP addresses only; the evidence below lists the clients involved.'));
      return;
    }
    if (!isFinite(first) || !isFinite(last)) {
      append(chartCard, h('p', { class: 'empty' }, 'No chart: the alert has no valid first/last seen time.'));
      return;
    }
    loadChart(current, chartCard, subj, first - 30 * MINUTE, last + 30 * MINUTE, first, last + MINUTE);
  }

  async function loadChart(current, container, client, from, to, bandFrom, bandTo) {
    from = Math.floor(from / MINUTE) * MINUTE;
    to = Math.ceil(to / MINUTE) * MINUTE;
    const step = (to - from) / MINUTE > MAX_MINUTE_POINTS ? '1h' : '1m';
    const title = h('div', { class: 'card-head' },
      h('h2', null, 'Traffic of ', subjectNode(client)),
      h('span', { class: 'sub' }, fmtTime(new Date(from).toISOString()).slice(0, 16) + ' – ' + fmtTime(new Date(to).toISOString()).slice(0, 16) + ', per ' + (step === '1m' ? 'minute' : 'hour')));
    const status = h('p', { class: 'loading' }, 'Loading the series…');
    append(container, title, status);
    let series;
    try {
      series = await api('v1/clients/' + encodeURIComponent(subjectText(client)) + '/series?from=' + from + '&to=' + to + '&step=' + step);
    } catch (e) {
      if (!current()) return;
      status.replaceWith(errorBanner(e) || h('span'));
      return;
    }
    if (!current()) return;
    let points = series && Array.isArray(series.points) ? series.points : [];
    if (!isFinite(bandFrom)) {
      // No alert to frame: start shortly before the client's first request in the range.
      const first = points.findIndex((p) => p.total > 0);
      if (first > 10) points = points.slice(first - 10);
    }
    if (!points.some((p) => p.total > 0)) {
      status.replaceWith(h('p', { class: 'empty' }, 'No traffic stored for this client in this range.'));
      return;
    }
    // Drawn at the card's pixel width so the axis labels keep their size on any screen.
    const width = Math.round(container.clientWidth) - 30;
    status.replaceWith(chart(points, bandFrom, bandTo, width > 0 ? Math.max(300, width) : 960));
  }

  // ------------------------------------------------------------------ evidence

  const EVIDENCE_ORDER = ['window', 'observed', 'baseline', 'thresholds', 'source', 'network'];
  const EVIDENCE_TITLES = {
    window: 'Window', observed: 'Observed', baseline: 'Baseline', thresholds: 'Thresholds', source: 'Source',
    network: 'Network', top_ips: 'Top IPs', top_countries: 'Top countries', top_routes: 'Top routes',
    top_paths: 'Top paths', sample_ips: 'Sample IPs', sample_paths: 'Sample paths', ips: 'IPs',
    ips_in_new_place: 'IPs in the new place', sample_request_ids: 'Sample request ids',
  };
  const COLUMN_ORDER = ['ip', 'route', 'path', 'country', 'asn', 'asn_org', 'requests', 'count'];

  function evidenceCard(ev) {
    const keys = Object.keys(ev).filter((k) => k !== 'summary');
    keys.sort((x, y) => rank(x) - rank(y));
    function rank(k) {
      const i = EVIDENCE_ORDER.indexOf(k);
      if (i >= 0) return i;
      if (k === 'sample_request_ids') return 1000;
      return 100;
    }
    const kvGroup = [];
    const rest = [];
    let windowText = null;
    for (const k of keys) {
      const v = ev[k];
      if (k === 'window' && v && typeof v === 'object' && !Array.isArray(v) && v.from && v.to && Object.keys(v).length <= 3) {
        windowText = 'window ' + fmtTime(v.from).slice(0, 16) + ' – ' + fmtTime(v.to).slice(11, 16) + ' UTC' + (typeof v.minutes === 'number' ? ' (' + v.minutes + ' min)' : '');
      } else if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).every((x) => isScalar(v[x]) || (Array.isArray(v[x]) && v[x].every(isScalar)))) {
        kvGroup.push(section(k, kvTable(v)));
      } else {
        rest.push(section(k, renderValue(k, v)));
      }
    }
    return h('section', { class: 'card', id: 'evidence' },
      h('div', { class: 'card-head' }, h('h2', null, 'Evidence'), windowText ? h('span', { id: 'evidence-window' }, windowText) : null,
        h('span', { class: 'sub' }, 'scrubbed values from the access logs')),
      kvGroup.length ? h('div', { class: 'cols2' }, kvGroup) : null,
      h('div', { class: 'cols2' }, rest.filter((x) => !x.classList.contains('ev-ids'))),
      rest.filter((x) => x.classList.contains('ev-ids')));
  }

  function section(key, content) {
    return h('div', { class: 'ev-section' + (key === 'sample_request_ids' ? ' ev-ids' : ''), 'data-key': key },
      h('h3', null, EVIDENCE_TITLES[key] || label(key)), content);
  }

  function kvTable(obj) {
    const keys = Object.keys(obj);
    if (keys.every((k) => obj[k] === null || obj[k] === undefined)) return h('p', { class: 'empty' }, 'none known');
    return table(null,
      keys.map((k) => h('tr', null, h('th', null, label(k)), h('td', null, fmtValue(k, obj[k])))),
      { cls: 'kv' });
  }

  function renderValue(key, v) {
    if (Array.isArray(v)) {
      if (!v.length) return h('p', { class: 'empty' }, 'none');
      if (v.every(isScalar)) {
        if (key === 'sample_request_ids') return h('ol', { class: 'ids' }, v.map((x) => h('li', null, String(x))));
        return h('ul', { class: 'plain mono' }, v.map((x) => h('li', null, fmtValue(key, x))));
      }
      if (v.every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
        const cols = [];
        for (const row of v) for (const c of Object.keys(row)) if (cols.indexOf(c) < 0) cols.push(c);
        cols.sort((x, y) => colRank(x) - colRank(y));
        return table(cols.map((c) => ({ label: label(c), cls: typeof v[0][c] === 'number' ? 'num' : null })),
          v.map((row) => h('tr', null, cols.map((c) => h('td', {
            class: typeof row[c] === 'number' ? 'num' : c === 'ip' || c === 'route' || c === 'path' ? 'mono' : null,
          }, fmtValue(c, row[c]))))));
      }
    }
    if (isScalar(v)) return h('p', null, fmtValue(key, v));
    return h('pre', { class: 'json' }, JSON.stringify(v, null, 2));
  }

  function colRank(c) {
    const i = COLUMN_ORDER.indexOf(c);
    return i < 0 ? 50 : i;
  }

  // ------------------------------------------------------------------ chart (inline SVG)

  const LINES = [
    { key: 'total', name: 'Total' },
    { key: 's4xx', name: '4XX' },
    { key: 's403', name: '403' },
    { key: 's429', name: '429' },
    { key: 's401', name: '401', off: true },
  ];

  function niceStep(max, ticks) {
    const raw = Math.max(max, 1) / ticks;
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    for (const m of [1, 2, 2.5, 5, 10]) if (m * mag >= raw) return Math.max(1, m * mag);
    return 10 * mag;
  }

  function chart(points, bandFrom, bandTo, W) {
    const H = W < 600 ? 220 : 280;
    const M = { l: 48, r: 12, t: 14, b: 30 };
    const pw = W - M.l - M.r;
    const ph = H - M.t - M.b;
    const ts = points.map((p) => parseTime(p.t));
    const stepMs = ts.length > 1 ? ts[1] - ts[0] : MINUTE;
    const t0 = ts[0];
    const t1 = ts[ts.length - 1] + stepMs;
    const visible = {};
    for (const line of LINES) visible[line.key] = !line.off;
    const x = (t) => M.l + ((t - t0) / (t1 - t0)) * pw;

    const wrap = h('div', { class: 'chart-wrap', id: 'chart' });
    const legend = h('div', { class: 'legend' });
    const readout = h('div', { class: 'readout', id: 'chart-readout' }, 'Point at the chart for the values of a minute.');
    const svg = s('svg', { class: 'chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'data-points': points.length });
    const title = s('title', {});
    title.textContent = 'Requests per ' + (stepMs >= HOUR ? 'hour' : 'minute') + ': total, 4XX, 403 and 429';
    append(wrap, legend, svg, readout);

    for (const line of LINES) {
      const b = h('button', { type: 'button', class: line.off ? 'off' : null, 'aria-pressed': String(!line.off) }, h('span', { class: 'swatch sw-' + line.key }), line.name);
      b.addEventListener('click', () => {
        visible[line.key] = !visible[line.key];
        b.classList.toggle('off', !visible[line.key]);
        b.setAttribute('aria-pressed', String(visible[line.key]));
        draw();
      });
      legend.appendChild(b);
    }
    if (isFinite(bandFrom) && isFinite(bandTo)) {
      legend.appendChild(h('span', { class: 'muted' }, 'shaded: the alert’s first to last seen minute'));
    }

    let cursor = null;
    let ymax = 1;

    function draw() {
      svg.replaceChildren(title);
      ymax = 1;
      for (const line of LINES) {
        if (!visible[line.key]) continue;
        for (const p of points) if (typeof p[line.key] === 'number' && p[line.key] > ymax) ymax = p[line.key];
      }
      const step = niceStep(ymax, 4);
      const top = Math.ceil(ymax / step) * step;
      const y = (v) => M.t + ph - (v / top) * ph;

      if (isFinite(bandFrom) && isFinite(bandTo)) {
        const bx0 = Math.max(M.l, x(bandFrom));
        const bx1 = Math.min(M.l + pw, x(bandTo));
        if (bx1 > bx0) {
          svg.appendChild(s('rect', { class: 'band', x: bx0, y: M.t, width: Math.max(1, bx1 - bx0), height: ph }));
          svg.appendChild(s('line', { class: 'band-edge', x1: bx0, x2: bx0, y1: M.t, y2: M.t + ph }));
          svg.appendChild(s('line', { class: 'band-edge', x1: bx1, x2: bx1, y1: M.t, y2: M.t + ph }));
          const bl = s('text', { class: 'band-label', x: bx0 + 4, y: M.t + 12 });
          bl.textContent = 'alert';
          svg.appendChild(bl);
        }
      }
      for (let v = 0; v <= top + 1e-9; v += step) {
        svg.appendChild(s('line', { class: 'grid', x1: M.l, x2: M.l + pw, y1: y(v), y2: y(v) }));
        const tl = s('text', { x: M.l - 6, y: y(v) + 4, 'text-anchor': 'end' });
        tl.textContent = fmtNum(v);
        svg.appendChild(tl);
      }
      // Time ticks at round minutes, at most about 8.
      const spanMin = (t1 - t0) / MINUTE;
      const maxTicks = Math.max(3, Math.min(10, Math.floor(pw / 80)));
      const tickMin = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080].find((m) => spanMin / m <= maxTicks) || 10080;
      const first = Math.ceil(t0 / (tickMin * MINUTE)) * tickMin * MINUTE;
      for (let t = first; t <= t1; t += tickMin * MINUTE) {
        const tx = x(t);
        svg.appendChild(s('line', { class: 'grid', x1: tx, x2: tx, y1: M.t, y2: M.t + ph }));
        const anchor = tx > W - 24 ? 'end' : tx < M.l + 12 ? 'start' : 'middle';
        const tl = s('text', { x: anchor === 'end' ? W - 2 : tx, y: H - 10, 'text-anchor': anchor });
        tl.textContent = tickMin >= 1440 || (t % (24 * HOUR) === 0 && t !== first) ? new Date(t).toISOString().slice(5, 10) : fmtHM(t);
        svg.appendChild(tl);
      }
      svg.appendChild(s('line', { class: 'axis', x1: M.l, x2: M.l + pw, y1: M.t + ph, y2: M.t + ph }));
      svg.appendChild(s('line', { class: 'axis', x1: M.l, x2: M.l, y1: M.t, y2: M.t + ph }));

      for (const line of LINES) {
        if (!visible[line.key]) continue;
        const pts = points.map((p, i) => {
          const v = typeof p[line.key] === 'number' ? p[line.key] : 0;
          return (x(ts[i]) + (x(ts[i] + stepMs) - x(ts[i])) / 2).toFixed(1) + ',' + y(v).toFixed(1);
        });
        svg.appendChild(s('polyline', { class: 'l-' + line.key, 'data-series': line.key, points: pts.join(' ') }));
      }
      cursor = s('line', { class: 'cursor', x1: -10, x2: -10, y1: M.t, y2: M.t + ph });
      svg.appendChild(cursor);
      svg.appendChild(s('rect', { class: 'hit', x: M.l, y: M.t, width: pw, height: ph }));
    }

    svg.addEventListener('mousemove', (ev) => {
      const r = svg.getBoundingClientRect();
      if (!r.width) return;
      const sx = ((ev.clientX - r.left) / r.width) * W;
      const i = Math.floor(((sx - M.l) / pw) * points.length);
      if (i < 0 || i >= points.length) return;
      const p = points[i];
      const cx = x(ts[i]) + (x(ts[i] + stepMs) - x(ts[i])) / 2;
      cursor.setAttribute('x1', cx);
      cursor.setAttribute('x2', cx);
      readout.textContent = fmtTime(p.t).slice(0, 16) + ' UTC — ' +
        LINES.map((l) => l.name + ' ' + fmtNum(p[l.key])).join(' · ') +
        (typeof p.distinct_paths === 'number' ? ' · paths ' + fmtNum(p.distinct_paths) : '') +
        (typeof p.distinct_ips === 'number' ? ' · IPs ' + fmtNum(p.distinct_ips) : '') +
        (typeof p.bytes === 'number' ? ' · ' + fmtBytes(p.bytes) : '');
    });
    svg.addEventListener('mouseleave', () => {
      cursor.setAttribute('x1', -10);
      cursor.setAttribute('x2', -10);
    });

    draw();
    return wrap;
  }

  // ------------------------------------------------------------------ client page

  async function clientPage(current, client, params) {
    signInShown = false;
    const i = client.indexOf(':');
    const subj = i > 0 ? { type: client.slice(0, i), value: client.slice(i + 1) } : { type: '?', value: client };
    let to = parseTime(params.get('to'));
    let from = parseTime(params.get('from'));
    const chartCard = h('section', { class: 'card', id: 'chart-card' });
    const alertsBox = h('div');
    replaceMain(h('div', { class: 'crumbs' }, h('a', { href: '#/' }, '← Overview')), chartCard, alertsBox);
    if (!isFinite(to) || !isFinite(from) || from >= to) {
      try {
        const st = await api('v1/stats');
        to = st && st.last_event_minute ? parseTime(st.last_event_minute) + MINUTE : Date.now();
      } catch (e) {
        if (!current() || signInShown) return;
        to = Date.now();
      }
      from = to - 6 * HOUR;
    }
    if (!current()) return;
    loadChart(current, chartCard, subj, from, to, NaN, NaN);
    try {
      const res = await api('v1/alerts?limit=100&subject=' + encodeURIComponent(client));
      if (!current()) return;
      alertsBox.replaceWith(alertsCard({ status: 'fulfilled', value: res }, 'all', true));
    } catch (e) {
      if (!current()) return;
      alertsBox.replaceWith(card('Alerts', null, errorBanner(e)));
    }
  }

  // ------------------------------------------------------------------ start

  window.addEventListener('hashchange', route);
  signoutButton.hidden = !getToken();
  route();
})();
