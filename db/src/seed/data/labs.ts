import { NJUT_QUALIFICATIONS, SQI_QUALIFICATIONS, WXMAT_QUALIFICATIONS } from './qualifications-jiangsu.ts';
import {
  GZUNI_QUALIFICATIONS,
  HZFOOD_QUALIFICATIONS,
  NBMETRO_QUALIFICATIONS,
  SHMAT_QUALIFICATIONS,
  SZEMC_QUALIFICATIONS,
} from './qualifications-other.ts';
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
    qualifications: SQI_QUALIFICATIONS,
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
    qualifications: NJUT_QUALIFICATIONS,
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
    qualifications: NBMETRO_QUALIFICATIONS,
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
    qualifications: WXMAT_QUALIFICATIONS,
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
    qualifications: SZEMC_QUALIFICATIONS,
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
    qualifications: HZFOOD_QUALIFICATIONS,
  },
  {
    key: 'gzuni',
    nameZh: '华南理工科技大学材料学院公共测试平台',
    nameEn: 'Shared Characterisation Platform, School of Materials, South China Institute of Science and Technology',
    labType: 'university',
    regionCode: '440112',
    credit: { prefix: '12', region: '440000', body: '455416893' },
    descriptionZh:
      '学院级开放测试平台，提供电镜、XRD、红外和热分析的预约上机与自主操作培训；暂未取得资质认定，出具的数据仅供科研参考。',
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
    qualifications: GZUNI_QUALIFICATIONS,
  },
  {
    key: 'shmat',
    nameZh: '上海浦江高分子材料检测实验室有限公司',
    nameEn: 'Shanghai Pujiang Polymer Materials Testing Laboratory Co., Ltd.',
    labType: 'other',
    regionCode: '310115',
    credit: { prefix: '91', region: '310115', body: 'MA1FL8W36' },
    descriptionZh:
      '从事塑料、橡胶及涂层材料力学、耐候和腐蚀性能检测的实验室。资质认定证书已于2025年到期，复评审进行中。',
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
    qualifications: SHMAT_QUALIFICATIONS,
  },
];
