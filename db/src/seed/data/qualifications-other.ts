import type { QualificationSeed } from './types.ts';

/** Qualifications of the labs outside Jiangsu. `gzuni` holds none; `shmat` only a CMA that expired in 2025. */

export const NBMETRO_QUALIFICATIONS: QualificationSeed[] = [
  {
    kind: 'cma',
    number: '241100120034',
    issuedOn: '2024-01-08',
    validUntil: '2030-01-07',
    scope: [
      {
        productZh: '试验机',
        parameterZh: '拉力、压力和万能材料试验机检定',
        parameterEn: 'Verification of tension, compression and universal testing machines',
        standardCode: 'JJG 139-2014',
      },
      {
        productZh: '几何量计量器具',
        parameterZh: '坐标测量机校准',
        parameterEn: 'Calibration of coordinate measuring machines',
        standardCode: 'JJF 1064-2010',
      },
      {
        productZh: '压力仪表',
        parameterZh: '弹性元件式一般压力表检定',
        parameterEn: 'Verification of Bourdon-tube pressure gauges',
        standardCode: 'JJG 52-2013',
      },
      {
        productZh: '温度仪表',
        parameterZh: '工业铂、铜热电阻检定',
        parameterEn: 'Verification of industrial platinum and copper resistance thermometers',
        standardCode: 'JJG 229-2010',
      },
      {
        productZh: '力值计量器具',
        parameterZh: '标准测力仪检定',
        parameterEn: 'Verification of standard dynamometers',
        standardCode: 'JJG 144-2007',
      },
    ],
  },
  {
    kind: 'cnas',
    number: 'CNAS L0519',
    siteKey: 'yinzhou',
    issuedOn: '2022-10-18',
    validUntil: '2028-10-17',
    scope: [
      {
        productZh: '几何量计量器具',
        parameterZh: '坐标测量机校准',
        parameterEn: 'Calibration of coordinate measuring machines',
        standardCode: 'JJF 1064-2010',
      },
      {
        productZh: '几何量计量器具',
        parameterZh: '激光跟踪三维坐标测量系统校准',
        parameterEn: 'Calibration of laser tracker 3D coordinate measuring systems',
        standardCode: 'JJF 1242-2010',
      },
      {
        productZh: '试验机',
        parameterZh: '拉力、压力和万能材料试验机检定',
        parameterEn: 'Verification of tension, compression and universal testing machines',
        standardCode: 'JJG 139-2014',
      },
    ],
  },
];

export const SZEMC_QUALIFICATIONS: QualificationSeed[] = [
  {
    kind: 'cma',
    number: '241920340112',
    issuedOn: '2024-04-12',
    validUntil: '2030-04-11',
    scope: [
      {
        productZh: '信息技术设备',
        parameterZh: '传导发射与辐射发射',
        parameterEn: 'Conducted and radiated emissions',
        standardCode: 'GB/T 9254.1-2021',
      },
      {
        productZh: '家用电器',
        parameterZh: '电磁骚扰',
        parameterEn: 'Electromagnetic disturbance',
        standardCode: 'GB 4343.1-2018',
      },
      {
        productZh: '电气电子产品',
        parameterZh: '静电放电抗扰度',
        parameterEn: 'Electrostatic discharge immunity',
        standardCode: 'GB/T 17626.2-2018',
      },
      {
        productZh: '电气电子产品',
        parameterZh: '电快速瞬变脉冲群抗扰度',
        parameterEn: 'Electrical fast transient/burst immunity',
        standardCode: 'GB/T 17626.4-2018',
      },
      {
        productZh: '电气电子产品',
        parameterZh: '浪涌（冲击）抗扰度',
        parameterEn: 'Surge immunity',
        standardCode: 'GB/T 17626.5-2019',
      },
      {
        productZh: '电气电子产品',
        parameterZh: '谐波电流发射',
        parameterEn: 'Harmonic current emissions',
        standardCode: 'GB 17625.1-2022',
      },
    ],
  },
  {
    kind: 'cnas',
    number: 'CNAS L9527',
    siteKey: 'nanshan',
    issuedOn: '2022-07-01',
    validUntil: '2028-06-30',
    scope: [
      {
        productZh: '信息技术设备',
        parameterZh: '传导发射与辐射发射',
        parameterEn: 'Conducted and radiated emissions',
        standardCode: 'GB/T 9254.1-2021',
      },
      {
        productZh: '电气电子产品',
        parameterZh: '静电放电抗扰度',
        parameterEn: 'Electrostatic discharge immunity',
        standardCode: 'GB/T 17626.2-2018',
      },
      {
        productZh: '电气电子产品',
        parameterZh: '浪涌（冲击）抗扰度',
        parameterEn: 'Surge immunity',
        standardCode: 'GB/T 17626.5-2019',
      },
    ],
  },
];

