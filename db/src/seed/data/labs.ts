import type { LabSeed } from './types.ts';

/**
 * The demo labs: eight providers in eight cities of four provinces. Names are plausible, not real
 * institutions. Qualifications: CMA valid 6 years; `shmat` holds only an expired CMA (catalogue
 * filters must not count it) and `gzuni` holds none.
 */
export const LABS: LabSeed[] = [
  {
    key: 'sqi',
    nameZh: '江苏省苏南产品质量监督检验研究院',
    nameEn: 'Jiangsu Sunan Institute of Product Quality Supervision and Inspection',
    labType: 'testing_institute',
    regionCode: '320506',
    credit: { prefix: '12', region: '320500', body: '466012834' },
    descriptionZh:
      '省级产品质量监督检验机构，面向苏南地区装备制造、汽车零部件和电子电器企业提供力学性能、环境可靠性、几何量和化学成分检测，以及标准、认证、质量管理和品牌培育等一站式服务。',
    descriptionEn:
      'Provincial product-quality inspection institute serving equipment, auto-parts and electrical manufacturers in southern Jiangsu: mechanical, environmental-reliability, dimensional and chemical testing plus standards, certification, quality-management and brand services.',
    contactPhone: '0512-6588 1200',
    contactEmail: 'service@sqi.example.cn',
    website: 'https://sqi.example.cn',
    sites: [
      {
        key: 'wuzhong',
        nameZh: '吴中总部实验楼',
        nameEn: 'Wuzhong headquarters laboratory building',
        regionCode: '320506',
        addressZh: '江苏省苏州市吴中区东吴南路88号',
        addressEn: 'No. 88 Dongwu South Road, Wuzhong District, Suzhou, Jiangsu 215128',
      },
      {
        key: 'snd',
        nameZh: '高新区环境可靠性实验室',
        nameEn: 'Suzhou New District environmental reliability laboratory',
        regionCode: '320505',
        addressZh: '江苏省苏州市虎丘区科灵路58号3号楼',
        addressEn: 'Building 3, No. 58 Keling Road, Huqiu District, Suzhou, Jiangsu 215163',
      },
    ],
    qualifications: [
      {
        kind: 'cma',
        number: '221012341158',
        issuedOn: '2022-05-20',
        validUntil: '2028-05-19',
        scope: [
          { productZh: '金属材料', parameterZh: '室温拉伸性能', parameterEn: 'Tensile properties at room temperature', standardCode: 'GB/T 228.1-2021' },
          { productZh: '金属材料', parameterZh: '夏比摆锤冲击', parameterEn: 'Charpy pendulum impact', standardCode: 'GB/T 229-2020' },
          { productZh: '金属材料', parameterZh: '洛氏硬度', parameterEn: 'Rockwell hardness', standardCode: 'GB/T 230.1-2018' },
          { productZh: '金属及覆盖层', parameterZh: '中性盐雾试验', parameterEn: 'Neutral salt spray test', standardCode: 'GB/T 10125-2021' },
          { productZh: '电工电子产品', parameterZh: '低温试验', parameterEn: 'Cold test', standardCode: 'GB/T 2423.1-2008' },
          { productZh: '电工电子产品', parameterZh: '高温试验', parameterEn: 'Dry heat test', standardCode: 'GB/T 2423.2-2008' },
          { productZh: '电工电子产品', parameterZh: '恒定湿热试验', parameterEn: 'Damp heat, steady state', standardCode: 'GB/T 2423.3-2016' },
          { productZh: '机械零部件', parameterZh: '尺寸与几何公差', parameterEn: 'Dimensions and geometrical tolerances', standardCode: 'GB/T 1958-2017' },
        ],
      },
      {
        kind: 'cnas',
        number: 'CNAS L2156',
        siteKey: 'wuzhong',
        issuedOn: '2023-09-01',
        validUntil: '2029-08-31',
        scope: [
          { productZh: '金属材料', parameterZh: '室温拉伸性能', parameterEn: 'Tensile properties at room temperature', standardCode: 'GB/T 228.1-2021' },
          { productZh: '金属材料', parameterZh: '洛氏硬度', parameterEn: 'Rockwell hardness', standardCode: 'GB/T 230.1-2018' },
          { productZh: '金属及覆盖层', parameterZh: '中性盐雾试验', parameterEn: 'Neutral salt spray test', standardCode: 'GB/T 10125-2021' },
          { productZh: '金属材料', parameterZh: '化学成分（ICP-OES法）', parameterEn: 'Chemical composition (ICP-OES)', standardCode: 'GB/T 20975.25-2020' },
        ],
      },
    ],
  },
  {
    key: 'njut',
    nameZh: '南京工程科技大学分析测试中心',
    nameEn: 'Analysis and Testing Center, Nanjing University of Engineering and Technology',
    labType: 'university',
    regionCode: '320113',
    credit: { prefix: '12', region: '320000', body: '466007182' },
    descriptionZh:
      '校级大型仪器共享平台，拥有电子显微、X射线衍射、波谱、热分析和元素分析等大型仪器，面向校内外开放共享，提供预约上机、实验外包和人员培训。',
    descriptionEn:
      'University-wide shared facility for electron microscopy, X-ray diffraction, spectroscopy, thermal and elemental analysis, open to internal and external users for booked instrument time, outsourced experiments and operator training.',
    contactPhone: '025-8581 6600',
    contactEmail: 'atc@njut.example.cn',
    website: 'https://atc.njut.example.cn',
    sites: [
      {
        key: 'xianlin',
        nameZh: '仙林校区分析测试楼',
        nameEn: 'Xianlin campus analysis and testing building',
        regionCode: '320113',
        addressZh: '江苏省南京市栖霞区仙林大道168号分析测试楼',
        addressEn: 'Analysis and Testing Building, No. 168 Xianlin Avenue, Qixia District, Nanjing, Jiangsu 210023',
      },
      {
        key: 'jiangning',
        nameZh: '江宁校区材料表征平台',
        nameEn: 'Jiangning campus materials characterisation platform',
        regionCode: '320115',
        addressZh: '江苏省南京市江宁区弘景大道88号材料楼B区',
        addressEn: 'Materials Building, Zone B, No. 88 Hongjing Avenue, Jiangning District, Nanjing, Jiangsu 211167',
      },
    ],
    qualifications: [
      {
        kind: 'cma',
        number: '221000340587',
        issuedOn: '2021-11-10',
        validUntil: '2027-11-09',
        scope: [
          { productZh: '固体材料', parameterZh: '微米级长度测量（扫描电镜法）', parameterEn: 'Micrometre-scale length by SEM', standardCode: 'GB/T 16594-2008' },
          { productZh: '固体材料', parameterZh: '形貌与微区成分分析', parameterEn: 'Morphology and micro-area composition', standardCode: 'JY/T 0584-2020' },
          { productZh: '多晶材料', parameterZh: '物相定性分析', parameterEn: 'Qualitative phase analysis', standardCode: 'JY/T 0587-2020' },
          { productZh: '有机及高分子材料', parameterZh: '红外光谱定性分析', parameterEn: 'Infrared spectroscopic identification', standardCode: 'GB/T 6040-2019' },
          { productZh: '粉体材料', parameterZh: '粒度分布（激光衍射法）', parameterEn: 'Particle size distribution by laser diffraction', standardCode: 'GB/T 19077-2016' },
          { productZh: '粉体材料', parameterZh: '比表面积（BET法）', parameterEn: 'Specific surface area (BET)', standardCode: 'GB/T 19587-2017' },
          { productZh: '塑料', parameterZh: '玻璃化转变温度（DSC法）', parameterEn: 'Glass transition temperature (DSC)', standardCode: 'GB/T 19466.2-2004' },
        ],
      },
      {
        kind: 'cnas',
        number: 'CNAS L6081',
        siteKey: 'xianlin',
        issuedOn: '2022-03-15',
        validUntil: '2028-03-14',
        scope: [
          { productZh: '固体材料', parameterZh: '微米级长度测量（扫描电镜法）', parameterEn: 'Micrometre-scale length by SEM', standardCode: 'GB/T 16594-2008' },
          { productZh: '多晶材料', parameterZh: '物相定性分析', parameterEn: 'Qualitative phase analysis', standardCode: 'JY/T 0587-2020' },
          { productZh: '粉体材料', parameterZh: '粒度分布（激光衍射法）', parameterEn: 'Particle size distribution by laser diffraction', standardCode: 'GB/T 19077-2016' },
        ],
      },
    ],
  },
  {
    key: 'nbmetro',
    nameZh: '宁波市计量测试研究院',
    nameEn: 'Ningbo Institute of Metrology and Testing',
    labType: 'metrology',
    regionCode: '330212',
    credit: { prefix: '12', region: '330200', body: '419530176' },
    descriptionZh:
      '市级法定计量检定机构，建有长度、力学、压力、温度等社会公用计量标准，承担强制检定和企业计量器具校准，提供三坐标、激光跟踪仪等精密测量共享服务。',
    descriptionEn:
      'Municipal legal-metrology institute holding public measurement standards for length, force, pressure and temperature; performs statutory verification and calibration for enterprises and shares precision measuring instruments.',
    contactPhone: '0574-8788 3100',
    contactEmail: 'jiliang@nbmetro.example.cn',
    website: 'https://nbmetro.example.cn',
    sites: [
      {
        key: 'yinzhou',
        nameZh: '鄞州检测基地',
        nameEn: 'Yinzhou calibration centre',
        regionCode: '330212',
        addressZh: '浙江省宁波市鄞州区天童南路1188号',
        addressEn: 'No. 1188 Tiantong South Road, Yinzhou District, Ningbo, Zhejiang 315100',
      },
    ],
    qualifications: [
      {
        kind: 'cma',
        number: '241100120034',
        issuedOn: '2024-01-08',
        validUntil: '2030-01-07',
        scope: [
          { productZh: '试验机', parameterZh: '拉力、压力和万能材料试验机检定', parameterEn: 'Verification of tension, compression and universal testing machines', standardCode: 'JJG 139-2014' },
          { productZh: '几何量计量器具', parameterZh: '坐标测量机校准', parameterEn: 'Calibration of coordinate measuring machines', standardCode: 'JJF 1064-2010' },
          { productZh: '压力仪表', parameterZh: '弹性元件式一般压力表检定', parameterEn: 'Verification of Bourdon-tube pressure gauges', standardCode: 'JJG 52-2013' },
          { productZh: '温度仪表', parameterZh: '工业铂、铜热电阻检定', parameterEn: 'Verification of industrial platinum and copper resistance thermometers', standardCode: 'JJG 229-2010' },
          { productZh: '力值计量器具', parameterZh: '标准测力仪检定', parameterEn: 'Verification of standard dynamometers', standardCode: 'JJG 144-2007' },
        ],
      },
      {
        kind: 'cnas',
        number: 'CNAS L0519',
        siteKey: 'yinzhou',
        issuedOn: '2022-10-18',
        validUntil: '2028-10-17',
        scope: [
          { productZh: '几何量计量器具', parameterZh: '坐标测量机校准', parameterEn: 'Calibration of coordinate measuring machines', standardCode: 'JJF 1064-2010' },
          { productZh: '几何量计量器具', parameterZh: '激光跟踪三维坐标测量系统校准', parameterEn: 'Calibration of laser tracker 3D coordinate measuring systems', standardCode: 'JJF 1242-2010' },
          { productZh: '试验机', parameterZh: '拉力、压力和万能材料试验机检定', parameterEn: 'Verification of tension, compression and universal testing machines', standardCode: 'JJG 139-2014' },
        ],
      },
    ],
  },
  {
    key: 'wxmat',
    nameZh: '无锡锡材新材料检测中心有限公司',
    nameEn: 'Wuxi Xicai New Materials Testing Center Co., Ltd.',
    labType: 'materials',
    regionCode: '320214',
    credit: { prefix: '91', region: '320214', body: 'MA1N7Q2K5' },
    descriptionZh:
      '第三方材料检测实验室，专注金属及复合材料的力学性能、疲劳寿命、金相组织、失效分析与工业CT无损检测，服务无锡及周边汽车零部件和装备制造企业。',
    descriptionEn:
      'Independent materials laboratory for mechanical properties, fatigue life, metallography, failure analysis and industrial CT of metals and composites, serving auto-parts and machinery makers around Wuxi.',
    contactPhone: '0510-8522 7700',
    contactEmail: 'lab@xicai-testing.example.cn',
    website: 'https://xicai-testing.example.cn',
    sites: [
      {
        key: 'xinwu',
        nameZh: '新吴区实验基地',
        nameEn: 'Xinwu District laboratory',
        regionCode: '320214',
        addressZh: '江苏省无锡市新吴区菱湖大道200号中国传感网国际创新园F3栋',
        addressEn: 'Building F3, No. 200 Linghu Avenue, Xinwu District, Wuxi, Jiangsu 214135',
      },
    ],
    qualifications: [
      {
        kind: 'cma',
        number: '231012050711',
        issuedOn: '2023-06-30',
        validUntil: '2029-06-29',
        scope: [
          { productZh: '金属材料', parameterZh: '室温拉伸性能', parameterEn: 'Tensile properties at room temperature', standardCode: 'GB/T 228.1-2021' },
          { productZh: '金属材料', parameterZh: '轴向力控制疲劳', parameterEn: 'Axial force-controlled fatigue', standardCode: 'GB/T 3075-2021' },
          { productZh: '金属材料', parameterZh: '夏比摆锤冲击', parameterEn: 'Charpy pendulum impact', standardCode: 'GB/T 229-2020' },
          { productZh: '金属材料', parameterZh: '维氏硬度', parameterEn: 'Vickers hardness', standardCode: 'GB/T 4340.1-2009' },
          { productZh: '金属材料', parameterZh: '显微组织检验', parameterEn: 'Microstructure examination', standardCode: 'GB/T 13298-2015' },
          { productZh: '金属及覆盖层', parameterZh: '中性盐雾试验', parameterEn: 'Neutral salt spray test', standardCode: 'GB/T 10125-2021' },
        ],
      },
    ],
  },
  {
    key: 'szemc',
    nameZh: '深圳湾电磁兼容检测技术有限公司',
    nameEn: 'Shenzhen Bay EMC Testing Technology Co., Ltd.',
    labType: 'emc',
    regionCode: '440305',
    credit: { prefix: '91', region: '440300', body: 'MA5F3K8R2' },
    descriptionZh:
      '专业电磁兼容实验室，建有10米法和3米法电波暗室、屏蔽室和抗扰度测试系统，提供信息技术设备、家用电器和汽车电子的EMC检测、预测试和整改服务。',
    descriptionEn:
      'EMC laboratory with 10 m and 3 m anechoic chambers, shielded rooms and immunity systems: EMC testing, pre-compliance and debugging for IT equipment, household appliances and automotive electronics.',
    contactPhone: '0755-2660 8800',
    contactEmail: 'emc@szbay-emc.example.cn',
    website: 'https://szbay-emc.example.cn',
    sites: [
      {
        key: 'nanshan',
        nameZh: '南山科技园实验室',
        nameEn: 'Nanshan Science Park laboratory',
        regionCode: '440305',
        addressZh: '广东省深圳市南山区高新南七道18号检测大楼',
        addressEn: 'Testing Building, No. 18 Gaoxin South 7th Road, Nanshan District, Shenzhen, Guangdong 518057',
      },
    ],
    qualifications: [
      {
        kind: 'cma',
        number: '241920340112',
        issuedOn: '2024-04-12',
        validUntil: '2030-04-11',
        scope: [
          { productZh: '信息技术设备', parameterZh: '传导发射与辐射发射', parameterEn: 'Conducted and radiated emissions', standardCode: 'GB/T 9254.1-2021' },
          { productZh: '家用电器', parameterZh: '电磁骚扰', parameterEn: 'Electromagnetic disturbance', standardCode: 'GB 4343.1-2018' },
          { productZh: '电气电子产品', parameterZh: '静电放电抗扰度', parameterEn: 'Electrostatic discharge immunity', standardCode: 'GB/T 17626.2-2018' },
          { productZh: '电气电子产品', parameterZh: '电快速瞬变脉冲群抗扰度', parameterEn: 'Electrical fast transient/burst immunity', standardCode: 'GB/T 17626.4-2018' },
          { productZh: '电气电子产品', parameterZh: '浪涌（冲击）抗扰度', parameterEn: 'Surge immunity', standardCode: 'GB/T 17626.5-2019' },
          { productZh: '电气电子产品', parameterZh: '谐波电流发射', parameterEn: 'Harmonic current emissions', standardCode: 'GB 17625.1-2022' },
        ],
      },
      {
        kind: 'cnas',
        number: 'CNAS L9527',
        siteKey: 'nanshan',
        issuedOn: '2022-07-01',
        validUntil: '2028-06-30',
        scope: [
          { productZh: '信息技术设备', parameterZh: '传导发射与辐射发射', parameterEn: 'Conducted and radiated emissions', standardCode: 'GB/T 9254.1-2021' },
          { productZh: '电气电子产品', parameterZh: '静电放电抗扰度', parameterEn: 'Electrostatic discharge immunity', standardCode: 'GB/T 17626.2-2018' },
          { productZh: '电气电子产品', parameterZh: '浪涌（冲击）抗扰度', parameterEn: 'Surge immunity', standardCode: 'GB/T 17626.5-2019' },
        ],
      },
    ],
  },
  {
    key: 'hzfood',
    nameZh: '杭州之江食品化学品检测中心',
    nameEn: 'Hangzhou Zhijiang Food and Chemical Testing Center',
    labType: 'food_chemical',
    regionCode: '330106',
    credit: { prefix: '91', region: '330106', body: 'MA2CK71X4' },
    descriptionZh:
      '食品与化学品检测实验室，开展重金属、农药残留、兽药残留、食品添加剂和有害物质检测，协助食品企业完成抽检不合格整改与质量提升。',
    descriptionEn:
      'Food and chemical testing laboratory for heavy metals, pesticide and veterinary-drug residues, additives and restricted substances; helps food producers correct failed spot checks and raise quality.',
    contactPhone: '0571-8890 2300',
    contactEmail: 'food@zhijiang-lab.example.cn',
    website: 'https://zhijiang-lab.example.cn',
    sites: [
      {
        key: 'xihu',
        nameZh: '西湖区三墩实验室',
        nameEn: 'Sandun laboratory, Xihu District',
        regionCode: '330106',
        addressZh: '浙江省杭州市西湖区西园八路6号2幢',
        addressEn: 'Building 2, No. 6 Xiyuan 8th Road, Xihu District, Hangzhou, Zhejiang 310030',
      },
    ],
    qualifications: [
      {
        kind: 'cma',
        number: '221111050263',
        issuedOn: '2022-09-01',
        validUntil: '2028-08-31',
        scope: [
          { productZh: '食品', parameterZh: '铅', parameterEn: 'Lead', standardCode: 'GB 5009.12-2023' },
          { productZh: '食品', parameterZh: '镉', parameterEn: 'Cadmium', standardCode: 'GB 5009.15-2023' },
          { productZh: '食品', parameterZh: '总汞', parameterEn: 'Total mercury', standardCode: 'GB 5009.17-2021' },
          { productZh: '食品', parameterZh: '多元素测定（ICP-MS法）', parameterEn: 'Multi-element determination (ICP-MS)', standardCode: 'GB 5009.268-2016' },
          { productZh: '植物源性食品', parameterZh: '208种农药及其代谢物残留量', parameterEn: '208 pesticides and metabolites', standardCode: 'GB 23200.113-2018' },
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
          { productZh: '食品', parameterZh: '多元素测定（ICP-MS法）', parameterEn: 'Multi-element determination (ICP-MS)', standardCode: 'GB 5009.268-2016' },
          { productZh: '植物源性食品', parameterZh: '208种农药及其代谢物残留量', parameterEn: '208 pesticides and metabolites', standardCode: 'GB 23200.113-2018' },
        ],
      },
    ],
  },
  {
    key: 'gzuni',
    nameZh: '华南理工科技大学材料学院公共测试平台',
    nameEn: 'Shared Characterisation Platform, School of Materials, South China Institute of Science and Technology',
    labType: 'university',
    regionCode: '440112',
    credit: { prefix: '12', region: '440000', body: '455416893' },
    descriptionZh: '学院级开放测试平台，提供电镜、XRD、红外和热分析的预约上机与自主操作培训；暂未取得资质认定，出具的数据仅供科研参考。',
    descriptionEn:
      'School-level open facility: booked time and self-operation training on electron microscopy, XRD, infrared and thermal analysis. Not yet accredited; results are for research reference only.',
    contactPhone: '020-3938 1100',
    contactEmail: 'share@mse.scist.example.cn',
    website: 'https://mse.scist.example.cn/share',
    sites: [
      {
        key: 'huangpu',
        nameZh: '知识城校区材料楼',
        nameEn: 'Knowledge City campus materials building',
        regionCode: '440112',
        addressZh: '广东省广州市黄埔区科学大道186号材料楼A座',
        addressEn: 'Materials Building A, No. 186 Science Avenue, Huangpu District, Guangzhou, Guangdong 510663',
      },
    ],
    qualifications: [],
  },
  {
    key: 'shmat',
    nameZh: '上海浦江高分子材料检测实验室有限公司',
    nameEn: 'Shanghai Pujiang Polymer Materials Testing Laboratory Co., Ltd.',
    labType: 'other',
    regionCode: '310115',
    credit: { prefix: '91', region: '310115', body: 'MA1FL8W36' },
    descriptionZh: '从事塑料、橡胶及涂层材料力学、耐候和腐蚀性能检测的实验室。资质认定证书已于2025年到期，复评审进行中。',
    descriptionEn:
      'Laboratory for mechanical, weathering and corrosion testing of plastics, rubber and coatings. Its CMA certificate expired in 2025; reassessment is in progress.',
    contactPhone: '021-5080 6600',
    contactEmail: 'info@pujiang-polymer.example.cn',
    website: 'https://pujiang-polymer.example.cn',
    sites: [
      {
        key: 'zhangjiang',
        nameZh: '张江实验室',
        nameEn: 'Zhangjiang laboratory',
        regionCode: '310115',
        addressZh: '上海市浦东新区张江路665号5号楼',
        addressEn: 'Building 5, No. 665 Zhangjiang Road, Pudong New Area, Shanghai 201203',
      },
    ],
    qualifications: [
      {
        kind: 'cma',
        number: '190912340876',
        issuedOn: '2019-03-18',
        validUntil: '2025-03-17',
        scope: [
          { productZh: '塑料', parameterZh: '拉伸性能', parameterEn: 'Tensile properties', standardCode: 'GB/T 1040.2-2006' },
          { productZh: '涂层', parameterZh: '中性盐雾试验', parameterEn: 'Neutral salt spray test', standardCode: 'GB/T 10125-2012' },
          { productZh: '塑料', parameterZh: '恒定湿热试验', parameterEn: 'Damp heat, steady state', standardCode: 'GB/T 2423.3-2016' },
        ],
      },
    ],
  },
];
