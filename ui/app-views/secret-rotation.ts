/**
 * When an endpoint's secret was last rotated from this tab and until when the previous secret
 * still signs. The server does not report it, so the page computes it from the rotation time and
 * the grace period it sent, and keeps it in sessionStorage so it survives a reload.
 */
export interface SecretRotation {
  rotatedAt: number;
  graceSeconds: number;
}

const key = (appId: string, endpointId: string) => `hookrelay.rotation.${appId}.${endpointId}`;

export function previousSecretValidUntil(rotation: SecretRotation): Date {
  return new Date(rotation.rotatedAt + rotation.graceSeconds * 1000);
}

export function loadRotation(appId: string, endpointId: string): SecretRotation | null {
  try {
    const parsed = JSON.parse(window.sessionStorage.getItem(key(appId, endpointId)) ?? 'null') as SecretRotation | null;
    return parsed && typeof parsed.rotatedAt === 'number' && typeof parsed.graceSeconds === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

export function saveRotation(appId: string, endpointId: string, rotation: SecretRotation): void {
  try {
    window.sessionStorage.setItem(key(appId, endpointId), JSON.stringify(rotation));
  } catch {
    // Storage refused (sandboxed frame): the notice lives in page state only.
  }
}
