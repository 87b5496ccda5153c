import type { EnterpriseSeed, OperatorSeed, PlatformSeed, UserSeed } from './types.ts';

/** Province platform → Suzhou city platform → Wuzhong district service station. */
export const PLATFORMS: PlatformSeed[] = [
  {
    key: 'platform:js',
    level: 'province',
    parentKey: null,
    nameZh: '江苏省质量基础设施“一站式”服务平台',
    nameEn: 'Jiangsu Quality Infrastructure One-Stop Service Platform',
    regionCode: '320000',
    credit: { prefix: '11', region: '320000', body: '014000319' },
    descriptionZh:
      '由省市场监督管理局建设运营，汇聚全省计量、标准、认证认可、检验检测和质量管理服务资源，面向中小企业提供一站式服务。',
    descriptionEn:
      'Run by the provincial market-regulation administration: brings together metrology, standards, certification, testing and quality-management resources of the province in one place for SMEs.',
    contactPhone: '025-8801 2345',
    contactEmail: 'service@qi-jiangsu.example.cn',
    website: 'https://qi-jiangsu.example.cn',
  },
  {
    key: 'platform:sz',
    level: 'city',
    parentKey: 'platform:js',
    nameZh: '苏州市质量基础设施“一站式”服务平台',
    nameEn: 'Suzhou Quality Infrastructure One-Stop Service Platform',
    regionCode: '320500',
    credit: { prefix: '11', region: '320500', body: '014160725' },
    descriptionZh: '苏州市级分平台，负责本市服务机构入驻审核、创新券发放和服务站点运营。',
    descriptionEn:
      'Suzhou city platform: admits local providers, runs the innovation-voucher programme and the district service stations.',
    contactPhone: '0512-6522 3456',
    contactEmail: 'qi@suzhou-amr.example.cn',
    website: 'https://qi.suzhou-amr.example.cn',
  },
  {
    key: 'platform:wz',
    level: 'station',
    parentKey: 'platform:sz',
    nameZh: '吴中区质量基础设施“一站式”服务站',
    nameEn: 'Wuzhong District Quality Infrastructure One-Stop Service Station',
    regionCode: '320506',
    credit: null,
    descriptionZh: '设在吴中经济技术开发区的服务站，由服务专员（质量管家）对接辖区企业需求。',
    descriptionEn:
      'Service station in the Wuzhong Economic Development Zone where service officers look after local enterprises.',
    contactPhone: '0512-6526 7788',
    contactEmail: 'wuzhong@qi.suzhou-amr.example.cn',
    website: null,
  },
];

/** SMEs. Enterprise A (sme@) and B (sme2@) have owners; the others give the catalogue more customers. */
export const ENTERPRISES: EnterpriseSeed[] = [
  {
    key: 'enterprise:hengrui',
    size: 'small',
    industryCode: 'C',
    nameZh: '苏州恒锐精密机械有限公司',
    nameEn: 'Suzhou Hengrui Precision Machinery Co., Ltd.',
    regionCode: '320506',
    credit: { prefix: '91', region: '320506', body: 'MA1MXK3T8' },
    descriptionZh: '生产精密传动零部件和非标自动化设备的小型企业，员工约120人。',
    descriptionEn:
      'Small manufacturer of precision transmission parts and custom automation equipment, about 120 employees.',
    contactPhone: '0512-6601 2288',
    contactEmail: 'purchase@hengrui-jm.example.cn',
    website: null,
  },
  {
    key: 'enterprise:chengrui',
    size: 'medium',
    industryCode: 'C',
    nameZh: '无锡澄锐新材料科技有限公司',
    nameEn: 'Wuxi Chengrui New Material Technology Co., Ltd.',
    regionCode: '320214',
    credit: { prefix: '91', region: '320214', body: 'MA20B7LQ4' },
    descriptionZh: '从事锂电池正极材料和功能涂层研发生产的科技型中小企业。',
    descriptionEn: 'Technology-based SME developing lithium-battery cathode materials and functional coatings.',
    contactPhone: '0510-8123 4567',
    contactEmail: 'rd@chengrui-nm.example.cn',
    website: 'https://chengrui-nm.example.cn',
  },
  {
    key: 'enterprise:qiheng',
    size: 'small',
    industryCode: 'C',
    nameZh: '南京启衡电子科技有限公司',
    nameEn: 'Nanjing Qiheng Electronic Technology Co., Ltd.',
    regionCode: '320115',
    credit: { prefix: '91', region: '320115', body: 'MA1W4PD27' },
    descriptionZh: '工业物联网网关和电源模块制造商，产品需通过EMC和环境可靠性试验。',
    descriptionEn: 'Maker of industrial IoT gateways and power modules that must pass EMC and environmental tests.',
    contactPhone: '025-5216 8899',
    contactEmail: 'qa@qiheng-tech.example.cn',
    website: null,
  },
  {
    key: 'enterprise:yongda',
    size: 'medium',
    industryCode: 'C',
    nameZh: '宁波甬达汽车零部件有限公司',
    nameEn: 'Ningbo Yongda Auto Parts Co., Ltd.',
    regionCode: '330212',
    credit: { prefix: '91', region: '330212', body: '7930XK61A' },
    descriptionZh: '汽车底盘紧固件和冲压件供应商，IATF 16949 体系运行中。',
    descriptionEn: 'Supplier of chassis fasteners and stampings to car makers, running an IATF 16949 system.',
    contactPhone: '0574-8830 1166',
    contactEmail: 'quality@yongda-auto.example.cn',
    website: null,
  },
  {
    key: 'enterprise:hexiang',
    size: 'micro',
    industryCode: 'C',
    nameZh: '苏州禾香食品有限公司',
    nameEn: 'Suzhou Hexiang Foods Co., Ltd.',
    regionCode: '320507',
    credit: { prefix: '91', region: '320507', body: 'MA27G9N03' },
    descriptionZh: '生产糕点和速冻米面制品的小微食品企业。',
    descriptionEn: 'Micro enterprise producing pastries and frozen rice and flour products.',
    contactPhone: '0512-6598 3300',
    contactEmail: 'hexiang@foods.example.cn',
    website: null,
  },
];