export const HZFOOD_QUALIFICATIONS: QualificationSeed[] = [
  {
    kind: 'cma',
    number: '221111050263',
    issuedOn: '2022-09-01',
    validUntil: '2028-08-31',
    scope: [
      { productZh: '食品', parameterZh: '铅', parameterEn: 'Lead', standardCode: 'GB 5009.12-2023' },
      { productZh: '食品', parameterZh: '镉', parameterEn: 'Cadmium', standardCode: 'GB 5009.15-2023' },
      { productZh: '食品', parameterZh: '总汞', parameterEn: 'Total mercury', standardCode: 'GB 5009.17-2021' },
      {
        productZh: '食品',
        parameterZh: '多元素测定（ICP-MS法）',
        parameterEn: 'Multi-element determination (ICP-MS)',
        standardCode: 'GB 5009.268-2016',
      },
      {
        productZh: '植物源性食品',
        parameterZh: '208种农药及其代谢物残留量',
        parameterEn: '208 pesticides and metabolites',
        standardCode: 'GB 23200.113-2018',
      },
      { productZh: '食品', parameterZh: '苯并[a]芘', parameterEn: 'Benzo[a]pyrene', standardCode: 'GB 5009.27-2016' },
    ],
  },
  {
    kind: 'cnas',
    number: 'CNAS L12473',
    siteKey: 'xihu',
    issuedOn: '2023-02-20',
    validUntil: '2029-02-19',
    scope: [
      { productZh: '食品', parameterZh: '铅', parameterEn: 'Lead', standardCode: 'GB 5009.12-2023' },
      {
        productZh: '食品',
        parameterZh: '多元素测定（ICP-MS法）',
        parameterEn: 'Multi-element determination (ICP-MS)',
        standardCode: 'GB 5009.268-2016',
      },
      {
        productZh: '植物源性食品',
        parameterZh: '208种农药及其代谢物残留量',
        parameterEn: '208 pesticides and metabolites',
        standardCode: 'GB 23200.113-2018',
      },
    ],
  },
];

export const GZUNI_QUALIFICATIONS: QualificationSeed[] = [];

export const SHMAT_QUALIFICATIONS: QualificationSeed[] = [
  {
    kind: 'cma',
    number: '190912340876',
    issuedOn: '2019-03-18',
    validUntil: '2025-03-17',
    scope: [
      {
        productZh: '塑料',
        parameterZh: '拉伸性能',
        parameterEn: 'Tensile properties',
        standardCode: 'GB/T 1040.2-2006',
      },
      {
        productZh: '涂层',
        parameterZh: '中性盐雾试验',
        parameterEn: 'Neutral salt spray test',
        standardCode: 'GB/T 10125-2012',
      },
      {
        productZh: '塑料',
        parameterZh: '恒定湿热试验',
        parameterEn: 'Damp heat, steady state',
        standardCode: 'GB/T 2423.3-2016',
      },
    ],
  },
];
