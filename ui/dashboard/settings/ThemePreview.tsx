import { useState } from 'react';
import type { SettingsValues } from './settings-form-values.js';

const HEX = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const FONT = /^[a-zA-Z0-9\-_ ]+$/;
const DEFAULT_PRIMARY = '#4f46e5';

function channels(hex: string): [number, number, number] {
  const full =
    hex.length === 4
      ? hex
          .slice(1)
          .split('')
          .map((c) => c + c)
          .join('')
      : hex.slice(1);
  return [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255) as [number, number, number];
}

/** WCAG relative luminance. */
function luminance(hex: string): number {
  const [r, g, b] = channels(hex).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Black or white, whichever reads better on `hex` (at least 4.5:1 for any colour). */
export function textOn(hex: string): string {
  const l = luminance(hex);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? '#111111' : '#ffffff';
}

/** A small mock of the portal's header and a button in the chosen colour, font, logo and theme. */
export function ThemePreview({ values }: { values: SettingsValues }) {
  const primary = HEX.test(values.customColor.trim()) ? values.customColor.trim() : DEFAULT_PRIMARY;
  const font = FONT.test(values.customFontFamily.trim())
    ? `"${values.customFontFamily.trim()}", var(--font-system)`
    : 'var(--font-system)';
  const [brokenLogo, setBrokenLogo] = useState<string | null>(null);
  const logo = /^https?:\/\//.test(values.logoUrl.trim()) ? values.logoUrl.trim() : null;
  const modes = values.theme === 'auto' ? (['light', 'dark'] as const) : [values.theme];
  return (
    <div className="theme-preview-row" role="group" aria-label="Preview of the portal">
      {modes.map((mode) => (
        <div key={mode} className={`theme-preview theme-preview-${mode}`} style={{ fontFamily: font }}>
          <div className="theme-preview-bar">
            {logo && brokenLogo !== logo ? (
              <img src={logo} alt="Logo" onError={() => setBrokenLogo(logo)} />
            ) : (
              <span className="brand-mark" style={{ background: primary }} aria-hidden="true" />
            )}
            <span>Webhooks</span>
          </div>
          <p className="theme-preview-text">{mode === 'light' ? 'Light' : 'Dark'} theme, as your customers see it.</p>
          <span className="theme-preview-button" style={{ background: primary, color: textOn(primary) }}>
            Primary button
          </span>
          <span className="theme-preview-colour">
            <span className="theme-preview-swatch" style={{ background: primary }} aria-hidden="true" />
            <span className="mono small">{primary}</span>
          </span>
        </div>
      ))}
      {logo && brokenLogo === logo ? <p className="field-error">The logo could not be loaded from this URL.</p> : null}
    </div>
  );
}
