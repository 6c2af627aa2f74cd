import {
  applyPatch,
  appPortalSettingKey,
  effectivePortalSettings,
  effectiveSettings,
  ENVIRONMENT_SETTING_KEY,
  overridesOf,
  parseStored,
  type AppPortalOverrides,
  type EnvironmentSettings,
  type SettingsPatch,
  type StoredSettings,
} from './portal-settings.js';

/** The Store's settings table, which keeps the environment and per-app portal settings. */
export interface SettingsStore {
  getSetting(key: string): Promise<string | null>;
  putSetting(key: string, value: string | null): Promise<void>;
}

/**
 * The environment settings of this process, kept in memory: every message created reads the
 * retention from here, so it must cost nothing per message. Refreshed from the store when this
 * process changes them and every `refreshMs` otherwise, so a change made through another process
 * (several API processes on PostgreSQL, a worker emitting operational webhooks) applies here
 * within that interval. A failed refresh keeps the last values.
 */
export class EnvironmentSettingsCache {
  private stored: StoredSettings = {};
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: SettingsStore,
    /** HOOKRELAY_RETENTION_DAYS: the retention when none is set here. */
    private readonly defaultRetentionDays: number,
    /** (Default: 60000 ms) */
    private readonly refreshMs = 60_000,
  ) {}

  get current(): EnvironmentSettings {
    return effectiveSettings(this.stored, this.defaultRetentionDays);
  }

  /** The effective retention (what newMessage and operational webhooks read). */
  get retentionDays(): number {
    return this.stored.retentionDays ?? this.defaultRetentionDays;
  }

  async refresh(): Promise<EnvironmentSettings> {
    this.stored = parseStored(await this.store.getSetting(ENVIRONMENT_SETTING_KEY)) as StoredSettings;
    return this.current;
  }

  /**
   * Apply a change and store the result. Read, change, write: two operators patching different
   * fields at the same instant may lose one change (settings change rarely; the last writer wins).
   */
  async patch(patch: SettingsPatch): Promise<EnvironmentSettings> {
    const fresh = parseStored(await this.store.getSetting(ENVIRONMENT_SETTING_KEY)) as StoredSettings;
    const next = applyPatch(fresh, patch);
    await this.store.putSetting(ENVIRONMENT_SETTING_KEY, Object.keys(next).length ? JSON.stringify(next) : null);
    this.stored = next;
    return this.current;
  }

  /** What an application's portal sets for itself. */
  async appOverrides(appId: string): Promise<AppPortalOverrides> {
    return overridesOf(parseStored(await this.store.getSetting(appPortalSettingKey(appId))));
  }

  /** Replace an application's overrides (fields absent or null inherit the environment's). */
  async putAppOverrides(appId: string, input: Record<string, unknown>): Promise<AppPortalOverrides> {
    const overrides = overridesOf(input);
    await this.store.putSetting(
      appPortalSettingKey(appId),
      Object.keys(overrides).length ? JSON.stringify(overrides) : null,
    );
    return overrides;
  }

  /** The settings an application's portal runs with, and what the application set itself. */
  async forApp(appId: string): Promise<{ settings: EnvironmentSettings; overrides: AppPortalOverrides }> {
    const overrides = await this.appOverrides(appId);
    return { settings: effectivePortalSettings(this.current, overrides), overrides };
  }

  start(onError: (err: unknown) => void): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.refresh().catch(onError), this.refreshMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
