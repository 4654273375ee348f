/*
 * The web chat page's script (no build step, no dependencies). It talks to ./api/ on its own origin:
 * a session id kept in localStorage, messages posted with a random id (retries reuse it, so the server answers
 * once), replies read from the ledger with a long poll. Every text from the user or the bot goes into the page
 * with textContent or attributes set by the DOM API, never as HTML.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  var base = new URL('.', script ? script.src : location.href);
  var apiBase = new URL('api/', base);
  var storageKey = 'cchc-chat-session';
  var maxLength = 1000;

  var log = document.getElementById('chat-log');
  var form = document.getElementById('chat-form');
  var input = document.getElementById('chat-input');
  var sendButton = document.getElementById('chat-send');
  var statusLine = document.getElementById('chat-status');

  var session = null;
  var cursor = 0;
  var shown = new Set();
  var typing = null;
  var typingTimer = null;
  var pollGeneration = 0;
  var statusTimer = null;
  // With staff (after a handover) nobody answers at once: no typing dots then.
  var withStaff = false;

  function sleep(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function newMessageId() {
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, '0'); }).join('');
  }

  function loadSession() {
    try { return localStorage.getItem(storageKey); } catch (e) { return null; }
  }

  function saveSession(value) {
    try { localStorage.setItem(storageKey, value); } catch (e) { /* storage blocked: this tab only */ }
  }

  /** POSTs JSON; retries network failures and 5xx with the same body (idempotent on the message id). */
  async function post(path, body, attempts) {
    var tries = attempts || 5;
    var delay = 700;
    for (var attempt = 1; ; attempt++) {
      try {
        var res = await fetch(new URL(path, apiBase), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          credentials: 'same-origin',
        });
        var data = await res.json().catch(function () { return {}; });
        if (res.status >= 500 && attempt < tries) throw new Error('server ' + res.status);
        return { status: res.status, data: data };
      } catch (e) {
        if (attempt >= tries) throw e;
        await sleep(delay);
        delay = Math.min(delay * 2, 8000);
      }
    }
  }

  function setStatus(text, autoHideMs) {
    clearTimeout(statusTimer);
    if (!text) {
      statusLine.hidden = true;
      statusLine.textContent = '';
      return;
    }
    statusLine.textContent = text;
    statusLine.hidden = false;
    if (autoHideMs) statusTimer = setTimeout(function () { setStatus(null); }, autoHideMs);
  }

  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function safeUrl(raw) {
    try {
      var url = new URL(raw);
      return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  /** Text with its http(s) addresses turned into links, built node by node. */
  function appendLinkedText(parent, text) {
    var pattern = /https?:\/\/[^\s<>"']+/g;
    var last = 0;
    var match;
    while ((match = pattern.exec(text)) !== null) {
      var raw = match[0].replace(/[.,;:!?)\]]+$/, '');
      var href = safeUrl(raw);
      if (!href) continue;
      parent.appendChild(document.createTextNode(text.slice(last, match.index)));
      var a = el('a', null, raw);
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      parent.appendChild(a);
      last = match.index + raw.length;
      pattern.lastIndex = last;
    }
    parent.appendChild(document.createTextNode(text.slice(last)));
  }

  function linkButtons(links) {
    var box = el('div', 'links');
    (links || []).forEach(function (link) {
      var href = safeUrl(link.url);
      if (!href) return;
      var a = el('a', 'link-button', link.title);
      a.href = href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      box.appendChild(a);
    });
    return box.childNodes.length ? box : null;
  }

  function choiceButtons(choices) {
    var box = el('div', 'choices');
    box.setAttribute('role', 'group');
    (choices || []).forEach(function (choice) {
      var button = el('button', 'choice', choice.title);
      button.type = 'button';
      button.addEventListener('click', function () {
        // Disabled before anything else: a double click presses once.
        if (box.dataset.pressed) return;
        box.dataset.pressed = '1';
        box.querySelectorAll('button').forEach(function (b) { b.disabled = true; });
        button.classList.add('pressed');
        sendMessage({ payload: choice.payload, title: choice.title }, choice.title);
      });
      box.appendChild(button);
    });
    return box.childNodes.length ? box : null;
  }

  function renderCard(reply) {
    var card = el('div', 'card');
    card.appendChild(el('h2', 'card-title', reply.title));
    (reply.sections || []).forEach(function (section) {
      var part = el('section', 'card-section');
      part.appendChild(el('h3', 'card-section-title', section.title));
      var list = el('ul');
      (section.lines || []).forEach(function (line) {
        var item = el('li');
        appendLinkedText(item, line);
        list.appendChild(item);
      });
      part.appendChild(list);
      card.appendChild(part);
    });
    return card;
  }

  /** Adds a reply; returns its row, or null when it was already shown. */
  function showReply(item) {
    if (shown.has(item.id)) return null;
    shown.add(item.id);
    hideTyping();
    var reply = item.reply || {};
    var row = el('div', 'msg msg-bot');
    row.dataset.id = String(item.id);
    if (reply.author) {
      // An officer's answer: their own bubble with their name, never mistaken for the assistant.
      row.classList.add('msg-staff');
      row.appendChild(el('div', 'msg-author', String(reply.author)));
    }
    if (reply.kind === 'card') {
      row.classList.add('msg-card');
      row.appendChild(renderCard(reply));
    } else {
      var bubble = el('div', 'bubble');
      appendLinkedText(bubble, String(reply.text || ''));
      row.appendChild(bubble);
    }
    var links = linkButtons(reply.links);
    if (links) row.appendChild(links);
    var choices = choiceButtons(reply.choices);
    if (choices) row.appendChild(choices);
    log.appendChild(row);
    scrollToEnd();
    return row;
  }

  /**
   * New replies taller than the visible log (a long procedure card) are shown from their top, so the citizen starts
   * reading at the title instead of the last line.
   */
  function revealFrom(first) {
    if (!first) return;
    if (log.scrollHeight - first.offsetTop > log.clientHeight) log.scrollTop = Math.max(0, first.offsetTop - 8);
    else scrollToEnd();
  }

  function showMine(text) {
    var row = el('div', 'msg msg-me');
    row.appendChild(el('div', 'bubble', text));
    log.appendChild(row);
    scrollToEnd();
    return row;
  }

  function showTyping() {
    hideTyping();
    typing = el('div', 'typing');
    typing.setAttribute('aria-label', 'Đang trả lời');
    for (var i = 0; i < 3; i++) typing.appendChild(el('span'));
    log.appendChild(typing);
    scrollToEnd();
    typingTimer = setTimeout(hideTyping, 30000);
  }

  function hideTyping() {
    clearTimeout(typingTimer);
    if (typing) typing.remove();
    typing = null;
  }

  function markFailed(row, note, body, text) {
    row.classList.add('failed');
    var old = row.querySelector('.msg-note');
    if (old) old.remove();
    var retry = el('button', 'msg-note', note);
    retry.type = 'button';
    retry.addEventListener('click', function () {
      row.classList.remove('failed');
      retry.remove();
      deliver(body, row, text);
    });
    row.appendChild(retry);
  }

  /** Sends a typed text or a pressed choice; the same id is reused by every retry of this message. */
  function sendMessage(fields, shownText) {
    var body = Object.assign({ id: newMessageId() }, fields);
    var row = showMine(shownText);
    deliver(body, row, shownText);
  }

  async function deliver(body, row, text) {
    if (!withStaff) showTyping();
    try {
      var res = await post('messages', Object.assign({ session: session }, body));
      if (res.status === 401) {
        await renewSession();
        res = await post('messages', Object.assign({ session: session }, body));
      }
      if (res.status !== 202) {
        hideTyping();
        setStatus(res.data.error || 'Chưa gửi được tin nhắn.', 8000);
        markFailed(row, 'Chưa gửi được. Bấm để gửi lại.', body, text);
      }
    } catch (e) {
      hideTyping();
      setStatus('Không kết nối được với máy chủ. Xin vui lòng kiểm tra mạng.', 8000);
      markFailed(row, 'Chưa gửi được. Bấm để gửi lại.', body, text);
    }
  }

  var renewing = null;

  /** Gets a new session id (first visit, or the stored one was refused); concurrent callers share one request. */
  function renewSession() {
    if (!renewing) {
      renewing = post('session', {})
        .then(function (res) {
          if (res.status !== 200 || !res.data.session) throw new Error('no session');
          session = res.data.session;
          saveSession(session);
          cursor = 0;
        })
        .finally(function () { renewing = null; });
    }
    return renewing;
  }

  /** Long polls the ledger for replies after the cursor; one loop per session. */
  async function poll() {
    var generation = ++pollGeneration;
    var delay = 1000;
    var lost = false;
    while (generation === pollGeneration) {
      try {
        var asked = session;
        var res = await post('replies', { session: asked, after: cursor, wait: 25 }, 1);
        if (generation !== pollGeneration) return;
        if (res.status === 401) {
          if (asked === session) await renewSession();
          continue;
        }
        if (res.status !== 200) throw new Error('poll ' + res.status);
        if (asked !== session) continue;
        var first = null;
        res.data.replies.forEach(function (item) { first = first || showReply(item); });
        withStaff = res.data.withStaff === true;
        if (withStaff) hideTyping();
        revealFrom(first);
        cursor = Math.max(cursor, res.data.cursor);
        if (lost) setStatus(null);
        lost = false;
        delay = 1000;
      } catch (e) {
        lost = true;
        setStatus('Mất kết nối. Đang thử kết nối lại…');
        await sleep(delay);
        delay = Math.min(delay * 2, 15000);
      }
    }
  }

  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight + 2, 140) + 'px';
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value.normalize('NFC').trim();
    if (!text) {
      input.focus();
      return;
    }
    if (Array.from(text).length > maxLength) {
      setStatus('Tin nhắn dài quá (tối đa ' + maxLength + ' ký tự). Xin vui lòng rút gọn câu hỏi.', 8000);
      return;
    }
    input.value = '';
    autosize();
    sendMessage({ text: text }, text);
    input.focus();
  });

  input.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  input.addEventListener('input', autosize);
  // Turning the phone or opening its keyboard shrinks the log: keep the last message in view.
  window.addEventListener('resize', function () {
    if (log.scrollHeight - log.scrollTop - log.clientHeight < 120) scrollToEnd();
  });

  async function start() {
    sendButton.disabled = true;
    log.replaceChildren();
    shown.clear();
    try {
      session = loadSession();
      if (!session) await renewSession();
      var res = await post('history', { session: session });
      if (res.status === 401) {
        await renewSession();
        res = await post('history', { session: session });
      }
      if (res.status !== 200) throw new Error('history ' + res.status);
      res.data.items.forEach(function (item) {
        if (item.from === 'citizen') showMine(item.text);
        else showReply(item);
      });
      scrollToEnd();
      cursor = Math.max(cursor, res.data.cursor);
      withStaff = res.data.withStaff === true;
    } catch (e) {
      setStatus('Không kết nối được với máy chủ. Đang thử lại…');
      setTimeout(start, 10000);
      return;
    }
    sendButton.disabled = false;
    poll();
    if (log.childNodes.length === 0) {
      // First visit: the assistant greets (and offers its menu) once per session; the id of this event is fixed.
      showTyping();
      post('messages', { session: session, event: 'start' }).catch(hideTyping);
    }
  }

  start();
})();
