import ipaddr from 'ipaddr.js';
import { ConfigError } from './errors.js';

/** Parsers of config values: each takes the raw string and the variable's name, for the error it throws. */

export function int(min: number, max: number) {
  return (raw: string, env: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new ConfigError(`${env}='${raw}' must be an integer between ${min} and ${max}.`);
    return n;
  };
}

export function oneOf<T extends string>(...values: T[]) {
  return (raw: string, env: string): T => {
    const v = raw.trim();
    const found = values.find((x) => x.toLowerCase() === v.toLowerCase());
    if (!found) throw new ConfigError(`${env}='${raw}' must be one of: ${values.join(', ')}.`);
    return found;
  };
}

export function bool(raw: string, env: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`${env}='${raw}' must be true or false.`);
}

/** An integer in [min, max], or null when the variable is empty (off). */
export function optionalInt(min: number, max: number) {
  const parse = int(min, max);
  return (raw: string, env: string): number | null => (raw.trim() === '' ? null : parse(raw.trim(), env));
}

export const str = (raw: string): string => raw;
export const optionalStr = (raw: string): string | null => (raw === '' ? null : raw);

export function parseCidrList(raw: string, env = 'HOOKRELAY_ALLOW_NETWORKS'): string[] {
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    try {
      ipaddr.parseCIDR(item);
    } catch {
      throw new ConfigError(`${env}: '${item}' is not a CIDR (e.g. 127.0.0.0/8 or ::1/128).`);
    }
  }
  return items;
}

export function parseRetrySchedule(raw: string, env = 'HOOKRELAY_RETRY_SCHEDULE'): number[] {
  const parts = raw.split(',').map((s) => s.trim());
  const seconds = parts.map(Number);
  if (parts.length === 0 || parts.length > 50 || seconds.some((s) => !Number.isFinite(s) || s < 0 || s > 7 * 86400)) {
    throw new ConfigError(`${env}='${raw}' must be 1–50 comma-separated delays in seconds (0 ≤ delay ≤ 604800).`);
  }
  return seconds;
}

export function databaseUrl(raw: string, env: string): string | null {
  if (raw === '') return null;
  if (!/^postgres(ql)?:\/\//.test(raw)) throw new ConfigError(`${env} must be a postgres:// or postgresql:// URL.`);
  return raw;
}

export function encryptionKey(raw: string, env: string): string | null {
  if (raw === '') return null;
  if (Buffer.from(raw, 'base64').length !== 32)
    throw new ConfigError(`${env} must be 32 bytes, base64-encoded (openssl rand -base64 32).`);
  return raw;
}
