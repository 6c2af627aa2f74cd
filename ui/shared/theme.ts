/** Portal theming from the environment's settings (Svix's keys) and the page's query. */
export interface ThemeSettings {
  customColor?: string | null;
  customFontFamily?: string | null;
  customFontFamilyUrl?: string | null;
  theme?: 'light' | 'dark' | 'auto' | null;
  colorPaletteLight?: Record<string, string | null> | null;
  colorPaletteDark?: Record<string, string | null> | null;
}

const HEX = /^#(?:[0-9a-f]{3}){1,2}$/i;
const FONT = /^[a-zA-Z0-9\-_ ]+$/;

/** Svix palette keys → our CSS custom properties. */
const PALETTE: Record<string, string> = {
  primary: '--primary',
  backgroundPrimary: '--bg',
  backgroundSecondary: '--surface',
  backgroundHover: '--surface-hover',
  textPrimary: '--text',
  textSecondary: '--text-muted',
  textDanger: '--danger',
  buttonPrimary: '--primary',
  borderPrimary: '--border',
};

/**
 * Sets the theme on <html>: `data-theme` (light, dark, or absent for the system's choice) and
 * colour variables. Values are checked here too (the server validates them), since they come
 * partly from the URL.
 */
export function applyTheme(
  settings: ThemeSettings,
  query: URLSearchParams = new URLSearchParams(window.location.search),
): void {
  const root = document.documentElement;
  const mode = query.get('theme') ?? settings.theme ?? 'auto';
  if (mode === 'light' || mode === 'dark') root.dataset.theme = mode;
  else delete root.dataset.theme;

  const primary = query.get('primaryColor') ?? settings.customColor;
  if (primary && HEX.test(primary)) root.style.setProperty('--primary', primary);

  const dark = mode === 'dark' || (mode === 'auto' && window.matchMedia('(prefers-color-scheme: dark)').matches);
  const palette = dark ? settings.colorPaletteDark : settings.colorPaletteLight;
  for (const [key, value] of Object.entries(palette ?? {})) {
    const variable = PALETTE[key];
    if (variable && value && HEX.test(value)) root.style.setProperty(variable, value);
  }

  const font = query.get('fontFamily') ?? settings.customFontFamily;
  if (font && FONT.test(font)) {
    if (settings.customFontFamilyUrl && /^https?:\/\//.test(settings.customFontFamilyUrl) && 'FontFace' in window) {
      const face = new FontFace(font, `url(${JSON.stringify(settings.customFontFamilyUrl)})`);
      face
        .load()
        .then((loaded) => document.fonts.add(loaded))
        .catch(() => undefined);
    }
    root.style.setProperty('--font', `"${font}", var(--font-system)`);
  }
}
