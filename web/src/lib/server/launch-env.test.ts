import { describe, expect, it } from 'vitest';
// The launcher's mapping is plain JavaScript beside start.js (it runs before anything is built).
import { adapterEnv } from '../../../launch-env.js';

describe("the web launcher's settings", () => {
  it('works with no settings at all: loopback, port 3000, an http origin, uploads as large as the API takes', () => {
    expect(adapterEnv({})).toEqual({
      HOST: '127.0.0.1',
      PORT: '3000',
      ORIGIN: 'http://localhost:3000',
      API_URL: 'http://127.0.0.1:3001',
      BODY_SIZE_LIMIT: String(11 * 1024 * 1024),
    });
  });

  it('takes the web and API ports from WEB_PORT and API_PORT, never from the shared PORT', () => {
    const env = adapterEnv({ PORT: '9999', HOST: '0.0.0.0', WEB_PORT: '4000', API_PORT: '4001' });
    expect(env).toMatchObject({
      HOST: '127.0.0.1',
      PORT: '4000',
      ORIGIN: 'http://localhost:4000',
      API_URL: 'http://127.0.0.1:4001',
    });
  });

  it('takes the origin from ORIGIN, else from PUBLIC_WEB_URL (path dropped)', () => {
    expect(adapterEnv({ PUBLIC_WEB_URL: 'https://qihub.example.cn/app/' }).ORIGIN).toBe('https://qihub.example.cn');
    expect(adapterEnv({ PUBLIC_WEB_URL: 'https://a.example', ORIGIN: 'https://b.example' }).ORIGIN).toBe(
      'https://b.example',
    );
  });

  it('follows UPLOAD_MAX_BYTES with room for the form, unless BODY_SIZE_LIMIT is set', () => {
    expect(Number(adapterEnv({ UPLOAD_MAX_BYTES: '2097152' }).BODY_SIZE_LIMIT)).toBeGreaterThan(2097152);
    expect(adapterEnv({ UPLOAD_MAX_BYTES: '2097152', BODY_SIZE_LIMIT: '5M' }).BODY_SIZE_LIMIT).toBe('5M');
  });

  it('refuses a port or an origin that is not one, naming the variable', () => {
    expect(() => adapterEnv({ WEB_PORT: 'abc' })).toThrow(/WEB_PORT/);
    expect(() => adapterEnv({ API_PORT: '70000' })).toThrow(/API_PORT/);
    expect(() => adapterEnv({ PUBLIC_WEB_URL: 'localhost:3000' })).toThrow(/PUBLIC_WEB_URL/);
  });
});
