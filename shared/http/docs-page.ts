/**
 * A self-contained API reference page: it fetches ./openapi.json from the same
 * host and lists every operation with its parameters, body and responses. No
 * third-party script, so it works on a closed network and under a strict CSP.
 */
export const docsPage = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>对标达标平台 API 文档</title>
<style>
  body { font: 15px/1.5 system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1d2733; background: #f6f8fa; }
  header { background: #b3261e; color: #fff; padding: 16px 32px; }
  header h1 { margin: 0; font-size: 22px; }
  main { max-width: 1100px; margin: 0 auto; padding: 16px 32px 64px; }
  h2 { border-bottom: 2px solid #d0d7de; padding-bottom: 4px; margin-top: 32px; text-transform: capitalize; }
  details { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; margin: 8px 0; }
  summary { cursor: pointer; padding: 8px 12px; display: flex; gap: 12px; align-items: baseline; }
  .method { font-weight: 700; font-family: ui-monospace, monospace; min-width: 60px; }
  .GET { color: #1a7f37; } .POST { color: #0969da; } .PUT { color: #9a6700; } .DELETE { color: #cf222e; }
  .path { font-family: ui-monospace, monospace; }
  .body { padding: 0 16px 12px; }
  pre { background: #f6f8fa; padding: 8px; overflow: auto; font-size: 12px; }
  .lock { color: #57606a; font-size: 12px; }
</style>
</head>
<body>
<header><h1>对标达标平台 API（v1）</h1><div id="info"></div></header>
<main id="operations">加载中 / Loading…</main>
<script>
(async () => {
  const root = document.getElementById('operations');
  const doc = await (await fetch('openapi.json')).json();
  document.getElementById('info').textContent = doc.info.description;
  const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
  const byTag = new Map();
  const add = (path, item, group) => {
    for (const [method, op] of Object.entries(item)) {
      const tag = group || (op.tags || ['other'])[0];
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method: method.toUpperCase(), op });
    }
  };
  for (const [path, item] of Object.entries(doc.paths)) add(path, item);
  // Callbacks the platform makes to integrators (OpenAPI 3.1 webhooks).
  for (const [event, item] of Object.entries(doc.webhooks || {})) add(event, item, 'webhook events (sent to you)');
  const html = [];
  for (const [tag, ops] of byTag) {
    html.push('<h2>' + escape(tag) + '</h2>');
    for (const { path, method, op } of ops) {
      const secured = !op.security || op.security.length > 0;
      html.push('<details class="operation" id="' + escape(op.operationId) + '"><summary><span class="method ' + method + '">' + method +
        '</span><span class="path">' + escape(path) + '</span><span>' + escape(op.summary || '') + '</span>' +
        (secured ? '<span class="lock">🔒 Bearer</span>' : '') + '</summary><div class="body">' +
        (op.description ? '<p>' + escape(op.description) + '</p>' : '') +
        (op.parameters ? '<h4>Parameters</h4><pre>' + escape(JSON.stringify(op.parameters, null, 2)) + '</pre>' : '') +
        (op.requestBody ? '<h4>Request body</h4><pre>' + escape(JSON.stringify(op.requestBody.content, null, 2)) + '</pre>' : '') +
        '<h4>Responses</h4><pre>' + escape(JSON.stringify(op.responses, null, 2)) + '</pre></div></details>');
    }
  }
  html.push('<h2>Schemas</h2><pre>' + escape(JSON.stringify(doc.components && doc.components.schemas, null, 2)) + '</pre>');
  root.innerHTML = html.join('');
})().catch((error) => { document.getElementById('operations').textContent = 'Failed to load openapi.json: ' + error; });
</script>
</body>
</html>`;
