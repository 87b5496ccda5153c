import type { QualificationSeed } from './types.ts';

/** Qualifications of the Jiangsu labs (Suzhou institute, Nanjing university centre, Wuxi materials lab). */

export const SQI_QUALIFICATIONS: QualificationSeed[] = [
  {
    kind: 'cma',
    number: '221012341158',
    issuedOn: '2022-05-20',
    validUntil: '2028-05-19',
    scope: [
      {
        productZh: '金属材料',
        parameterZh: '室温拉伸性能',
        parameterEn: 'Tensile properties at room temperature',
        standardCode: 'GB/T 228.1-2021',
      },
      {
        productZh: '金属材料',
        parameterZh: '夏比摆锤冲击',
        parameterEn: 'Charpy pendulum impact',
        standardCode: 'GB/T 229-2020',
      },
      {
        productZh: '金属材料',
        parameterZh: '洛氏硬度',
        parameterEn: 'Rockwell hardness',
        standardCode: 'GB/T 230.1-2018',
      },
      {
        productZh: '金属及覆盖层',
        parameterZh: '中性盐雾试验',
        parameterEn: 'Neutral salt spray test',
        standardCode: 'GB/T 10125-2021',
      },
      {
        productZh: '电工电子产品',
        parameterZh: '低温试验',
        parameterEn: 'Cold test',
        standardCode: 'GB/T 2423.1-2008',
      },
      {
        productZh: '电工电子产品',
        parameterZh: '高温试验',
        parameterEn: 'Dry heat test',
        standardCode: 'GB/T 2423.2-2008',
      },
      {
        productZh: '电工电子产品',
        parameterZh: '恒定湿热试验',
        parameterEn: 'Damp heat, steady state',
        standardCode: 'GB/T 2423.3-2016',
      },
      {
        productZh: '机械零部件',
        parameterZh: '尺寸与几何公差',
        parameterEn: 'Dimensions and geometrical tolerances',
        standardCode: 'GB/T 1958-2017',
      },
    ],
  },
  {
    kind: 'cnas',
    number: 'CNAS L2156',
    siteKey: 'wuzhong',
    issuedOn: '2023-09-01',
    validUntil: '2029-08-31',
    scope: [
      {
        productZh: '金属材料',
        parameterZh: '室温拉伸性能',
        parameterEn: 'Tensile properties at room temperature',
        standardCode: 'GB/T 228.1-2021',
      },
      {
        productZh: '金属材料',
        parameterZh: '洛氏硬度',
        parameterEn: 'Rockwell hardness',
        standardCode: 'GB/T 230.1-2018',
      },
      {
        productZh: '金属及覆盖层',
        parameterZh: '中性盐雾试验',
        parameterEn: 'Neutral salt spray test',
        standardCode: 'GB/T 10125-2021',
      },
      {
        productZh: '金属材料',
        parameterZh: '化学成分（ICP-OES法）',
        parameterEn: 'Chemical composition (ICP-OES)',
        standardCode: 'GB/T 20975.25-2020',
      },
    ],
  },
];

export const NJUT_QUALIFICATIONS: QualificationSeed[] = [
  {
    kind: 'cma',
    number: '221000340587',
    issuedOn: '2021-11-10',
    validUntil: '2027-11-09',
    scope: [
      {
        productZh: '固体材料',
        parameterZh: '微米级长度测量（扫描电镜法）',
        parameterEn: 'Micrometre-scale length by SEM',
        standardCode: 'GB/T 16594-2008',
      },
      {
        productZh: '固体材料',
        parameterZh: '形貌与微区成分分析',
        parameterEn: 'Morphology and micro-area composition',
        standardCode: 'JY/T 0584-2020',
      },
      {
        productZh: '多晶材料',
        parameterZh: '物相定性分析',
        parameterEn: 'Qualitative phase analysis',
        standardCode: 'JY/T 0587-2020',
      },
      {
        productZh: '有机及高分子材料',
        parameterZh: '红外光谱定性分析',
        parameterEn: 'Infrared spectroscopic identification',
        standardCode: 'GB/T 6040-2019',
      },
      {
        productZh: '粉体材料',
        parameterZh: '粒度分布（激光衍射法）',
        parameterEn: 'Particle size distribution by laser diffraction',
        standardCode: 'GB/T 19077-2016',
      },
      {
        productZh: '粉体材料',
        parameterZh: '比表面积（BET法）',
        parameterEn: 'Specific surface area (BET)',
        standardCode: 'GB/T 19587-2017',
      },
      {
        productZh: '塑料',
        parameterZh: '玻璃化转变温度（DSC法）',
        parameterEn: 'Glass transition temperature (DSC)',
        standardCode: 'GB/T 19466.2-2004',
      },
    ],
  },
  {
    kind: 'cnas',
    number: 'CNAS L6081',
    siteKey: 'xianlin',
    issuedOn: '2022-03-15',
    validUntil: '2028-03-14',
    scope: [
      {
        productZh: '固体材料',
        parameterZh: '微米级长度测量（扫描电镜法）',
        parameterEn: 'Micrometre-scale length by SEM',
        standardCode: 'GB/T 16594-2008',
      },
      {
        productZh: '多晶材料',
        parameterZh: '物相定性分析',
        parameterEn: 'Qualitative phase analysis',
        standardCode: 'JY/T 0587-2020',
      },
      {
        productZh: '粉体材料',
        parameterZh: '粒度分布（激光衍射法）',
        parameterEn: 'Particle size distribution by laser diffraction',
        standardCode: 'GB/T 19077-2016',
      },
    ],
  },
];

export const WXMAT_QUALIFICATIONS: QualificationSeed[] = [
  {
    kind: 'cma',
    number: '231012050711',
    issuedOn: '2023-06-30',
    validUntil: '2029-06-29',
    scope: [
      {
        productZh: '金属材料',
        parameterZh: '室温拉伸性能',
        parameterEn: 'Tensile properties at room temperature',
        standardCode: 'GB/T 228.1-2021',
      },
      {
        productZh: '金属材料',
        parameterZh: '轴向力控制疲劳',
        parameterEn: 'Axial force-controlled fatigue',
        standardCode: 'GB/T 3075-2021',
      },
      {
        productZh: '金属材料',
        parameterZh: '夏比摆锤冲击',
        parameterEn: 'Charpy pendulum impact',
        standardCode: 'GB/T 229-2020',
      },
      {
        productZh: '金属材料',
        parameterZh: '维氏硬度',
        parameterEn: 'Vickers hardness',
        standardCode: 'GB/T 4340.1-2009',
      },
      {
        productZh: '金属材料',
        parameterZh: '显微组织检验',
        parameterEn: 'Microstructure examination',
        standardCode: 'GB/T 13298-2015',
      },
      {
        productZh: '金属及覆盖层',
        parameterZh: '中性盐雾试验',
        parameterEn: 'Neutral salt spray test',
        standardCode: 'GB/T 10125-2021',
      },
    ],
  },
];
