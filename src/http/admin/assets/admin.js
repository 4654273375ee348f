// The admin's only script (CSP script-src 'self'): confirmations and reading a chosen file into the form.
// Every page works without it, except file import, which falls back to pasting the file's text.
'use strict';

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // Avoid double submits (a second tap on a slow phone connection).
  if (form.dataset.submitted === '1') {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = '1';
  setTimeout(() => delete form.dataset.submitted, 8000);
});

// <input type="file" data-into="fieldName">: the file's bytes go into the hidden field as base64, with its name.
document.addEventListener('change', (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.dataset.into) return;
  const form = input.form;
  const file = input.files && input.files[0];
  if (!form || !file) return;
  const target = form.elements.namedItem(input.dataset.into);
  const nameField = form.elements.namedItem(input.dataset.into + 'Name');
  const status = document.getElementById(input.id + '-status');
  const submit = form.querySelector('button[type="submit"]');
  if (submit) submit.disabled = true;
  const reader = new FileReader();
  reader.onload = () => {
    const url = String(reader.result);
    if (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) target.value = url.slice(url.indexOf(',') + 1);
    if (nameField instanceof HTMLInputElement) nameField.value = file.name;
    if (status) status.textContent = 'Đã đọc tệp ' + file.name + ' (' + Math.ceil(file.size / 1024) + ' KB).';
    if (submit) submit.disabled = false;
  };
  reader.onerror = () => {
    if (status) status.textContent = 'Không đọc được tệp. Hãy chọn lại.';
    if (submit) submit.disabled = false;
  };
  reader.readAsDataURL(file);
});

// On phones the menu is a sideways-scrolling row: bring the current page's entry into view.
const current = document.querySelector('.side a[aria-current="page"]');
if (current && current.scrollIntoView) current.scrollIntoView({ block: 'nearest', inline: 'center' });

// Charts scroll sideways on phones: show the latest weeks first.
const showLatest = () => {
  for (const chart of document.querySelectorAll('.chart')) chart.scrollLeft = chart.scrollWidth;
};
showLatest();
window.addEventListener('load', showLatest);

// Live pages: the server streams the menu counts and a fingerprint of the inbox's rows (GET /admin/live). Badges and
// the tab's title follow the counts; a new conversation waiting for staff rings and shows a banner; the page's
// data-live parts are re-read from the same URL when rows change. Without the stream pages still work on reload.
(() => {
  const url = document.body.dataset.liveUrl;
  if (!url || typeof EventSource !== 'function') return;
  const baseTitle = document.title.replace(/^\(\d+\) /, '');
  let lastVersion = null;
  let lastWaiting = null;
  let refreshing = false;
  let again = false;

  const setBadge = (key, count) => {
    const link = document.querySelector(`.side a[data-nav="${key}"]`);
    if (!link) return;
    let badge = link.querySelector('.badge');
    if (!count) {
      if (badge) badge.remove();
      return;
    }
    if (!badge) {
      badge = document.createElement('span');
      badge.className = 'badge';
      link.append(' ', badge);
    }
    badge.textContent = String(count);
    badge.setAttribute('aria-label', `${count} đang chờ`);
  };

  const ring = () => {
    try {
      const Audio = window.AudioContext || window.webkitAudioContext;
      if (!Audio) return;
      const audio = new Audio();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.15, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.6);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.6);
    } catch {
      // A browser that allows no sound before a click still shows the banner.
    }
  };

  const alertBanner = (waiting) => {
    let banner = document.getElementById('live-alert');
    if (!banner) {
      banner = document.createElement('p');
      banner.id = 'live-alert';
      banner.className = 'flash live-alert';
      banner.setAttribute('role', 'alert');
      const main = document.getElementById('main');
      const heading = main && main.querySelector('h1');
      if (heading) heading.after(banner);
      else if (main) main.prepend(banner);
    }
    banner.replaceChildren();
    const link = document.createElement('a');
    link.href = '/admin/inbox?state=waiting_staff';
    link.textContent = `Có người dân đang chờ cán bộ trả lời (${waiting} cuộc hội thoại). Mở hộp thư`;
    banner.append(link);
  };

  // Re-reads this page and swaps its data-live parts (forms are outside them, so typing is never lost).
  const refresh = async () => {
    if (refreshing) {
      again = true;
      return;
    }
    refreshing = true;
    try {
      const res = await fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
      if (!res.ok) return;
      const page = new DOMParser().parseFromString(await res.text(), 'text/html');
      for (const part of document.querySelectorAll('[data-live][id]')) {
        const fresh = page.getElementById(part.id);
        if (fresh && fresh.innerHTML !== part.innerHTML) part.replaceWith(document.importNode(fresh, true));
      }
    } catch {
      // The next change tries again.
    } finally {
      refreshing = false;
      if (again) {
        again = false;
        refresh();
      }
    }
  };

  const source = new EventSource(url);
  source.addEventListener('attention', (event) => {
    const { counts, version } = JSON.parse(event.data);
    setBadge('inbox', counts.inbox);
    setBadge('unanswered', counts.unanswered);
    setBadge('schedule', counts.schedule);
    document.title = counts.inbox > 0 ? `(${counts.inbox}) ${baseTitle}` : baseTitle;
    if (lastWaiting !== null && counts.inbox > lastWaiting) {
      ring();
      alertBanner(counts.inbox);
    }
    if (lastVersion !== null && version !== lastVersion && document.querySelector('[data-live][id]')) refresh();
    lastWaiting = counts.inbox;
    lastVersion = version;
  });
})();
