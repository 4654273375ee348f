/**
 * HTML that escapes by default: every value interpolated into `html\`…\`` is escaped unless it is itself Html
 * (another template's output) or an array of those. Staff-typed text can therefore never become markup.
 *
 * @example
 * html`<p>${userText}</p>`            // escaped
 * html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`  // nested templates stay markup
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => entities[c] ?? c);
}

type Value = Html | string | number | boolean | null | undefined | Date | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map((v: Value) => render(v)).join('');
  if (value instanceof Date) return escapeHtml(value.toISOString());
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Html(out);
}

/** Trusted markup built by code (never staff input), e.g. a server-rendered SVG. */
export function trusted(markup: string): Html {
  return new Html(markup);
}
