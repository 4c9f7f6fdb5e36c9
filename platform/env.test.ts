import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.ts';

/** The EnvError parseEnv throws for `source`; fails the test if it does not throw one. */
function envError(source: Record<string, string | undefined>): EnvError {
  try {
    parseEnv(source);
  } catch (err) {
    expect(err).toBeInstanceOf(EnvError);
    return err as EnvError;
  }
  throw new Error('parseEnv accepted an invalid environment');
}

describe('parseEnv', () => {
  it('fills in defaults for an empty environment', () => {
    const e = parseEnv({});
    expect(e).toMatchObject({
      NODE_ENV: 'development',
      HOST: '0.0.0.0',
      PORT: 3000,
      EMBEDDED_PG_PORT: 5433,
      TEMPORAL_DEV_PORT: 7233,
      TEMPORAL_UI_PORT: 8233,
      TEMPORAL_NAMESPACE: 'default',
      DATABASE_POOL_SIZE: 10,
      temporalUiUrl: 'http://localhost:8233',
      secureCookies: false,
    });
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.LOG_LEVEL).toBeUndefined();
    expect(e.TEMPORAL_ADDRESS).toBeUndefined();
    expect(e.dataDir).toBe(path.resolve('./.data'));
  });

  it('coerces numbers and keeps valid values', () => {
    const e = parseEnv({ PORT: '8080', EMBEDDED_PG_PORT: '6543', DATABASE_URL: 'postgres://u:p@db:5432/cdp', NODE_ENV: 'production', DATA_DIR: '/var/lib/cdp' });
    expect(e.PORT).toBe(8080);
    expect(e.EMBEDDED_PG_PORT).toBe(6543);
    expect(e.DATABASE_URL).toBe('postgres://u:p@db:5432/cdp');
    expect(e.dataDir).toBe('/var/lib/cdp');
    expect(e.secureCookies).toBe(true);
    expect(parseEnv({ NODE_ENV: 'production', SECURE_COOKIES: 'false' }).secureCookies).toBe(false);
  });

  it('throws an EnvError naming each bad variable', () => {
    const err = envError({ PORT: 'eighty', DATABASE_URL: 'not a url' });
    expect(err.name).toBe('EnvError');
    expect(err.message).toMatch(/^Invalid environment configuration:/);
    expect(err.message).toMatch(/- PORT: /);
    expect(err.message).toMatch(/- DATABASE_URL: /);
    expect(err.message).not.toMatch(/EMBEDDED_PG_PORT|TEMPORAL_UI_PORT/);
  });

  it.each(['-1', '65536', '3000.5', 'abc'])('rejects PORT=%s', (PORT) => {
    expect(envError({ PORT }).message).toMatch(/- PORT: /);
  });

  it('rejects other invalid values by name', () => {
    expect(envError({ NODE_ENV: 'staging' }).message).toMatch(/- NODE_ENV: /);
    expect(envError({ TEMPORAL_UI_URL: 'temporal ui' }).message).toMatch(/- TEMPORAL_UI_URL: /);
    expect(envError({ DATABASE_POOL_SIZE: '0' }).message).toMatch(/- DATABASE_POOL_SIZE: /);
  });

  it('treats empty and blank strings as unset', () => {
    const e = parseEnv({
      PORT: '',
      EMBEDDED_PG_PORT: ' ',
      TEMPORAL_UI_PORT: '',
      DATABASE_URL: '',
      PUBLIC_URL: '  ',
      TEMPORAL_ADDRESS: '',
      TEMPORAL_UI_URL: '',
      NODE_ENV: '',
      LOG_LEVEL: '',
      DATA_DIR: '',
      SECURE_COOKIES: '',
    });
    expect(e).toMatchObject({ PORT: 3000, EMBEDDED_PG_PORT: 5433, TEMPORAL_UI_PORT: 8233, NODE_ENV: 'development' });
    expect(e.DATABASE_URL).toBeUndefined();
    expect(e.LOG_LEVEL).toBeUndefined();
    expect(e.PUBLIC_URL).toBeUndefined();
    expect(e.TEMPORAL_ADDRESS).toBeUndefined();
    expect(e.temporalUiUrl).toBe('http://localhost:8233');
    expect(e.dataDir).toBe(path.resolve('./.data'));
  });

  it('trims surrounding whitespace from optional strings', () => {
    expect(parseEnv({ TEMPORAL_ADDRESS: ' temporal:7233 ' }).TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('derives temporalUiUrl from TEMPORAL_UI_PORT unless TEMPORAL_UI_URL is set', () => {
    expect(parseEnv({ TEMPORAL_UI_PORT: '9999' }).temporalUiUrl).toBe('http://localhost:9999');
    expect(parseEnv({ TEMPORAL_UI_PORT: '9999', TEMPORAL_UI_URL: 'https://temporal.example.com' }).temporalUiUrl).toBe('https://temporal.example.com');
  });

  it('ignores variables it does not know', () => {
    expect(parseEnv({ HOME: '/root', SOMETHING_ELSE: 'x' })).not.toHaveProperty('SOMETHING_ELSE');
  });
});
