/** Svix's portal capabilities; a session without a list has all of them (admin, full app tokens). */
export type Capability =
  | 'ViewBase'
  | 'ViewEndpointSecret'
  | 'ManageEndpointSecret'
  | 'ManageTransformations'
  | 'CreateAttempts'
  | 'ManageEndpoint';

export const ALL_CAPABILITIES: readonly Capability[] = [
  'ViewBase',
  'ViewEndpointSecret',
  'ManageEndpointSecret',
  'ManageTransformations',
  'CreateAttempts',
  'ManageEndpoint',
];

/** What a session may do, with the implications the server applies (managing implies viewing). */
export class Capabilities {
  private readonly granted: ReadonlySet<string>;

  constructor(list: readonly string[] | null | undefined) {
    this.granted = new Set(list ?? ALL_CAPABILITIES);
  }

  has(capability: Capability): boolean {
    if (this.granted.has(capability)) return true;
    if (capability === 'ViewEndpointSecret')
      return this.granted.has('ManageEndpointSecret') || this.granted.has('ManageEndpoint');
    if (capability === 'ManageEndpointSecret') return this.granted.has('ManageEndpoint');
    return false;
  }
}
