import { describe, expect, it } from 'vitest';
import { parseFapiaoTitle } from './fapiao.server';

const fd = (o: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(o)) f.set(k, v);
  return f;
};

describe('the invoice title form', () => {
  it('needs the type, the name and the taxpayer number; the number is read in capitals', () => {
    expect(parseFapiaoTitle(fd({ type: 'x' })).errors).toEqual({
      type: 'invalid_value',
      name: 'required',
      taxpayerNumber: 'required',
    });
    const ok = parseFapiaoTitle(
      fd({ type: 'normal', name: '苏州恒瑞精密机械有限公司', taxpayerNumber: '91320500mA1xxxxx0x' }),
    );
    expect(ok.body).toMatchObject({ type: 'normal', taxpayerNumber: '91320500MA1XXXXX0X', address: '' });
  });
});
