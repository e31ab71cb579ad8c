import Foundation

/// The live page of one job or ad hoc command (`/api/v2/jobs/N/live/`, linked from the
/// browsable API's detail page): status, host counts, the output coloured as a terminal
/// shows it, growing as events arrive over the AWX WebSocket, and a cancel button.
///
/// The page holds no state on the server: it reads the job's detail and host summaries
/// through the API and subscribes to `/websocket/` with the session's CSRF token, as
/// AWX's own UI does, so it works on any node of a cluster.
enum JobPage {
    static func html(id: Int, kind: JobsAPI.Kind) -> String {
        let eventGroup = kind == .job ? "job_events" : "ad_hoc_command_events"
        let jobKey = kind == .job ? "job" : "ad_hoc_command"
        let title = (kind == .job ? "Job " : "Ad hoc command ") + String(id)
        return """
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><title>\(title) | Troupe</title>
        <style>
        body{font-family:sans-serif;margin:2em}
        #stdout{background:#1d1f21;color:#e0e0e0;padding:1em;font-family:monospace;white-space:pre-wrap;min-height:10em;overflow:auto}
        .status{font-weight:bold}.counts span{margin-right:1.2em}
        .c30{color:#666}.c31{color:#e05050}.c32{color:#4fc44f}.c33{color:#d8b63a}.c34{color:#5b8fe0}
        .c35{color:#c060c0}.c36{color:#40c0c0}.c37{color:#e0e0e0}.bold{font-weight:bold}
        </style></head>
        <body><nav><a href="/api/v2/\(kind.collection)/\(id)/">API detail</a>
        <a href="/api/v2/\(kind.collection)/\(id)/stdout/?format=txt">Plain output</a></nav>
        <h1 id="title">\(title) <span id="name"></span></h1>
        <p>Status: <span class="status" id="job-status">loading</span> <span id="elapsed"></span></p>
        <p class="counts" id="host-counts"></p>
        <button id="cancel-button" type="button" disabled>Cancel</button> <span id="cancel-result"></span>
        <pre id="stdout"></pre>
        <script>
        const jobID = \(id), api = '/api/v2/\(kind.collection)/' + jobID + '/';
        const finalStates = ['successful', 'failed', 'error', 'canceled'];
        const lines = new Map();  // counter -> stdout
        const tally = {ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0};
        let finished = false;
        function csrf() { const m = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/); return m ? m[1] : ''; }
        function escapeHTML(t) { return t.replace(/[&<>"']/g, c => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c])); }
        // ANSI SGR sequences (colours, bold) as spans; anything else is dropped.
        function ansiToHTML(text) {
          let out = '', open = false;
          for (const part of text.split(/(\\x1b\\[[0-9;]*m)/)) {
            const m = part.match(/^\\x1b\\[([0-9;]*)m$/);
            if (!m) { out += escapeHTML(part); continue; }
            if (open) { out += '</span>'; open = false; }
            const classes = m[1].split(';').filter(c => c && c !== '0')
              .map(c => c === '1' ? 'bold' : 'c' + c);
            if (classes.length) { out += '<span class="' + classes.join(' ') + '">'; open = true; }
          }
          return out + (open ? '</span>' : '');
        }
        function render() {
          const counters = Array.from(lines.keys()).sort((a, b) => a - b);
          document.getElementById('stdout').innerHTML =
            counters.map(c => lines.get(c)).filter(t => t).map(ansiToHTML).join('\\n');
        }
        function showCounts(counts, unit) {
          document.getElementById('host-counts').innerHTML = Object.entries(counts)
            .map(([k, v]) => '<span id="count-' + k + '">' + k + ': ' + v + '</span>').join('') + unit;
        }
        function setStatus(status) {
          document.getElementById('job-status').textContent = status;
          finished = finalStates.includes(status);
          document.getElementById('cancel-button').disabled = finished;
          if (finished) { loadHostSummaries(); }
        }
        function addEvent(e) {
          if (lines.has(e.counter)) { return; }
          lines.set(e.counter, e.stdout || '');
          if (!finished) {
            if (e.event === 'runner_on_ok') { tally[e.changed ? 'changed' : 'ok'] += 1; }
            else if (e.event === 'runner_on_failed' && !(e.event_data || {}).ignore_errors) { tally.failed += 1; }
            else if (e.event === 'runner_on_skipped') { tally.skipped += 1; }
            else if (e.event === 'runner_on_unreachable') { tally.unreachable += 1; }
            showCounts(tally, ' (task results so far)');
          }
          render();
        }
        async function loadDetail() {
          const r = await fetch(api, {credentials: 'same-origin', headers: {'Accept': 'application/json'}});
          if (!r.ok) { document.getElementById('job-status').textContent = 'HTTP ' + r.status; return; }
          const job = await r.json();
          document.getElementById('name').textContent = job.name ? '— ' + job.name : '';
          if (job.elapsed !== undefined) { document.getElementById('elapsed').textContent = '(' + job.elapsed + ' s)'; }
          setStatus(job.status);
        }
        // Host counts as AWX's job output shows them: each host once, by its worst outcome.
        async function loadHostSummaries() {
          if (\(kind == .job ? "false" : "true")) { return; }
          const r = await fetch(api + 'job_host_summaries/?page_size=200', {credentials: 'same-origin'});
          if (!r.ok) { return; }
          const counts = {ok: 0, changed: 0, failed: 0, skipped: 0, unreachable: 0};
          for (const h of (await r.json()).results) {
            if (h.dark > 0) counts.unreachable += 1;
            else if (h.failures > 0) counts.failed += 1;
            else if (h.changed > 0) counts.changed += 1;
            else if (h.ok > 0) counts.ok += 1;
            else counts.skipped += 1;
          }
          showCounts(counts, ' (hosts)');
        }
        document.getElementById('cancel-button').onclick = async () => {
          const r = await fetch(api + 'cancel/', {method: 'POST', credentials: 'same-origin',
            headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrf()}, body: '{}'});
          document.getElementById('cancel-result').textContent = r.status === 202 ? 'cancel requested' : 'cancel refused (' + r.status + ')';
        };
        function connect() {
          const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/websocket/');
          ws.onmessage = (message) => {
            const m = JSON.parse(message.data);
            if (m.accept) {
              ws.send(JSON.stringify({groups: {jobs: ['status_changed'], '\(eventGroup)': [jobID]}, xrftoken: csrf()}));
            } else if (m.groups_current) {
              loadDetail();  // a status change between the first read and the subscription
            } else if (m.group_name === 'jobs' && m.unified_job_id === jobID) {
              setStatus(m.status);
              if (finalStates.includes(m.status)) { loadDetail(); }
            } else if (m.group_name === '\(eventGroup)' && m.\(jobKey) === jobID) {
              addEvent(m);
            }
          };
          ws.onclose = () => { if (!finished) { setTimeout(connect, 1000); } };
        }
        loadDetail().then(connect);
        </script></body></html>
        """
    }
}
