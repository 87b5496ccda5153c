import { describe, expect, it } from 'vitest';
import { renderEmail } from './email.ts';

describe('renderEmail', () => {
  const n = {
    title_zh: '预约提醒 <测试>',
    title_en: 'Reminder <test>',
    body_zh: '请按时签到 & 谢谢',
    body_en: 'Please check in & thanks',
    link: '/bookings/42',
    email: 'sme@example.cn',
  };

  it("puts the user's language first and escapes HTML", () => {
    const zh = renderEmail({ ...n, locale: 'zh-CN' }, 'https://qihub.example/');
    expect(zh.subject).toBe('预约提醒 <测试>');
    expect(zh.to).toBe('sme@example.cn');
    expect(zh.text.indexOf('预约提醒')).toBeLessThan(zh.text.indexOf('Reminder'));
    expect(zh.text).toContain('https://qihub.example/bookings/42');
    expect(zh.html).toContain('预约提醒 &lt;测试&gt;');
    expect(zh.html).toContain('Please check in &amp; thanks');
    expect(zh.html).not.toContain('<test>');
    const en = renderEmail({ ...n, locale: 'en' }, 'https://qihub.example');
    expect(en.subject).toBe('Reminder <test>');
    expect(en.text.indexOf('Reminder')).toBeLessThan(en.text.indexOf('预约提醒'));
  });

  it('has no link when the notification has none', () => {
    const mail = renderEmail({ ...n, link: null, locale: 'zh-CN' }, 'https://qihub.example');
    expect(mail.text).not.toContain('https://');
    expect(mail.html).not.toContain('<a ');
  });
});
