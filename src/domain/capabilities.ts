/**
 * What an app-scoped token may do inside its application: Svix's portal capabilities
 * (`AppPortalCapability`). A token minted without a list (`capabilities: null`) holds all of
 * them and more: the routes that need `'all'` (message create, content expunge, application
 * update) are open only to such tokens, never to a token minted with an explicit list, however
 * long. Admin tokens are not limited by capabilities at all.
 */
export const CAPABILITIES = [
  'ViewBase',
  'ViewEndpointSecret',
  'ManageEndpointSecret',
  'ManageTransformations',
  'CreateAttempts',
  'ManageEndpoint',
] as const;

export type Capability = (typeof CAPABILITIES)[number];

/** What a route asks of an app token: one capability, or every one (a token minted without a list). */
export type CapabilityNeed = Capability | 'all';

/**
 * Capabilities that also grant another, as Svix describes them: managing an endpoint includes
 * its secret, and managing a secret includes seeing it.
 */
const IMPLIED_BY: Partial<Record<Capability, readonly Capability[]>> = {
  ViewEndpointSecret: ['ManageEndpointSecret', 'ManageEndpoint'],
  ManageEndpointSecret: ['ManageEndpoint'],
};

/** Whether a token holding `granted` (null = minted without a list) may do what `need` asks. */
export function holds(granted: readonly Capability[] | null, need: CapabilityNeed): boolean {
  if (granted === null) return true;
  if (need === 'all') return false;
  return granted.includes(need) || (IMPLIED_BY[need] ?? []).some((c) => granted.includes(c));
}

/** The list a client is shown: every capability when the token was minted without a list. */
export function listed(granted: readonly Capability[] | null): Capability[] {
  return granted === null ? [...CAPABILITIES] : [...granted];
}
