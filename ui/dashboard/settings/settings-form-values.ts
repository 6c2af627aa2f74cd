import type { components } from '../../shared/api.js';

export type EnvironmentSettings = components['schemas']['EnvironmentSettingsOut'];
export type EnvironmentSettingsPatch = components['schemas']['EnvironmentSettingsPatch'];
export type Theme = EnvironmentSettings['theme'];

export interface SettingsValues {
  customColor: string;
  logoUrl: string;
  customFontFamily: string;
  theme: Theme;
  /** One origin per line. */
  frameAncestors: string;
  retentionDays: string;
}

export type SettingsField = Exclude<keyof SettingsValues, 'theme'> | 'theme';
export type SettingsErrors = Partial<Record<SettingsField, string>>;

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const FONT = /^[a-zA-Z0-9\-_ ]+$/;
// The server's pattern: scheme://host[:port] without a path, or 'self'.
const ORIGIN =
  /^(?:'self'|https?:\/\/(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?::[0-9]{1,5})?)$/;
const MAX_ANCESTORS = 32;

export function valuesOf(settings: EnvironmentSettings): SettingsValues {
  return {
    customColor: settings.customColor ?? '',
    logoUrl: settings.logoUrl ?? '',
    customFontFamily: settings.customFontFamily ?? '',
    theme: settings.theme,
    frameAncestors: settings.frameAncestors.join('\n'),
    retentionDays: String(settings.retentionDays),
  };
}

function originLines(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/\r?\n/)
        .map((line) => line.trim().replace(/\/$/, ''))
        .filter(Boolean),
    ),
  ];
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Checks the form and builds the PATCH: only the fields that differ from the stored settings
 * (an absent field stays as it is; an emptied one is null, back to its default).
 */
export function buildSettingsPatch(
  stored: EnvironmentSettings,
  values: SettingsValues,
): { errors: SettingsErrors } | { errors: null; patch: EnvironmentSettingsPatch } {
  const errors: SettingsErrors = {};
  const color = values.customColor.trim();
  if (color && !HEX.test(color)) errors.customColor = 'A colour as #rgb or #rrggbb, e.g. #1f6feb.';
  const logo = values.logoUrl.trim();
  if (logo && (!isHttpUrl(logo) || logo.length > 2048)) errors.logoUrl = 'An http:// or https:// URL of an image.';
  const font = values.customFontFamily.trim();
  if (font && (!FONT.test(font) || font.length > 256))
    errors.customFontFamily = 'A font name: letters, digits, spaces, "-" and "_".';
  const origins = originLines(values.frameAncestors);
  const badOrigin = origins.find((origin) => !ORIGIN.test(origin));
  if (badOrigin)
    errors.frameAncestors = `“${badOrigin}” is not an origin: use scheme://host[:port] without a path, or 'self'.`;
  else if (origins.length > MAX_ANCESTORS) errors.frameAncestors = `At most ${MAX_ANCESTORS} origins.`;
  let retention: number | null = null;
  if (values.retentionDays.trim()) {
    retention = Number(values.retentionDays);
    if (!Number.isInteger(retention) || retention < 1 || retention > 3650)
      errors.retentionDays = 'A whole number of days from 1 to 3650.';
  }
  if (Object.keys(errors).length > 0) return { errors };

  const patch: EnvironmentSettingsPatch = {};
  if (color !== (stored.customColor ?? '')) patch.customColor = color || null;
  if (logo !== (stored.logoUrl ?? '')) patch.logoUrl = logo || null;
  if (font !== (stored.customFontFamily ?? '')) patch.customFontFamily = font || null;
  if (values.theme !== stored.theme) patch.theme = values.theme;
  if (origins.join('\n') !== stored.frameAncestors.join('\n')) patch.frameAncestors = origins;
  if (retention !== stored.retentionDays) patch.retentionDays = retention;
  return { errors: null, patch };
}

/** The form field of a server 422's `loc` (`frameAncestors.2` → frameAncestors). */
export function settingsFieldOf(loc: string): SettingsField | null {
  const head = loc.split('.')[0];
  const fields: readonly string[] = [
    'customColor',
    'logoUrl',
    'customFontFamily',
    'theme',
    'frameAncestors',
    'retentionDays',
  ];
  return fields.includes(head) ? (head as SettingsField) : null;
}
