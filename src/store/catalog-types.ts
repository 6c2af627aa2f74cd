// The catalog's inputs and filters as the Store takes them (store.ts re-exports them).
import type { Application, DeliveryStatus, Endpoint, EventType, Metadata } from '../domain/model.js';
import type { EndpointId } from '../ids.js';

export interface NewApplication {
  id: string;
  uid: string | null;
  name: string;
  rateLimit: number | null;
  metadata: Metadata;
  now: number;
}

export type ApplicationUpdate = Partial<Pick<Application, 'uid' | 'name' | 'rateLimit' | 'metadata'>>;

/** An event type to create; `now` becomes its createdAt and updatedAt. */
export type NewEventType = Omit<EventType, 'createdAt' | 'updatedAt'> & { now: number };

export type EventTypeUpdate = Partial<
  Pick<EventType, 'description' | 'schemas' | 'archived' | 'deprecated' | 'featureFlag'>
>;

/** An endpoint as created: its fields but those the store keeps (secrets, failure run, timestamps). */
export type NewEndpoint = Omit<Endpoint, 'id' | 'ordered' | 'secrets' | 'failingSince' | 'createdAt' | 'updatedAt'> & {
  id: string;
  /** (Default: false) */
  ordered?: boolean;
  secret: string;
  now: number;
};

export type EndpointUpdate = Partial<
  Pick<
    Endpoint,
    | 'uid'
    | 'url'
    | 'description'
    | 'version'
    | 'filterTypes'
    | 'channels'
    | 'rateLimit'
    | 'disabled'
    | 'metadata'
    | 'headers'
    | 'format'
    | 'cloudEventsHandshake'
    | 'svixHeaders'
    | 'ordered'
    | 'failingSince'
  >
>;

export interface MessageFilter {
  eventTypes?: string[];
  channel?: string;
  /** Messages carrying this tag. */
  tag?: string;
  /** createdAt strictly before / after. */
  before?: number;
  after?: number;
}

export interface AttemptFilter extends MessageFilter {
  status?: DeliveryStatus;
  /** 0 (no response), 100, 200, 300, 400, 500. */
  statusCodeClass?: number;
  endpointId?: EndpointId;
}

/** Pull API: a consumer's committed position on a poll endpoint. */
export interface ConsumerOffset {
  endpointId: EndpointId;
  consumerId: string;
  seq: number;
  updatedAt: number;
}
