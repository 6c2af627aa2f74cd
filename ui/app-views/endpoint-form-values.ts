import type { components, FieldError } from '../shared/api.js';

type EndpointOut = components['schemas']['EndpointOut'];
type EndpointIn = components['schemas']['EndpointIn'];
type EndpointPatch = components['schemas']['EndpointPatch'];

export interface HeaderRow {
  /** Stable React key: rows are added and removed in place. */
  key: number;
  name: string;
  value: string;
}

/** The endpoint form as typed: strings until submitted, so a half-typed value stays on screen. */
export interface EndpointFormValues {
  kind: 'url' | 'poll';
  url: string;
  description: string;
  /** Empty = every event type (Svix's `filterTypes: null`). */
  filterTypes: string[];
  /** Comma separated. */
  channels: string;
  rateLimit: string;
  headers: HeaderRow[];
}

/** Form fields an error can sit next to; `form` is for errors that belong to no one field. */
export type EndpointField = 'url' | 'description' | 'filterTypes' | 'channels' | 'rateLimit' | 'headers' | 'form';
export type EndpointFieldErrors = Partial<Record<EndpointField, string>>;

let nextRowKey = 1;
export function headerRow(name = '', value = ''): HeaderRow {
  return { key: nextRowKey++, name, value };
}

export function emptyEndpointForm(): EndpointFormValues {
  return { kind: 'url', url: '', description: '', filterTypes: [], channels: '', rateLimit: '', headers: [] };
}

export function endpointFormFrom(endpoint: EndpointOut, headers: Record<string, string>): EndpointFormValues {
  return {
    kind: endpoint.kind,
    url: endpoint.url,
    description: endpoint.description,
    filterTypes: endpoint.filterTypes ?? [],
    channels: (endpoint.channels ?? []).join(', '),
    rateLimit: endpoint.rateLimit === null ? '' : String(endpoint.rateLimit),
    headers: Object.entries(headers).map(([name, value]) => headerRow(name, value)),
  };
}

/** RFC 9110 token characters: what a header name may be made of. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** The server's channel pattern (NAME_PATTERN in src/api/schemas/common.ts). */
const CHANNEL = /^[a-zA-Z0-9\-_.]+$/;
const MAX_CHANNELS = 10;
const MAX_RATE_LIMIT = 65535;

export function parseChannels(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ];
}

/** The same rules the server applies, checked before sending so most mistakes need no round trip. */
export function validateEndpointForm(values: EndpointFormValues): EndpointFieldErrors {
  const errors: EndpointFieldErrors = {};
  if (values.kind === 'url') {
    const url = values.url.trim();
    if (!url) errors.url = 'Enter the URL that should receive the webhooks.';
    else if (!isHttpUrl(url)) errors.url = 'Enter a full http:// or https:// URL, e.g. https://example.com/webhooks.';
  }
  const channels = parseChannels(values.channels);
  if (channels.some((c) => !CHANNEL.test(c) || c.length > 128)) {
    errors.channels = 'Channels may contain letters, digits, "-", "_" and "." only (up to 128 characters each).';
  } else if (channels.length > MAX_CHANNELS) {
    errors.channels = `At most ${MAX_CHANNELS} channels.`;
  }
  const rate = values.rateLimit.trim();
  if (rate && (!/^\d+$/.test(rate) || Number(rate) < 1 || Number(rate) > MAX_RATE_LIMIT)) {
    errors.rateLimit = `Enter a whole number from 1 to ${MAX_RATE_LIMIT}, or leave it empty for no limit.`;
  }
  const names = new Set<string>();
  for (const row of values.headers) {
    const name = row.name.trim();
    if (!name && !row.value) continue;
    if (!HEADER_NAME.test(name)) {
      errors.headers = `"${name || '(empty)'}" is not a valid header name: use letters, digits and "-" (e.g. X-Api-Key).`;
      break;
    }
    if (names.has(name.toLowerCase())) {
      errors.headers = `The header ${name} is listed twice.`;
      break;
    }
    names.add(name.toLowerCase());
  }
  return errors;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && Boolean(url.hostname);
  } catch {
    return false;
  }
}

export function headersObject(rows: HeaderRow[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const row of rows) if (row.name.trim()) headers[row.name.trim()] = row.value;
  return headers;
}

function common(values: EndpointFormValues) {
  const channels = parseChannels(values.channels);
  return {
    description: values.description.trim(),
    filterTypes: values.filterTypes.length > 0 ? values.filterTypes : null,
    channels: channels.length > 0 ? channels : null,
    rateLimit: values.rateLimit.trim() ? Number(values.rateLimit.trim()) : null,
  };
}

export function toEndpointIn(values: EndpointFormValues): EndpointIn {
  const headers = headersObject(values.headers);
  return {
    ...common(values),
    ...(values.kind === 'url' ? { url: values.url.trim() } : { kind: 'poll' as const }),
    headers: Object.keys(headers).length > 0 ? headers : null,
    disabled: false,
  };
}

/** A patch of what the form edits; `disabled` is always sent, since the server defaults it to false. */
export function toEndpointPatch(values: EndpointFormValues, current: EndpointOut): EndpointPatch {
  return {
    ...common(values),
    ...(current.kind === 'url' ? { url: values.url.trim() } : {}),
    disabled: current.disabled,
  };
}

/** Places the server's 422 messages next to their fields (`filterTypes.0` → the picker). */
export function endpointFieldErrors(fieldErrors: readonly FieldError[]): EndpointFieldErrors {
  const errors: EndpointFieldErrors = {};
  for (const { field, message } of fieldErrors) {
    const head = field.split('.')[0];
    const target: EndpointField =
      head === 'url' ||
      head === 'description' ||
      head === 'filterTypes' ||
      head === 'channels' ||
      head === 'rateLimit' ||
      head === 'headers'
        ? head
        : head === 'eventTypes'
          ? 'filterTypes'
          : head === 'throttleRate'
            ? 'rateLimit'
            : 'form';
    const text = target === 'form' && field ? `${field}: ${message}` : message;
    errors[target] = errors[target] ? `${errors[target]} ${text}` : text;
  }
  return errors;
}
