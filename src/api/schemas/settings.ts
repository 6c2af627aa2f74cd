import { Type, type TSchema } from '@sinclair/typebox';
import { Nullable, ref } from './common.js';

/**
 * Environment settings (Svix's `EnvironmentSettingsOut` subset, with our `theme`,
 * `frameAncestors` and `retentionDays`) and an application's portal overrides (our extension).
 * Every value that reaches a stylesheet, an image source or a response header is checked here
 * (formats: schemas/formats.ts): colours, http(s) URLs, font family names, frame-ancestor origins.
 */

const Color = Type.String({ format: 'color', description: 'A colour: #rgb or #rrggbb.', examples: ['#1f6feb'] });
const HttpUrl = Type.String({ format: 'http-url', maxLength: 2048, description: 'An absolute http(s) URL.' });
const FontFamily = Type.String({
  minLength: 1,
  maxLength: 256,
  pattern: '^[a-zA-Z0-9\\-_ ]+$',
  examples: ['Open Sans'],
});
const DisplayName = Type.String({ minLength: 1, maxLength: 256 });
const Theme = Type.Union([Type.Literal('light'), Type.Literal('dark'), Type.Literal('auto')], {
  description: "The portal's colour scheme; auto follows the browser.",
});
const FrameAncestors = Type.Array(
  Type.String({ format: 'frame-ancestor', maxLength: 256, examples: ['https://app.example.com'] }),
  {
    maxItems: 32,
    uniqueItems: true,
    description:
      "Origins (scheme://host[:port], no path) or 'self' allowed to frame the portal; empty = same origin only.",
  },
);
const RetentionDays = Type.Integer({
  minimum: 1,
  maximum: 3650,
  description: "Days new messages' payloads and attempt bodies are kept; overrides HOOKRELAY_RETENTION_DAYS.",
});

const paletteEntry = Type.Optional(Nullable(Color));
export const CustomColorPalette = Type.Object(
  {
    primary: paletteEntry,
    backgroundPrimary: paletteEntry,
    backgroundSecondary: paletteEntry,
    backgroundHover: paletteEntry,
    textPrimary: paletteEntry,
    textSecondary: paletteEntry,
    textDanger: paletteEntry,
    interactiveAccent: paletteEntry,
    navigationAccent: paletteEntry,
    buttonPrimary: paletteEntry,
    borderPrimary: paletteEntry,
  },
  { $id: 'CustomColorPalette', additionalProperties: false },
);
const Palette = ref(CustomColorPalette);

const settingsOutFields = {
  customColor: Nullable(Color),
  logoUrl: Nullable(HttpUrl),
  customFontFamily: Nullable(FontFamily),
  customFontFamilyUrl: Nullable(HttpUrl),
  displayName: Nullable(DisplayName),
  colorPaletteLight: Nullable(Palette),
  colorPaletteDark: Nullable(Palette),
  enableChannels: Type.Boolean(),
  enableMessageTags: Type.Boolean(),
  theme: Theme,
  frameAncestors: FrameAncestors,
  retentionDays: RetentionDays,
};

export const EnvironmentSettingsOut = Type.Object(settingsOutFields, {
  $id: 'EnvironmentSettingsOut',
  description:
    "Svix's environment settings (the fields Hookrelay uses) with the Hookrelay extensions `theme`, `frameAncestors` and `retentionDays`: effective values.",
});

/** An input field: absent leaves the value, null resets it. */
const change = <T extends TSchema>(schema: T) => Type.Optional(Nullable(schema));

export const EnvironmentSettingsPatch = Type.Object(
  {
    customColor: change(Color),
    logoUrl: change(HttpUrl),
    customFontFamily: change(FontFamily),
    customFontFamilyUrl: change(HttpUrl),
    displayName: change(DisplayName),
    colorPaletteLight: change(Palette),
    colorPaletteDark: change(Palette),
    enableChannels: change(Type.Boolean()),
    enableMessageTags: change(Type.Boolean()),
    theme: change(Theme),
    frameAncestors: change(FrameAncestors),
    retentionDays: change(RetentionDays),
  },
  {
    $id: 'EnvironmentSettingsPatch',
    additionalProperties: false,
    description: 'Fields to change; null resets a field to its default, an absent field stays.',
  },
);

export const AppPortalSettingsIn = Type.Object(
  {
    frameAncestors: change(FrameAncestors),
    customColor: change(Color),
    logoUrl: change(HttpUrl),
    customFontFamily: change(FontFamily),
    theme: change(Theme),
    displayName: change(DisplayName),
  },
  {
    $id: 'AppPortalSettingsIn',
    additionalProperties: false,
    description: "What this application's portal sets itself; absent or null = the environment's.",
  },
);

export const AppPortalSettingsOut = Type.Object(
  {
    ...settingsOutFields,
    overrides: ref(AppPortalSettingsIn),
  },
  {
    $id: 'AppPortalSettingsOut',
    description:
      "Hookrelay extension: the settings this application's portal runs with (the environment's merged with the application's overrides), and the overrides.",
  },
);
