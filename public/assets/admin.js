// GET /admin: live KPI cards, calls table and activity feed over the WebSocket /ws (the page's cookie signs the
// handshake), reconnecting with backoff; replay of failed webhooks and retry of failed callbacks. No inline script.
(() => {
  'use strict';
  const root = document.getElementById('dashboard');
  if (!root) return;
  const tz = root.dataset.tz;
  const filters = { outcome: root.dataset.filterOutcome, intent: root.dataset.filterIntent, sentiment: root.dataset.filterSentiment, q: root.dataset.filterQ };
  const filtered = Object.values(filters).some(Boolean);
  // On an older page (?cursor=) the table is history: live rows are not added there.
  const paged = new URLSearchParams(location.search).has('cursor');
  const timeFormat = new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const formatTime = (value) => (value ? timeFormat.format(new Date(value)).replace(',', '') : '');

  function formatKpi(value, format) {
    if (value === null || value === undefined) return '—';
    const number = Number(value);
    if (format === 'percent') return `${(Math.round(number * 1000) / 10).toFixed(1)}%`;
    if (format === 'duration') {
      const total = Math.round(number);
      const hours = Math.floor(total / 3600);
      const minutes = Math.floor((total % 3600) / 60);
      const seconds = String(total % 60).padStart(2, '0');
      return hours ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
    }
    return String(number);
  }

  function element(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) if (value !== undefined && value !== null) node.setAttribute(name, String(value));
    for (const child of [].concat(children)) node.append(child instanceof Node ? child : document.createTextNode(String(child ?? '')));
    return node;
  }

  // KPI cards: recomputed by the server (GET /api/dashboard), never counted here.
  let kpiTimer = null;
  function refreshKpis() {
    clearTimeout(kpiTimer);
    kpiTimer = setTimeout(async () => {
      const query = new URLSearchParams({ from: root.dataset.from, to: root.dataset.to, tz });
      const response = await fetch(`/api/dashboard?${query}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      const kpis = await response.json();
      for (const card of document.querySelectorAll('[data-kpi]')) {
        const value = formatKpi(kpis[card.dataset.kpi], card.dataset.format);
        const target = card.querySelector('.kpi-value');
        if (target.textContent !== value) {
          target.textContent = value;
          card.classList.add('changed');
        }
      }
      updateChart(kpis.callsPerDay ?? []);
      updateBreakdown('outcomes', kpis.outcomes, kpis.totalCalls);
      updateBreakdown('sentiments', kpis.sentiments, kpis.totalCalls);
      updateBreakdown('intents', kpis.intents, kpis.totalCalls);
    }, 150);
  }


  // The SVG chart keeps its scale in data attributes (server-rendered); bars are resized when counts change.
  function updateChart(days) {
    const chart = document.getElementById('calls-per-day');
    if (!chart) return;
    const baseline = Number(chart.dataset.baseline);
    const plotHeight = Number(chart.dataset.plotHeight);
    const max = Math.max(1, ...days.map((day) => day.count));
    if (String(max) !== chart.dataset.max) {
      void redrawScaleLater();
      return;
    }
    for (const day of days) {
      const bar = chart.querySelector(`rect[data-date="${day.date}"]`);
      if (!bar || bar.dataset.count === String(day.count)) continue;
      const height = Math.round(((day.count / max) * plotHeight) * 10) / 10;
      bar.dataset.count = String(day.count);
      bar.setAttribute('height', String(height));
      bar.setAttribute('y', String(Math.round((baseline - height) * 10) / 10));
      bar.querySelector('title').textContent = `${day.date}: ${day.count} calls`;
    }
  }
  // A new maximum changes the axis: fetch the server-rendered chart again rather than re-implement it here.
  async function redrawScaleLater() {
    const response = await fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
    if (!response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('calls-per-day');
    const current = document.getElementById('calls-per-day');
    if (fresh && current) current.replaceWith(document.importNode(fresh, true));
  }
  function updateBreakdown(name, values, total) {
    const section = document.getElementById(`breakdown-${name}`);
    if (!section || !values) return;
    const entries = Object.entries(values).sort((a, b) => b[1] - a[1]);
    const list = element('dl');
    for (const [label, count] of entries) {
      list.append(element('dt', {}, label), element('dd', { 'data-name': label }, [element('meter', { min: 0, max: total, value: count }), ' ', element('span', { class: 'count' }, count)]));
    }
    section.querySelectorAll('dl, p.muted').forEach((node) => node.remove());
    section.append(entries.length ? list : element('p', { class: 'muted' }, 'No calls in this range.'));
  }

  // Calls table
  const callsBody = document.querySelector('#calls tbody');
  function callRow(call) {
    const link = element('a', { href: `/admin/conversations/${encodeURIComponent(call.id)}` }, call.title || (call.summary || '').slice(0, 80) || call.conversationId);
    return element('tr', { 'data-call-id': call.id, 'data-called-at': call.calledAt || '', class: 'new' }, [
      element('td', {}, element('time', { datetime: call.startedAt || '' }, formatTime(call.startedAt))),
      element('td', {}, link),
      element('td', {}, call.callerName || call.fromNumber || ''),
      element('td', {}, element('span', { class: `tag outcome-${call.outcome || 'unknown'}` }, call.outcome || 'unknown')),
      element('td', {}, call.intent || ''),
      element('td', {}, call.sentiment || ''),
      element('td', {}, call.durationSecs === null || call.durationSecs === undefined ? '' : `${call.durationSecs} s`),
    ]);
  }
  // The table shows the first page (newest first): re-render it in the server's order, flashing new rows.
  function renderCalls(items) {
    if (!callsBody || paged) return;
    const known = new Set([...callsBody.querySelectorAll('tr[data-call-id]')].map((row) => row.dataset.callId));
    const rows = items.map((call) => {
      const row = callRow(call);
      if (known.has(call.id)) row.classList.remove('new');
      return row;
    });
    if (rows.length) document.getElementById('calls-empty')?.remove();
    callsBody.replaceChildren(...rows);
  }
  // A new call takes its place in the server's order (newest calledAt first): a replayed old call lands below
  // today's, or beyond the first page (CALLS_PAGE rows), where it is not shown.
  const CALLS_PAGE = 20;
  function addCall(call) {
    if (paged) return;
    if (!callsBody || callsBody.querySelector(`tr[data-call-id="${CSS.escape(call.id)}"]`)) return;
    const at = Date.parse(call.calledAt || '') || Date.now();
    const rows = [...callsBody.querySelectorAll('tr[data-call-id]')];
    const before = rows.find((row) => (Date.parse(row.dataset.calledAt || '') || 0) < at);
    if (!before && rows.length >= CALLS_PAGE) return;
    document.getElementById('calls-empty')?.remove();
    callsBody.insertBefore(callRow(call), before || null);
    if (rows.length >= CALLS_PAGE) rows[rows.length - 1].remove();
  }
  // Without call_created (or for a filtered table) ask the server which calls are new.
  // `expected` (a conversation id from an activity event) may not be committed yet: look again a few times.
  let callsTimer = null;
  function refreshCalls(expected, attempt = 0) {
    clearTimeout(callsTimer);
    callsTimer = setTimeout(async () => {
      const query = new URLSearchParams(Object.entries({ ...filters, limit: String(CALLS_PAGE) }).filter(([, v]) => v));
      const response = await fetch(`/api/calls?${query}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
      if (!response.ok) return;
      const page = await response.json();
      renderCalls(page.items);
      if (expected && !filtered && attempt < 5 && !page.items.some((call) => call.conversationId === expected)) {
        refreshCalls(expected, attempt + 1);
        return;
      }
      refreshKpis();
    }, 150 + attempt * 400);
  }

  // Activity feed
  const feed = document.getElementById('activity');
  function addActivity(item) {
    if (!feed || feed.querySelector(`li[data-activity-id="${CSS.escape(item.id)}"]`)) return;
    feed.prepend(
      element('li', { 'data-activity-id': item.id, 'data-type': item.type, class: 'new' }, [
        element('time', { datetime: item.createdAt }, formatTime(item.createdAt)),
        ' ',
        element('span', { class: 'tag' }, item.type),
        ` ${item.title}`,
      ]),
    );
  }

  function onEvent(event, data) {
    if (event === 'activity_created') {
      addActivity(data);
      if (data.type === 'call_completed') refreshCalls(data.data?.conversationId);
    } else if (event === 'call_created') {
      if (!filtered) addCall(data);
      else refreshCalls();
      refreshKpis();
    } else if (event === 'task_updated') {
      refreshKpis();
    }
  }

  // WebSocket with reconnect (1 s doubling to 30 s, reset once a connection opens).
  const status = document.getElementById('live-status');
  const setStatus = (state, text) => {
    if (!status) return;
    status.dataset.state = state;
    status.textContent = text;
  };
  let delay = 1000;
  function connect() {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    socket.addEventListener('open', () => {
      delay = 1000;
      setStatus('open', 'live');
      // Catch up on what happened while we were away.
      refreshCalls();
    });
    socket.addEventListener('message', (message) => {
      try {
        const { event, data } = JSON.parse(message.data);
        if (typeof event === 'string') onEvent(event, data ?? {});
      } catch {
        /* not ours */
      }
    });
    socket.addEventListener('close', () => {
      setStatus('closed', `reconnecting in ${Math.round(delay / 1000)} s`);
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30_000);
    });
  }
  connect();

  // Replay a failed webhook / retry a failed callback.
  async function act(button, url, done) {
    const result = button.parentElement.querySelector('.result');
    button.disabled = true;
    result.textContent = '…';
    try {
      const response = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json' } });
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        result.textContent = `failed: ${Array.isArray(body.message) ? body.message.join('; ') : body.message || response.status}`;
        button.disabled = false;
        return;
      }
      result.textContent = done(body);
      button.parentElement.dataset.status = body.status ?? 'done';
      refreshKpis();
    } catch (error) {
      result.textContent = `failed: ${error.message}`;
      button.disabled = false;
    }
  }
  document.addEventListener('click', (click) => {
    const target = click.target;
    if (!(target instanceof HTMLButtonElement)) return;
    if (target.dataset.replay) {
      void act(target, `/api/webhooks/events/${encodeURIComponent(target.dataset.replay)}/replay`, (event) => (event.status === 'processed' ? 'replayed: processed' : `replayed: ${event.status}${event.error ? ` (${event.error})` : ''}`));
    } else if (target.dataset.retry) {
      void act(target, `/api/callbacks/${encodeURIComponent(target.dataset.retry)}/retry`, (task) => `retry scheduled${task.nextAttemptAt ? ` for ${formatTime(task.nextAttemptAt)}` : ''}`);
    }
  });
})();
