/**
 * The installation's settings (Svix's environment settings: the portal's look, which portal
 * features show, and our retention and framing rules) and an application's overrides of the
 * portal's look. Both are stored as JSON holding only what was set; what is not set takes its
 * default here, so a default can change in a release without rewriting stored rows.
 */

export type Theme = 'light' | 'dark' | 'auto';

/** Svix's CustomColorPalette: every entry a colour, or null for the portal's own. */
export type ColorPalette = Record<string, string | null>;

export interface EnvironmentSettings {
  customColor: string | null;
  logoUrl: string | null;
  customFontFamily: string | null;
  customFontFamilyUrl: string | null;
  displayName: string | null;
  colorPaletteLight: ColorPalette | null;
  colorPaletteDark: ColorPalette | null;
  enableChannels: boolean;
  enableMessageTags: boolean;
  theme: Theme;
  /** Origins (or `'self'`) allowed to frame the portal; empty = same origin only. */
  frameAncestors: string[];
  /** Days new messages' payloads are kept; overrides HOOKRELAY_RETENTION_DAYS when set. */
  retentionDays: number;
}

/** What is stored: only the fields an operator set. */
export type StoredSettings = Partial<EnvironmentSettings>;

/** A change: a value sets the field, null resets it to its default, absence leaves it. */
export type SettingsPatch = { [K in keyof EnvironmentSettings]?: EnvironmentSettings[K] | null };

/** What an application's portal may set for itself; the rest is the environment's. */
export const APP_OVERRIDE_FIELDS = [
  'frameAncestors',
  'customColor',
  'logoUrl',
  'customFontFamily',
  'theme',
  'displayName',
] as const;
export type AppPortalOverrides = Partial<Pick<EnvironmentSettings, (typeof APP_OVERRIDE_FIELDS)[number]>>;

/**
 * A frame ancestor: an http(s) origin (scheme://host[:port], no path) or 'self'. Nothing else can
 * reach the Content-Security-Policy header, so no value can end the directive or add another.
 */
const FRAME_ANCESTOR =
  /^(?:'self'|https?:\/\/(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?::[0-9]{1,5})?)$/;

export function isFrameAncestor(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 256 || !FRAME_ANCESTOR.test(value)) return false;
  const port = /:(\d+)$/.exec(value)?.[1];
  return port === undefined || Number(port) <= 65535;
}

export const ENVIRONMENT_SETTING_KEY = 'environment';
export const appPortalSettingKey = (appId: string): string => `app:${appId}:portal`;

export function defaultSettings(retentionDays: number): EnvironmentSettings {
  return {
    customColor: null,
    logoUrl: null,
    customFontFamily: null,
    customFontFamilyUrl: null,
    displayName: null,
    colorPaletteLight: null,
    colorPaletteDark: null,
    enableChannels: false,
    enableMessageTags: false,
    theme: 'auto',
    frameAncestors: [],
    retentionDays,
  };
}

/** Defaults, then what is stored; stored nulls mean "not set". */
export function effectiveSettings(stored: StoredSettings, defaultRetentionDays: number): EnvironmentSettings {
  return withValues(defaultSettings(defaultRetentionDays), stored);
}

/** The environment's settings with the application's overrides on top. */
export function effectivePortalSettings(
  environment: EnvironmentSettings,
  overrides: AppPortalOverrides,
): EnvironmentSettings {
  return withValues<EnvironmentSettings>(environment, overrides);
}

/** The stored settings after a patch: null removes a field, a value replaces it. */
export function applyPatch(stored: StoredSettings, patch: SettingsPatch): StoredSettings {
  const next: Record<string, unknown> = { ...stored };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next as StoredSettings;
}

/** Only the fields an override may set, nulls dropped (null = inherit). */
export function overridesOf(input: Record<string, unknown>): AppPortalOverrides {
  const out: Record<string, unknown> = {};
  for (const key of APP_OVERRIDE_FIELDS) if (input[key] !== undefined && input[key] !== null) out[key] = input[key];
  return out as AppPortalOverrides;
}

/**
 * A stored JSON object, or `{}` when the row is missing or unreadable: a damaged settings row
 * must not stop message creation or the portal, which then run on defaults.
 */
export function parseStored(raw: string | null): Record<string, unknown> {
  if (raw === null) return {};
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function withValues<T extends object>(base: T, values: Partial<T>): T {
  const out = { ...base };
  for (const key of Object.keys(base) as Array<keyof T>) {
    const v = values[key];
    if (v !== undefined && v !== null) out[key] = v as T[keyof T];
  }
  return out;
}
