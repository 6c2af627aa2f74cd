import {
  OPERATIONAL_EVENT_TYPES,
  type OperationalEventType,
  type OperationalWebhookEndpointIn,
  type OperationalWebhookEndpointOut,
} from '../operator-types.js';

export interface OperationalEndpointValues {
  url: string;
  description: string;
  /** Checked event types; none checked = every event. */
  eventTypes: OperationalEventType[];
  rateLimit: string;
  disabled: boolean;
}

export type OperationalEndpointField = 'url' | 'description' | 'eventTypes' | 'rateLimit';
export type OperationalEndpointErrors = Partial<Record<OperationalEndpointField, string>>;

export function valuesOf(endpoint: OperationalWebhookEndpointOut | null): OperationalEndpointValues {
  return {
    url: endpoint?.url ?? '',
    description: endpoint?.description ?? '',
    eventTypes: OPERATIONAL_EVENT_TYPES.filter((name) => endpoint?.eventTypes?.includes(name)),
    rateLimit: endpoint?.throttleRate ? String(endpoint.throttleRate) : '',
    disabled: endpoint?.disabled ?? false,
  };
}

/** Checks the form and builds Svix's OperationalWebhookEndpointIn. */
export function buildOperationalEndpoint(
  values: OperationalEndpointValues,
): { errors: OperationalEndpointErrors } | { errors: null; body: OperationalWebhookEndpointIn } {
  const errors: OperationalEndpointErrors = {};
  const url = values.url.trim();
  if (!url) errors.url = 'Enter the URL that receives the events.';
  else {
    let parsed: URL | null = null;
    try {
      parsed = new URL(url);
    } catch {
      parsed = null;
    }
    if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
      errors.url = 'Enter an http:// or https:// URL.';
  }
  let throttleRate: number | null = null;
  if (values.rateLimit.trim()) {
    const rate = Number(values.rateLimit);
    if (!Number.isInteger(rate) || rate < 1 || rate > 65535)
      errors.rateLimit = 'A whole number from 1 to 65535, or empty for no limit.';
    else throttleRate = rate;
  }
  if (Object.keys(errors).length > 0) return { errors };
  return {
    errors: null,
    body: {
      url,
      description: values.description,
      eventTypes: values.eventTypes.length > 0 ? values.eventTypes : null,
      throttleRate,
      disabled: values.disabled,
    },
  };
}

/** The form field of a server 422's `loc`. */
export function operationalFieldOf(loc: string): OperationalEndpointField | null {
  const head = loc.split('.')[0];
  if (head === 'url' || head === 'description' || head === 'eventTypes') return head;
  if (head === 'throttleRate' || head === 'rateLimit') return 'rateLimit';
  return null;
}
