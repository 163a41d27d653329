/**
 * The page at `/`: each simulated customer's chat as a phone shows it, and a box to write as the
 * customer: text, a photo, a document, a voice note or a location (samples, or a file of one's own).
 */
export const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Parley WhatsApp sandbox</title>
<style>
  :root { --green: #008069; --bubble-out: #d9fdd3; --bg: #efeae2; --ink: #111b21; --muted: #667781; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); display: grid; grid-template-columns: 320px 1fr; height: 100vh; }
  aside { border-right: 1px solid #d1d7db; display: flex; flex-direction: column; background: #fff; }
  header { background: var(--green); color: #fff; padding: 12px 16px; font-weight: 600; }
  header small { display: block; font-weight: 400; opacity: .85; }
  #customers { list-style: none; margin: 0; padding: 0; overflow: auto; flex: 1; }
  #customers button { all: unset; display: block; width: 100%; padding: 12px 16px; border-bottom: 1px solid #f0f2f5; cursor: pointer; }
  #customers button[aria-current="true"], #customers button:hover { background: #f0f2f5; }
  #customers .preview { color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  form.new { display: flex; gap: 6px; padding: 10px; border-top: 1px solid #d1d7db; flex-wrap: wrap; }
  main { display: flex; flex-direction: column; background: var(--bg); min-width: 0; }
  #log { flex: 1; overflow: auto; padding: 16px 8%; display: flex; flex-direction: column; gap: 6px; }
  .msg { max-width: 65%; padding: 6px 9px 4px; border-radius: 8px; background: #fff; box-shadow: 0 1px .5px rgba(0,0,0,.13); align-self: flex-start; white-space: pre-wrap; word-wrap: break-word; }
  .msg.in { align-self: flex-end; background: var(--bubble-out); }
  .meta { font-size: 11px; color: var(--muted); text-align: right; }
  .ticks.read { color: #53bdeb; }
  .failed { color: #c0392b; }
  .choices { display: flex; gap: 6px; flex-wrap: wrap; margin-top: 6px; }
  .choices button { border: 1px solid var(--green); color: var(--green); background: #fff; border-radius: 16px; padding: 4px 10px; cursor: pointer; }
  form.send { display: flex; gap: 8px; padding: 10px 16px; background: #f0f2f5; align-items: center; }
  .attach { display: flex; gap: 2px; }
  .attach button { all: unset; cursor: pointer; font-size: 18px; padding: 4px 6px; border-radius: 6px; }
  .attach button:hover, .attach button:focus-visible { background: #e2e5e8; }
  input { flex: 1; padding: 9px 12px; border: 1px solid #d1d7db; border-radius: 8px; font: inherit; min-width: 0; }
  button.primary { background: var(--green); color: #fff; border: 0; border-radius: 8px; padding: 0 16px; font: inherit; cursor: pointer; }
  .empty { margin: auto; color: var(--muted); text-align: center; }
</style>
</head>
<body>
<aside>
  <header>WhatsApp sandbox<small id="business">no business number registered yet</small></header>
  <ul id="customers" aria-label="Customers"></ul>
  <form class="new" id="new">
    <label hidden for="new-phone">Customer phone</label><input id="new-phone" placeholder="Customer phone, e.g. 15551234567" required>
    <label hidden for="new-name">Customer name</label><input id="new-name" placeholder="Name">
    <button class="primary">Add</button>
  </form>
</aside>
<main>
  <div id="log" aria-live="polite"><p class="empty">Pick a customer, or add one, to chat as them.</p></div>
  <form class="send" id="send" hidden>
    <div class="attach" id="attach" role="group" aria-label="Send as the customer">
      <button type="button" data-sample="image" title="Send a sample photo (the text box becomes its caption)" aria-label="Send a sample photo">📷</button>
      <button type="button" data-sample="document" title="Send a sample PDF (the text box becomes its caption)" aria-label="Send a sample PDF">📄</button>
      <button type="button" data-sample="voice" title="Send a sample voice note" aria-label="Send a sample voice note">🎤</button>
      <button type="button" data-sample="location" title="Send a location" aria-label="Send a location">📍</button>
      <button type="button" id="pick" title="Send a file from this computer: image, video, audio or document" aria-label="Send a file from this computer">📎</button>
      <input type="file" id="file" hidden>
    </div>
    <label hidden for="text">Message as the customer</label><input id="text" placeholder="Type as the customer" autocomplete="off" required>
    <button class="primary">Send</button>
  </form>
</main>
<script>
const params = new URLSearchParams(location.hash.slice(1));
// #token=... for a sandbox that needs one; #number=<phone number id> picks the business number (else the first).
const token = params.get('token');
const wanted = params.get('number');
const api = (path, init = {}) => fetch('/_sandbox' + path, { ...init, headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) } }).then((r) => r.json());
let number = null, current = null, seen = '';
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const time = (t) => new Date(t).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const ticks = (m) => m.status === 'failed' ? '<span class="failed">⚠ ' + esc(m.error && m.error.title) + '</span>'
  : m.status === 'read' ? '<span class="ticks read">✓✓</span>' : m.status === 'delivered' ? '<span class="ticks">✓✓</span>' : m.status === 'sent' ? '<span class="ticks">✓</span>' : '<span class="ticks">🕓</span>';
function choices(m) {
  const i = m.payload.interactive;
  if (!i) return '';
  const options = i.type === 'button' ? i.action.buttons.map((b) => ['button_reply', b.reply.id, b.reply.title])
    : i.type === 'list' ? i.action.sections.flatMap((s) => s.rows.map((r) => ['list_reply', r.id, r.title])) : [];
  return '<div class="choices">' + options.map(([kind, id, title]) => '<button data-kind="' + kind + '" data-id="' + esc(id) + '" data-title="' + esc(title) + '" data-context="' + esc(m.id) + '">' + esc(title) + '</button>').join('') + '</div>';
}
async function refresh() {
  const wabas = await api('/wabas');
  const numbers = wabas.data.flatMap((w) => w.phoneNumbers);
  number = numbers.find((n) => n.phoneNumberId === wanted) || numbers[0] || null;
  document.getElementById('business').textContent = number ? number.verifiedName + ' · ' + number.displayPhoneNumber : 'no business number registered yet';
  const customers = (await api('/customers')).data;
  document.getElementById('customers').innerHTML = customers.map((c) => '<li><button data-wa="' + esc(c.waId) + '" aria-current="' + (c.waId === current) + '"><strong>' + esc(c.name) + '</strong> <small>+' + esc(c.waId) + '</small><div class="preview">' + esc(c.lastMessage ? c.lastMessage.body : (c.onWhatsApp ? '' : 'not on WhatsApp')) + '</div></button></li>').join('');
  if (!current || !number) return;
  const chat = (await api('/chats/' + number.phoneNumberId + '/' + current)).data;
  const key = JSON.stringify(chat.map((m) => [m.id, m.status]));
  if (key === seen) return;
  seen = key;
  const log = document.getElementById('log');
  log.innerHTML = chat.map((m) => '<div class="msg ' + (m.direction === 'inbound' ? 'in' : 'out') + '">' + esc(m.body) + (m.direction === 'outbound' ? choices(m) : '') + '<div class="meta">' + time(m.timestamp) + ' ' + (m.direction === 'outbound' ? ticks(m) : '') + '</div></div>').join('') || '<p class="empty">No messages yet.</p>';
  log.scrollTop = log.scrollHeight;
}
const inbound = (body) => api('/inbound', { method: 'POST', body: JSON.stringify({ phoneNumberId: number.phoneNumberId, from: current, ...body }) }).then(refresh);
document.getElementById('customers').addEventListener('click', (e) => { const b = e.target.closest('button'); if (!b) return; current = b.dataset.wa; seen = ''; document.getElementById('send').hidden = false; document.getElementById('text').focus(); refresh(); });
document.getElementById('log').addEventListener('click', (e) => { const b = e.target.closest('.choices button'); if (!b) return;
  const reply = { id: b.dataset.id, title: b.dataset.title };
  inbound({ type: 'interactive', context: { id: b.dataset.context }, interactive: { type: b.dataset.kind, [b.dataset.kind]: reply } }); });
document.getElementById('send').addEventListener('submit', (e) => { e.preventDefault(); const input = document.getElementById('text'); if (!number || !input.value.trim()) return; inbound({ type: 'text', text: { body: input.value } }); input.value = ''; });
/** The text box as a caption (for photos, videos and documents), emptied once used. */
function caption() { const input = document.getElementById('text'); const value = input.value.trim(); input.value = ''; return value ? { caption: value } : {}; }
const kindOf = (type) => type === 'image/jpeg' || type === 'image/png' ? 'image' : type === 'image/webp' ? 'sticker'
  : type.startsWith('video/') ? 'video' : type.startsWith('audio/') ? 'audio' : 'document';
document.getElementById('attach').addEventListener('click', (e) => { const b = e.target.closest('button[data-sample]'); if (!b || !number || !current) return;
  const sample = b.dataset.sample;
  if (sample === 'location') inbound({ type: 'location', location: { latitude: 38.7075, longitude: -9.1364, name: 'Praça do Comércio', address: 'Lisbon, Portugal' } });
  else if (sample === 'voice') inbound({ type: 'audio', audio: { voice: true } });
  else inbound({ type: sample, [sample]: caption() }); });
document.getElementById('pick').addEventListener('click', () => document.getElementById('file').click());
document.getElementById('file').addEventListener('change', async (e) => { const file = e.target.files[0]; e.target.value = ''; if (!file || !number || !current) return;
  // The control API takes JSON up to 20 MB: base64 makes a file a third bigger.
  if (file.size > 14 * 1024 * 1024) { alert('The sandbox sends files up to 14 MB.'); return; }
  const dataUrl = await new Promise((resolve, reject) => { const reader = new FileReader(); reader.onload = () => resolve(String(reader.result)); reader.onerror = () => reject(reader.error); reader.readAsDataURL(file); });
  const kind = kindOf(file.type);
  const media = { dataBase64: dataUrl.slice(dataUrl.indexOf(',') + 1), mimeType: file.type || 'application/octet-stream', ...(kind === 'document' ? { filename: file.name } : {}), ...(kind === 'image' || kind === 'video' || kind === 'document' ? caption() : {}) };
  inbound({ type: kind, [kind]: media }); });
document.getElementById('new').addEventListener('submit', async (e) => { e.preventDefault(); const phone = document.getElementById('new-phone').value.replace(/\\D/g, ''); const name = document.getElementById('new-name').value;
  await api('/customers/' + phone, { method: 'PUT', body: JSON.stringify(name ? { name } : {}) }); current = phone; seen = ''; document.getElementById('send').hidden = false; e.target.reset(); refresh(); });
refresh(); setInterval(refresh, 1000);
</script>
</body>
</html>
`;
