/*
 * The web chat widget for the commune website: one tag,
 *   <script src="https://<service>/chat/widget.js" async></script>
 * adds a floating button that opens the chat (/chat?embed=1 of the same service) in an iframe: full screen on a
 * phone, a panel in the corner on a computer. Optional: data-label="…" changes the button's text.
 * It builds its elements with the DOM API and styles them through element.style (no HTML strings, no <style>),
 * so it works under the host page's CSP too.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || window.__cchcChatWidget) return;
  window.__cchcChatWidget = true;

  var chatUrl = new URL('./?embed=1', script.src).href;
  // The service writes the commune's name here when it serves this file (each commune has its own widget).
  var communeName = /*COMMUNE_NAME*/null;
  var label = script.getAttribute('data-label') || 'Hỏi đáp thủ tục';
  var heading = 'Hỏi đáp thủ tục hành chính' + (communeName ? ' – ' + communeName : '');
  var accent = '#b71c1c';
  var layer = 2147483000;

  function css(node, styles) {
    Object.keys(styles).forEach(function (key) { node.style[key] = styles[key]; });
    return node;
  }

  function bubbleIcon() {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '22');
    svg.setAttribute('height', '22');
    svg.setAttribute('aria-hidden', 'true');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2zm3 6v2h2V9H7zm4 0v2h2V9h-2zm4 0v2h2V9h-2z');
    svg.appendChild(path);
    return svg;
  }

  var button = css(document.createElement('button'), {
    position: 'fixed', right: '16px', bottom: '16px', zIndex: String(layer),
    display: 'flex', alignItems: 'center', gap: '8px',
    padding: '12px 18px', border: '0', borderRadius: '28px',
    background: accent, color: '#fff', cursor: 'pointer',
    font: '600 16px/1.2 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif',
    boxShadow: '0 4px 16px rgba(0,0,0,.25)',
  });
  button.type = 'button';
  button.id = 'cchc-chat-button';
  button.setAttribute('aria-expanded', 'false');
  button.setAttribute('aria-controls', 'cchc-chat-panel');
  button.title = heading;
  if (communeName) button.setAttribute('data-commune', communeName);
  button.appendChild(bubbleIcon());
  button.appendChild(document.createTextNode(label));

  var panel = null;

  function layout() {
    if (!panel) return;
    var phone = window.innerWidth < 600;
    css(panel, phone
      ? { left: '0', top: '0', right: '0', bottom: '0', width: '100%', height: '100%', borderRadius: '0' }
      : { left: 'auto', top: 'auto', right: '16px', bottom: '84px', width: '380px',
          height: Math.min(640, window.innerHeight - 104) + 'px', borderRadius: '12px' });
    button.style.display = phone && panel.style.visibility === 'visible' ? 'none' : 'flex';
  }

  function build() {
    panel = css(document.createElement('div'), {
      position: 'fixed', zIndex: String(layer + 1), overflow: 'hidden', background: '#fff',
      boxShadow: '0 8px 32px rgba(0,0,0,.3)', visibility: 'hidden',
    });
    panel.id = 'cchc-chat-panel';
    panel.setAttribute('role', 'dialog');
    panel.setAttribute('aria-label', 'Hỏi đáp thủ tục hành chính');

    var frame = css(document.createElement('iframe'), { width: '100%', height: '100%', border: '0', display: 'block' });
    frame.id = 'cchc-chat-frame';
    frame.title = heading;
    frame.src = chatUrl;

    var close = css(document.createElement('button'), {
      position: 'absolute', top: '10px', right: '10px', width: '36px', height: '36px',
      border: '0', borderRadius: '50%', background: 'rgba(255,255,255,.2)', color: '#fff',
      font: '400 24px/36px system-ui, Arial, sans-serif', cursor: 'pointer', padding: '0',
    });
    close.type = 'button';
    close.id = 'cchc-chat-close';
    close.setAttribute('aria-label', 'Đóng khung hỏi đáp');
    close.textContent = '×';
    close.addEventListener('click', function () { setOpen(false); });

    panel.appendChild(frame);
    panel.appendChild(close);
    document.body.appendChild(panel);
    window.addEventListener('resize', layout);
  }

  function setOpen(open) {
    if (open && !panel) build();
    if (!panel) return;
    panel.style.visibility = open ? 'visible' : 'hidden';
    button.setAttribute('aria-expanded', String(open));
    layout();
    if (!open) button.focus();
  }

  button.addEventListener('click', function () {
    setOpen(!(panel && panel.style.visibility === 'visible'));
  });
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' && panel && panel.style.visibility === 'visible') setOpen(false);
  });

  function mount() { document.body.appendChild(button); }
  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
