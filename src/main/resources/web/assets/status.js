// Tandem status page, live: polls the JSON API every POLL_MS and redraws the sections the server rendered.
// Draws with DOM calls and textContent only (never innerHTML), so catalog text can never become markup.
// Reads the same fields as ClusterPicture.java and draws the same structure as PageRenderer.java: keep them in step.
(function () {
  'use strict';

  var POLL_MS = 500;
  var TIMEOUT_MS = 3000;
  var HISTORY_ROWS = 20;
  var lastOk = 0;
  var samples = {}; // content -> [{t, bytes}] to estimate catch-up when the document has no estimate

  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    for (var i = 2; i < arguments.length; i++) {
      var c = arguments[i];
      if (c === null || c === undefined) continue;
      e.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  function put(id, node) {
    var box = document.getElementById(id);
    if (box) box.replaceChildren(node);
  }

  function str(v, absent) {
    return v === null || v === undefined || typeof v === 'object' ? absent : String(v);
  }

  function none(text) { return el('p', {class: 'none'}, text); }

  function bytes(n) {
    var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    if (n < 1024) return n + ' B';
    var v = n, u = 0;
    while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
    return v.toFixed(1) + ' ' + units[u];
  }

  function seconds(s) {
    if (s < 10) return s.toFixed(1) + ' s';
    var w = Math.round(s);
    if (w < 60) return w + ' s';
    if (w < 3600) return Math.floor(w / 60) + ' min ' + (w % 60) + ' s';
    return Math.floor(w / 3600) + ' h ' + Math.floor(w % 3600 / 60) + ' min';
  }

  function time(iso) {
    var t = Date.parse(iso);
    return isNaN(t) ? str(iso, '') : new Date(t).toISOString().replace('T', ' ').replace('Z', ' UTC');
  }

  function lsn(text) {
    if (typeof text !== 'string') return null;
    var m = /^([0-9A-Fa-f]+)\/([0-9A-Fa-f]+)$/.exec(text);
    return m ? parseInt(m[1], 16) * 4294967296 + parseInt(m[2], 16) : null;
  }

  function instance(n, paired) {
    var probe = n.probe || {};
    var r = n.recovery && typeof n.recovery === 'object' ? n.recovery : null;
    return {
      dbid: n.dbid | 0, content: n.content | 0, hostname: str(n.hostname, '?'), port: n.port | 0,
      role: str(n.role, 'unknown'), preferredRole: str(n.preferredRole, 'unknown'),
      status: str(n.status, 'unknown'), mode: str(n.mode, 'unknown'),
      probe: str(probe.result, 'not_contacted'), reason: str(probe.reason, ''), raw: n, paired: paired,
      recovery: r && {type: str(r.type, 'recovery'), completedBytes: +r.completedBytes || 0,
        totalBytes: +r.totalBytes || 0, percent: r.percent | 0}
    };
  }

  function label(i) {
    return i.content < 0 ? (i.role === 'primary' ? 'coordinator' : 'standby') : 'seg' + i.content;
  }

  function picture(c) {
    var raw = [];
    if (c.coordinator && typeof c.coordinator === 'object') raw.push(c.coordinator);
    if (c.standby && typeof c.standby === 'object') raw.push(c.standby);
    (c.instances || []).forEach(function (n) { raw.push(n); });
    var all = raw.map(function (n) {
      return instance(n, raw.filter(function (o) { return (o.content | 0) === (n.content | 0); }).length > 1);
    });
    var hosts = [], byHost = {};
    all.forEach(function (i) {
      if (!byHost.hasOwnProperty(i.hostname)) { byHost[i.hostname] = []; hosts.push(i.hostname); }
      byHost[i.hostname].push(i);
    });
    var order = function (a, b) {
      return a.content - b.content || (a.role === 'primary' ? 0 : 1) - (b.role === 'primary' ? 0 : 1)
        || a.dbid - b.dbid;
    };
    return {
      down: c.coordinatorDown && typeof c.coordinatorDown === 'object' ? c.coordinatorDown : null,
      problems: (c.problems || []).map(function (p) { return str(p.message, str(p.kind, 'problem')); }),
      hosts: hosts.map(function (h) { return {name: h, instances: byHost[h].slice().sort(order)}; }),
      lagging: lagging(c, all),
      recovering: all.filter(function (i) { return i.recovery; }),
      fts: c.fts && typeof c.fts === 'object' ? c.fts : null
    };
  }

  function lagging(c, all) {
    var out = [];
    all.forEach(function (p) {
      if (p.content < 0 || p.role !== 'primary') return;
      var m = null;
      all.forEach(function (j) { if (j.content === p.content && j.role === 'mirror') m = j; });
      if (!m || (p.mode === 'synced' && m.status === 'up')) return;
      var pp = p.raw.probe || {}, ws = pp.walSender || {};
      var cur = lsn(pp.currentLsn), flushed = lsn(ws.flushLsn);
      if (flushed === null && m.raw.probe) flushed = lsn(m.raw.probe.receiveLsn);
      var cu = {};
      (c.unsynchronized || []).forEach(function (u) { if (u.content === p.content && u.catchUp) cu = u.catchUp; });
      var behind = cur !== null && flushed !== null ? Math.max(0, cur - flushed)
        : (typeof cu.bytesBehind === 'number' ? cu.bytesBehind : null);
      out.push({content: p.content, primary: p, mirror: m, behind: behind,
        lag: typeof ws.replayLagSeconds === 'number' ? ws.replayLagSeconds : null,
        rate: typeof cu.rateBytesPerSecond === 'number' ? cu.rateBytesPerSecond : null,
        eta: typeof cu.estimatedSeconds === 'number' ? cu.estimatedSeconds : null});
    });
    return out;
  }

  // Without an estimate in the document, the page makes its own from how fast the gap shrank over its polls.
  function estimate(l, now) {
    if (l.eta !== null || l.behind === null) return;
    var s = (samples[l.content] = (samples[l.content] || []).concat([{t: now, bytes: l.behind}]));
    while (s.length > 2 && now - s[0].t > 10000) s.shift();
    var first = s[0], dt = (now - first.t) / 1000;
    if (dt >= 2 && first.bytes > l.behind) {
      l.rate = Math.round((first.bytes - l.behind) / dt);
      l.eta = l.behind / l.rate;
    }
  }

  function summary(p) {
    if (p.down) return 'Coordinator down';
    var n = 0;
    p.hosts.forEach(function (h) { n += h.instances.length; });
    var counts = p.hosts.length + ' hosts, ' + n + ' instances';
    return p.problems.length === 0 ? 'All well: ' + counts : p.problems.length + ' problem(s): ' + counts;
  }

  function drawProblems(p) {
    var f = document.createDocumentFragment();
    if (p.down) {
      f.appendChild(el('p', {class: 'down'}, str(p.down.reason, 'unknown')));
      f.appendChild(el('p', null, str(p.down.hint, '')));
    }
    if (p.problems.length === 0) {
      if (!p.down) f.appendChild(none('None.'));
      return f;
    }
    var ul = el('ul', {class: 'problems'});
    p.problems.forEach(function (s) { ul.appendChild(el('li', null, s)); });
    f.appendChild(ul);
    return f;
  }

  function drawInstance(i) {
    var switched = i.role !== i.preferredRole;
    var cls = 'inst role-' + i.role + ' status-' + i.status + ' mode-' + i.mode + ' pref-' + i.preferredRole
      + ' probe-' + i.probe + (switched ? ' switched' : '') + (i.recovery ? ' recovering' : '')
      + (i.paired ? '' : ' unpaired');
    var li = el('li', {class: cls, 'data-dbid': i.dbid, 'data-content': i.content, 'data-role': i.role,
        'data-preferred-role': i.preferredRole, 'data-status': i.status, 'data-mode': i.mode},
      el('span', {class: 'what'}, label(i) + ' ', el('b', {class: 'role'}, i.role)),
      el('span', {class: 'pref'}, switched ? '\u21C4 preferred ' + i.preferredRole : '\u2605 preferred role'),
      el('span', {class: 'facts'}, 'dbid ' + i.dbid + ' \u00B7 :' + i.port + ' \u00B7 ' + i.status + ' \u00B7 '
        + (i.paired ? i.mode.replace(/_/g, ' ') : i.content < 0 ? 'no standby' : 'no mirror')));
    if (i.probe === 'unreachable') li.appendChild(el('span', {class: 'reason'}, 'unreachable: ' + i.reason));
    return li;
  }

  function drawGrid(p) {
    if (p.hosts.length === 0) return none('No instances in the document.');
    var body = el('tbody');
    p.hosts.forEach(function (h) {
      var ul = el('ul', {class: 'instances'});
      h.instances.forEach(function (i) { ul.appendChild(drawInstance(i)); });
      body.appendChild(el('tr', null, el('th', {scope: 'row'}, h.name), el('td', null, ul)));
    });
    return el('table', {class: 'grid'},
      el('thead', null, el('tr', null, el('th', {scope: 'col'}, 'Host'), el('th', {scope: 'col'}, 'Instances'))),
      body);
  }

  function where(i) {
    return el('span', null, i.hostname + ':' + i.port + ' ', el('span', {class: 'st-' + i.status}, i.status));
  }

  function drawLagging(p, now) {
    if (p.lagging.length === 0) return none('Every pair is in sync.');
    var body = el('tbody');
    p.lagging.forEach(function (l) {
      estimate(l, now);
      var eta = l.mirror.status !== 'up' ? 'mirror down: recover it'
        : l.eta !== null ? 'about ' + seconds(l.eta) + (l.rate !== null ? ' at ' + bytes(l.rate) + '/s' : '')
          : 'estimating';
      body.appendChild(el('tr', {'data-content': l.content}, el('td', {'data-label': 'Content'}, l.content),
        el('td', {'data-label': 'Primary'}, where(l.primary)), el('td', {'data-label': 'Mirror'}, where(l.mirror)),
        el('td', {'data-label': 'Behind', class: 'behind'}, l.behind !== null ? bytes(l.behind) : 'unknown'),
        el('td', {'data-label': 'Replay lag'}, l.lag !== null ? seconds(l.lag) : 'unknown'),
        el('td', {'data-label': 'Catch-up', class: 'eta'}, eta)));
    });
    var head = el('tr');
    ['Content', 'Primary', 'Mirror', 'Behind', 'Replay lag', 'Catch-up'].forEach(function (t) {
      head.appendChild(el('th', {scope: 'col'}, t));
    });
    return el('table', {class: 'lagging'}, el('thead', null, head), body);
  }

  function drawRecoveries(p) {
    if (p.recovering.length === 0) return none('No recovery running.');
    var ul = el('ul', {class: 'recoveries'});
    p.recovering.forEach(function (i) {
      var r = i.recovery;
      ul.appendChild(el('li', {'data-dbid': i.dbid},
        el('span', null, label(i) + ' dbid ' + i.dbid + ' on ' + i.hostname + ':' + i.port + ', ' + r.type),
        el('progress', {max: 100, value: r.percent}, r.percent + '%'),
        el('span', null, r.percent + '% (' + bytes(r.completedBytes) + ' of '
          + (r.totalBytes > 0 ? bytes(r.totalBytes) : 'unknown') + ')')));
    });
    return ul;
  }

  // The history API may answer an array or a page object; rows are shown newest first whatever its order.
  function rowsOf(h) {
    if (Array.isArray(h)) return h;
    var keys = ['rows', 'items', 'history', 'entries'];
    for (var k = 0; k < keys.length; k++) if (h && Array.isArray(h[keys[k]])) return h[keys[k]];
    return [];
  }

  function drawHistory(h) {
    var rows = rowsOf(h).slice().sort(function (a, b) {
      var ta = Date.parse(a.time), tb = Date.parse(b.time);
      return (isNaN(tb) ? -Infinity : tb) - (isNaN(ta) ? -Infinity : ta) || 0;
    }).slice(0, HISTORY_ROWS);
    if (rows.length === 0) return none('No history rows.');
    var body = el('tbody');
    rows.forEach(function (r) {
      body.appendChild(el('tr', null, el('td', {class: 't'}, time(r.time)), el('td', null, str(r.dbid, '')),
        el('td', null, str(r.desc, ''))));
    });
    return el('table', {class: 'history'}, el('thead', null, el('tr', null, el('th', {scope: 'col'}, 'Time'),
      el('th', {scope: 'col'}, 'dbid'), el('th', {scope: 'col'}, 'What changed and why'))), body);
  }

  function drawFts(p) {
    if (!p.fts) {
      return el('p', {class: 'placeholder'}, 'Not in the state document yet: FTS settings and the FTS leader '
        + '(daemon host, last round) will show here once ', el('code', null, 'state --json'), ' carries an ',
        el('code', null, 'fts'), ' object.');
    }
    var dl = el('dl', {class: 'fts'});
    (function flatten(prefix, o) {
      Object.keys(o).forEach(function (k) {
        var v = o[k];
        if (v && typeof v === 'object' && !Array.isArray(v)) { flatten(prefix + k + '.', v); return; }
        dl.appendChild(el('dt', null, prefix + k));
        dl.appendChild(el('dd', null, v === null ? 'unknown' : typeof v === 'object' ? JSON.stringify(v) : v));
      });
    })('', p.fts);
    return dl;
  }

  function draw(cluster, history) {
    var now = Date.now();
    var p = picture(cluster);
    var s = document.getElementById('summary');
    s.textContent = summary(p);
    s.className = 'summary ' + (p.down || p.problems.length ? 'bad' : 'good');
    put('problems', drawProblems(p));
    put('grid', drawGrid(p));
    put('lagging', drawLagging(p, now));
    put('recoveries', drawRecoveries(p));
    put('history', drawHistory(history));
    put('fts', drawFts(p));
    var u = document.getElementById('updated');
    u.setAttribute('datetime', new Date(now).toISOString());
    u.textContent = time(new Date(now).toISOString());
  }

  function get(url) {
    var ctl = new AbortController();
    var timer = setTimeout(function () { ctl.abort(); }, TIMEOUT_MS);
    return fetch(url, {cache: 'no-store', credentials: 'same-origin', signal: ctl.signal,
      headers: {Accept: 'application/json'}}).then(function (r) {
      clearTimeout(timer);
      // the state document of a down coordinator comes with an error status and is still worth drawing
      return r.json().catch(function () { throw new Error(url + ': HTTP ' + r.status); });
    }, function (e) { clearTimeout(timer); throw e; });
  }

  function live(ok, error) {
    var l = document.getElementById('live');
    if (ok) {
      l.className = 'live ok';
      l.textContent = 'live';
    } else {
      l.className = 'live stale';
      l.textContent = 'stale: ' + (error && error.message ? error.message : 'no answer')
        + (lastOk ? ', last update ' + Math.round((Date.now() - lastOk) / 1000) + ' s ago' : '');
    }
  }

  // One poll at a time, started every POLL_MS (or as soon as a slow one returns): a slow answer delays the next
  // poll but never stacks requests up on the server.
  function tick() {
    var started = Date.now();
    Promise.all([get('api/v1/cluster'), get('api/v1/history')]).then(function (docs) {
      draw(docs[0], docs[1]);
      lastOk = Date.now();
      live(true);
    }).catch(function (e) {
      live(false, e);
    }).then(function () {
      setTimeout(tick, Math.max(0, POLL_MS - (Date.now() - started)));
    });
  }

  document.addEventListener('DOMContentLoaded', tick);
})();