/** All demo users sign in with DEMO_PASSWORD. Org keys: 'lab:<key>', 'platform:<key>', 'enterprise:<key>'. */
export const USERS: UserSeed[] = [
  {
    email: 'admin@demo.qihub.test',
    displayName: '赵主任',
    phone: '13800000001',
    orgKey: 'platform:js',
    role: 'admin',
    description: 'Platform administrator of the Jiangsu province platform',
  },
  {
    email: 'officer@demo.qihub.test',
    displayName: '孙专员',
    phone: '13800000002',
    orgKey: 'platform:wz',
    role: 'service_officer',
    description: 'Service officer (质量管家) at the Wuzhong service station',
  },
  {
    email: 'lab@demo.qihub.test',
    displayName: '王工',
    phone: '13800000003',
    orgKey: 'lab:sqi',
    role: 'manager',
    description: 'Lab manager of the demo lab (Jiangsu Sunan product-quality institute, Suzhou)',
  },
  {
    email: 'operator@demo.qihub.test',
    displayName: '陈工',
    phone: '13800000004',
    orgKey: 'lab:sqi',
    role: 'operator',
    description: 'Instrument operator in the demo lab',
  },
  {
    email: 'reviewer@demo.qihub.test',
    displayName: '张工',
    phone: '13800000008',
    orgKey: 'lab:sqi',
    role: 'staff',
    description: 'Report reviewer (staff) of the demo lab: reviews what lab@ then signs',
  },
  {
    email: 'lab2@demo.qihub.test',
    displayName: '刘老师',
    phone: '13800000005',
    orgKey: 'lab:njut',
    role: 'manager',
    description: 'Lab manager of another lab (university analysis and testing centre, Nanjing)',
  },
  {
    email: 'sme@demo.qihub.test',
    displayName: '李经理',
    phone: '13800000006',
    orgKey: 'enterprise:hengrui',
    role: 'owner',
    description: 'Owner of enterprise A (Suzhou precision machinery SME)',
  },
  {
    email: 'sme2@demo.qihub.test',
    displayName: '周总',
    phone: '13800000007',
    orgKey: 'enterprise:chengrui',
    role: 'owner',
    description: 'Owner of enterprise B (Wuxi new-materials SME)',
  },
];

/**
 * The platform-wide operators (系统运维): they run the deployment (the job queue every region
 * shares, Bull Board) and belong to no organisation, so they see no tenant's data through the API.
 */
export const OPERATORS: OperatorSeed[] = [
  {
    email: 'ops@demo.qihub.test',
    displayName: '钱运维',
    phone: null,
    description: 'Platform-wide operator: the job queue dashboard (Bull Board), no organisation',
  },
];
