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
