import { describe, expect, it } from 'vitest';
import { matchSites } from './admitted-records.ts';

const site = (name: string, address: string) => ({ name, regionCode: '320214', address });

describe('matchSites', () => {
  const existing = [
    { id: 'a', nameZh: '新吴实验楼', addressZh: '长江路 21 号 3 号楼' },
    { id: 'b', nameZh: '锡山分部', addressZh: '锡山大道 8 号' },
  ];

  it('updates the sites a lab declares again, by name, else by address, and adds only new ones', () => {
    const declared = [
      site('新吴 实验楼', '长江路 21 号 5 号楼'),
      site('锡山检测基地', '锡山大道8号'),
      site('滨湖站', '太湖大道 1 号'),
    ];
    expect(matchSites(existing, declared)).toEqual({
      update: [
        { siteId: 'a', site: declared[0] },
        { siteId: 'b', site: declared[1] },
      ],
      insert: [declared[2]],
    });
  });

  it('takes each existing site once: a name match wins over an earlier address match', () => {
    const declared = [site('新楼', '锡山大道 8 号'), site('锡山分部', '锡山大道 8 号')];
    expect(matchSites(existing, declared)).toEqual({
      update: [{ siteId: 'b', site: declared[1] }],
      insert: [declared[0]],
    });
  });

  it('adds every site of a lab that has none', () => {
    expect(matchSites([], [site('新吴实验楼', '长江路 21 号')])).toEqual({
      update: [],
      insert: [site('新吴实验楼', '长江路 21 号')],
    });
  });
});
