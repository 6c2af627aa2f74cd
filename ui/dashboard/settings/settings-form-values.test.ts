import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  buildSettingsPatch,
  settingsFieldOf,
  valuesOf,
  type EnvironmentSettings,
  type SettingsValues,
} from './settings-form-values.js';

const STORED: EnvironmentSettings = {
  customColor: '#1f6feb',
  logoUrl: null,
  customFontFamily: null,
  customFontFamilyUrl: null,
  displayName: null,
  colorPaletteLight: null,
  colorPaletteDark: null,
  enableChannels: false,
  enableMessageTags: false,
  theme: 'auto',
  frameAncestors: ['https://app.example.com'],
  retentionDays: 90,
};

const edit = (patch: Partial<SettingsValues>): SettingsValues => ({ ...valuesOf(STORED), ...patch });

test('valuesOf: the stored settings as the form shows them', () => {
  assert.deepEqual(valuesOf({ ...STORED, frameAncestors: ["'self'", 'https://a.example'] }), {
    customColor: '#1f6feb',
    logoUrl: '',
    customFontFamily: '',
    theme: 'auto',
    frameAncestors: "'self'\nhttps://a.example",
    retentionDays: '90',
  });
});

describe('buildSettingsPatch', () => {
  test('an untouched form patches nothing', () => {
    assert.deepEqual(buildSettingsPatch(STORED, valuesOf(STORED)), { errors: null, patch: {} });
  });

  test('only what changed is sent; an emptied field is null (its default)', () => {
    assert.deepEqual(
      buildSettingsPatch(
        STORED,
        edit({
          customColor: '',
          logoUrl: ' https://cdn.example.com/logo.svg ',
          customFontFamily: 'Inter',
          theme: 'dark',
          frameAncestors: 'https://app.example.com/\n\nhttps://admin.example.com:8443\nhttps://app.example.com',
          retentionDays: '',
        }),
      ),
      {
        errors: null,
        patch: {
          customColor: null,
          logoUrl: 'https://cdn.example.com/logo.svg',
          customFontFamily: 'Inter',
          theme: 'dark',
          frameAncestors: ['https://app.example.com', 'https://admin.example.com:8443'],
          retentionDays: null,
        },
      },
    );
  });

  test('frame ancestors typed again with a trailing slash or a repeat are unchanged', () => {
    assert.deepEqual(
      buildSettingsPatch(STORED, edit({ frameAncestors: ' https://app.example.com/ \nhttps://app.example.com' })),
      { errors: null, patch: {} },
    );
  });

  test('each bad value is reported at its field, and nothing is sent', () => {
    assert.deepEqual(
      buildSettingsPatch(
        STORED,
        edit({
          customColor: 'blue',
          logoUrl: 'javascript:alert(1)',
          customFontFamily: 'Inter; color: red',
          frameAncestors: 'https://a.example/path',
          retentionDays: '0',
        }),
      ),
      {
        errors: {
          customColor: 'A colour as #rgb or #rrggbb, e.g. #1f6feb.',
          logoUrl: 'An http:// or https:// URL of an image.',
          customFontFamily: 'A font name: letters, digits, spaces, "-" and "_".',
          frameAncestors:
            "“https://a.example/path” is not an origin: use scheme://host[:port] without a path, or 'self'.",
          retentionDays: 'A whole number of days from 1 to 3650.',
        },
      },
    );
  });

  test('colours: #rgb and #rrggbb; retention: whole days from 1 to 3650; at most 32 origins', () => {
    assert.equal(buildSettingsPatch(STORED, edit({ customColor: '#abc' })).errors, null);
    assert.equal(
      buildSettingsPatch(STORED, edit({ customColor: '#abcd' })).errors?.customColor,
      'A colour as #rgb or #rrggbb, e.g. #1f6feb.',
    );
    assert.equal(buildSettingsPatch(STORED, edit({ retentionDays: '3650' })).errors, null);
    for (const days of ['3651', '1.5', 'ten']) {
      assert.equal(
        buildSettingsPatch(STORED, edit({ retentionDays: days })).errors?.retentionDays,
        'A whole number of days from 1 to 3650.',
        days,
      );
    }
    const origins = Array.from({ length: 33 }, (_, i) => `https://a${i}.example`).join('\n');
    assert.deepEqual(buildSettingsPatch(STORED, edit({ frameAncestors: origins })), {
      errors: { frameAncestors: 'At most 32 origins.' },
    });
  });
});

test('settingsFieldOf: a 422 loc to its field', () => {
  assert.equal(settingsFieldOf('frameAncestors.2'), 'frameAncestors');
  assert.equal(settingsFieldOf('retentionDays'), 'retentionDays');
  assert.equal(settingsFieldOf('colorPaletteLight.primary'), null);
  assert.equal(settingsFieldOf(''), null);
});
