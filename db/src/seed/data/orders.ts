import type { CommissionForm, OrderStatus } from '../../schema/orders.ts';
import type { LabKey } from './types.ts';

/**
 * Demo data of the order flow (issue 4): sme@'s enterprise (苏州恒锐精密机械有限公司, an automotive
 * hinge maker in Wuzhong) orders tests from the Suzhou institute; orders at every stage, with their
 * timelines, samples, a conversation and ratings. No report rows and no files: reports are issued
 * (and their PDFs rendered) by the running application.
 *
 * Times are Beijing time written with their offset; the demo "today" is late November 2026.
 */
const at = (local: string) => new Date(`${local.replace(' ', 'T')}:00+08:00`);
/** Due dates are the end of a Beijing working day. */
const endOf = (date: string) => new Date(`${date}T23:59:59.999+08:00`);
const DAY = 86_400_000;
/** The objection window (15 days, the demo labs' setting) runs from the issue instant. */
const plusDays = (d: Date, days: number) => new Date(d.getTime() + days * DAY);

/**
 * Per-lab order settings: report-number prefixes and the default rules (DOMAIN). The Guangzhou and
 * Shanghai labs never saved theirs, so they run on the defaults (prefix "QI" + id digits).
 */
export const LAB_ORDER_SETTINGS: { lab: LabKey; reportPrefix: string; autoQuoteFixedPrice?: boolean }[] = [
  // The Suzhou institute checks its capability (能力确认) before every quote, so it quotes by hand.
  { lab: 'sqi', reportPrefix: 'SZQI', autoQuoteFixedPrice: false },
  { lab: 'njut', reportPrefix: 'NJUTAC' },
  { lab: 'nbmetro', reportPrefix: 'NBJL' },
  { lab: 'wxmat', reportPrefix: 'WXCL' },
  { lab: 'szemc', reportPrefix: 'SZEMC' },
  { lab: 'hzfood', reportPrefix: 'HZSP' },
];

/** Authorised signatories (授权签字人) as listed on the labs' CMA certificates. */
export const LAB_SIGNATORIES: { lab: LabKey; email: string; scopeZh: string; since: Date }[] = [
  {
    lab: 'sqi',
    email: 'lab@demo.qihub.test',
    scopeZh: '金属材料力学性能、金属及覆盖层腐蚀试验、电工电子产品环境试验',
    since: at('2024-03-01 09:00'),
  },
  {
    lab: 'njut',
    email: 'lab2@demo.qihub.test',
    scopeZh: '材料微观形貌与成分表征',
    since: at('2024-06-01 09:00'),
  },
];

/** Each enterprise's named service officer (质量管家): the Wuzhong station looks after sme@'s enterprise. */
export const ENTERPRISE_OFFICERS: { enterprise: string; platform: string; email: string; since: Date }[] = [
  {
    enterprise: 'enterprise:hengrui',
    platform: 'platform:wz',
    email: 'officer@demo.qihub.test',
    since: at('2026-03-02 09:30'),
  },
];

export interface OrderLineSeed {
  service: string;
  parameterZh: string;
  standardCode: string;
  /** The priced quantity, in `unit`. */
  quantity: number;
  unit: string;
  /** Samples the line is for; by default the quantity of a line priced per sample, else none. */
  sampleCount?: number;
  /** Fen; null until quoted. */
  unitPriceFen: number | null;
  /** Numbers of the CMA / CNAS certificates whose scope lists the item (checked when quoted). */
  cma?: string;
  cnas?: string;
  details?: Record<string, unknown>;
}

export interface SampleSeed {
  nameZh: string;
  quantity: number;
  unit: string;
  receivedAt?: Date;
  conditionOnArrival?: string;
  storageLocation?: string;
}

export interface MessageSeed {
  at: Date;
  email: string;
  side: 'customer' | 'lab';
  body: string;
}

export interface OrderSeed {
  key: string;
  number: string;
  status: OrderStatus;
  customer: string;
  lab: LabKey;
  requestedBy: string;
  titleZh: string;
  requestNotes: string;
  requestedAt: Date;
  lines: OrderLineSeed[];
  /** Quoted by a lab member, or automatically (fixed prices) when `by` is null. */
  quote?: { at: Date; by: string | null; validUntil: string; notes: string };
  accepted?: { at: Date; by: string; commission: CommissionForm; deadlineTierDays: 5 | 15 | 25 | 30 };
  samples?: SampleSeed[];
  /** Received by this lab member; the clock starts when the last sample is in. */
  receivedBy?: string;
  clockStartedAt?: Date;
  dueAt?: Date;
  workStartedAt?: Date;
  /** Report submitted, reviewed and issued (timeline only: no report rows in the seed). */
  report?: { number: string; submittedAt: Date; reviewedAt: Date; reviewer: string; issuedAt: Date; signatory: string };
  objectionUntil?: Date;
  closedAt?: Date;
  messages?: MessageSeed[];
  rating?: { score: number; comment: string; at: Date; reply?: { text: string; email: string; at: Date } };
}

const SME = 'sme@demo.qihub.test';
const LAB = 'lab@demo.qihub.test';
const REVIEWER = 'reviewer@demo.qihub.test';
const SQI_CMA = '221012341158';
const SQI_CNAS = 'CNAS L2156';

const commission = (c: Partial<CommissionForm> & Pick<CommissionForm, 'sampleName'>): CommissionForm => ({
  specification: '',
  manufacturer: '苏州恒锐精密机械有限公司',
  batch: '',
  quantity: 1,
  trademark: '恒锐',
  productionDate: null,
  packagingCondition: '纸箱包装，完好',
  testScope: 'partial',
  purpose: '委托检验',
  testBasis: '',
  evaluationBasis: '',
  subcontractingAllowed: false,
  leftoverSamples: 'return',
  storageConditions: '常温干燥',
  reportCopies: 2,
  reportLanguage: 'zh',
  reportDelivery: 'electronic',
  deliveryAddress: '',
  ...c,
});

/** Platform-wide order numbers are "QI" + year + sequence; other customers' orders fill the gaps. */
export const ORDER_SEQUENCE_FLOOR = { year: 2026, lastValue: 258 };

export const ORDERS: OrderSeed[] = [
  {
    key: 'order:hinge-salt-2026-0052',
    number: 'QI2026000052',
    status: 'closed',
    customer: 'enterprise:hengrui',
    lab: 'sqi',
    requestedBy: SME,
    titleZh: '镀锌钢板 Q235B 中性盐雾试验（240 h）',
    requestNotes: '新供应商镀锌板来料验证，需按 GB/T 10125-2021 做 240 h 中性盐雾，评价红锈出现时间。',
    requestedAt: at('2026-05-11 09:40'),
    lines: [
      {
        service: 'sqi-salt-spray',
        parameterZh: '中性盐雾试验',
        standardCode: 'GB/T 10125-2021',
        quantity: 240,
        unit: 'hour',
        sampleCount: 5,
        unitPriceFen: 3000,
        cma: SQI_CMA,
        cnas: SQI_CNAS,
        details: { specimen: '150 mm × 70 mm × 1.5 mm', pieces: 5 },
      },
    ],
    quote: { at: at('2026-05-11 09:40'), by: null, validUntil: '2026-06-10', notes: '' },
    accepted: {
      at: at('2026-05-12 14:20'),
      by: SME,
      deadlineTierDays: 25,
      commission: commission({
        sampleName: '镀锌钢板 Q235B',
        specification: '150 mm × 70 mm × 1.5 mm，锌层 Z275',
        manufacturer: '江苏沙钢集团有限公司',
        batch: 'ZN2605-118',
        quantity: 5,
        trademark: '沙钢',
        productionDate: '2026-04-20',
        purpose: '来料质量验证',
        testBasis: 'GB/T 10125-2021',
        evaluationBasis: 'GB/T 6461-2002',
        leftoverSamples: 'dispose',
      }),
    },
    samples: [
      {
        nameZh: '镀锌钢板 Q235B 试片',
        quantity: 5,
        unit: '片',
        receivedAt: at('2026-05-13 10:15'),
        conditionOnArrival: '试片边缘已封蜡，表面无划伤、无白锈',
        storageLocation: '样品间 B-07',
      },
    ],
    receivedBy: LAB,
    clockStartedAt: at('2026-05-13 10:15'),
    dueAt: endOf('2026-06-17'),
    workStartedAt: at('2026-05-14 09:00'),
    report: {
      number: 'SZQI-2026-000412',
      submittedAt: at('2026-05-27 16:30'),
      reviewedAt: at('2026-05-28 10:05'),
      reviewer: REVIEWER,
      issuedAt: at('2026-05-28 15:40'),
      signatory: LAB,
    },
    objectionUntil: plusDays(at('2026-05-28 15:40'), 15),
    closedAt: at('2026-06-12 15:45'),
    rating: {
      score: 4,
      comment: '结果可靠，照片记录完整；希望以后能在 120 h 中间节点主动推送一次照片。',
      at: at('2026-06-15 11:20'),
    },
  },
  {
    key: 'order:hinge-tensile-2026-0137',
    number: 'QI2026000137',
    status: 'closed',
    customer: 'enterprise:hengrui',
    lab: 'sqi',
    requestedBy: SME,
    titleZh: '汽车门铰链室温拉伸试验',
    requestNotes: '主机厂 PPAP 资料需要，门铰链本体材料 QSTE420TM 取样拉伸，每批 3 个试样。',
    requestedAt: at('2026-09-01 10:05'),
    lines: [
      {
        service: 'sqi-tensile',
        parameterZh: '室温拉伸性能',
        standardCode: 'GB/T 228.1-2021',
        quantity: 6,
        unit: 'sample',
        unitPriceFen: 30000,
        cma: SQI_CMA,
        cnas: SQI_CNAS,
        details: { specimen: 'P7 比例试样', batches: 2 },
      },
    ],
    quote: { at: at('2026-09-01 10:05'), by: null, validUntil: '2026-10-01', notes: '' },
    accepted: {
      at: at('2026-09-02 09:12'),
      by: SME,
      deadlineTierDays: 5,
      commission: commission({
        sampleName: '汽车门铰链',
        specification: 'HR-DH-220 前门上铰链，材料 QSTE420TM',
        batch: '2608A / 2608B',
        quantity: 6,
        productionDate: '2026-08-18',
        purpose: '主机厂 PPAP 提交',
        testBasis: 'GB/T 228.1-2021',
        evaluationBasis: 'GB/T 20887.1-2017',
        reportCopies: 3,
        reportLanguage: 'both',
      }),
    },
    samples: [
      {
        nameZh: '汽车门铰链（HR-DH-220 前门上铰链）',
        quantity: 6,
        unit: '件',
        receivedAt: at('2026-09-04 15:30'),
        conditionOnArrival: '纸箱包装完好，零件表面涂油防锈，无磕碰',
        storageLocation: '样品间 A-03',
      },
    ],
    receivedBy: LAB,
    clockStartedAt: at('2026-09-04 15:30'),
    dueAt: endOf('2026-09-11'),
    workStartedAt: at('2026-09-07 08:45'),
    report: {
      number: 'SZQI-2026-000958',
      submittedAt: at('2026-09-09 17:10'),
      reviewedAt: at('2026-09-10 09:30'),
      reviewer: REVIEWER,
      issuedAt: at('2026-09-10 14:00'),
      signatory: LAB,
    },
    objectionUntil: plusDays(at('2026-09-10 14:00'), 15),
    closedAt: at('2026-09-25 14:05'),
    rating: {
      score: 5,
      comment: '报告比承诺提前一天出具，拉伸曲线和断口照片都附上了，方便我们给主机厂交 PPAP 资料。',
      at: at('2026-09-28 10:02'),
      reply: {
        text: '感谢认可！门铰链的盐雾和耐久试验也可以在我院一站式完成，欢迎随时联系王工。',
        email: LAB,
        at: at('2026-09-28 16:45'),
      },
    },
  },
  {
    key: 'order:plate-salt-2026-0201',
    number: 'QI2026000201',
    status: 'report_issued',
    customer: 'enterprise:hengrui',
    lab: 'sqi',
    requestedBy: SME,
    titleZh: '铰链加强板（镀锌钢板 Q235B）中性盐雾试验',
    requestNotes: '改进钝化工艺后的铰链加强板复测，按 GB/T 10125-2021 做 96 h 中性盐雾。',
    requestedAt: at('2026-11-02 13:50'),
    lines: [
      {
        service: 'sqi-salt-spray',
        parameterZh: '中性盐雾试验',
        standardCode: 'GB/T 10125-2021',
        quantity: 96,
        unit: 'hour',
        sampleCount: 6,
        unitPriceFen: 3000,
        cma: SQI_CMA,
        cnas: SQI_CNAS,
        details: { pieces: 6 },
      },
    ],
    quote: { at: at('2026-11-02 13:50'), by: null, validUntil: '2026-12-02', notes: '' },
    accepted: {
      at: at('2026-11-03 08:55'),
      by: SME,
      deadlineTierDays: 15,
      commission: commission({
        sampleName: '铰链加强板',
        specification: 'HR-RP-08，镀锌钢板 Q235B，三价铬钝化',
        batch: '2611A',
        quantity: 6,
        productionDate: '2026-10-28',
        purpose: '工艺改进验证',
        testBasis: 'GB/T 10125-2021',
        evaluationBasis: 'GB/T 6461-2002',
        leftoverSamples: 'return',
        reportDelivery: 'post',
        deliveryAddress: '江苏省苏州市吴中区木渎镇金枫南路 1288 号 苏州恒锐精密机械有限公司 质量部 李经理 收',
      }),
    },
    samples: [
      {
        nameZh: '铰链加强板（HR-RP-08）',
        quantity: 6,
        unit: '件',
        receivedAt: at('2026-11-05 10:40'),
        conditionOnArrival: '气泡袋单件包装，镀层完好',
        storageLocation: '样品间 B-02',
      },
    ],
    receivedBy: LAB,
    clockStartedAt: at('2026-11-05 10:40'),
    dueAt: endOf('2026-11-26'),
    workStartedAt: at('2026-11-06 09:00'),
    report: {
      number: 'SZQI-2026-001187',
      submittedAt: at('2026-11-24 16:20'),
      reviewedAt: at('2026-11-25 09:15'),
      reviewer: REVIEWER,
      issuedAt: at('2026-11-25 15:30'),
      signatory: LAB,
    },
    objectionUntil: plusDays(at('2026-11-25 15:30'), 15),
    messages: [
      {
        at: at('2026-11-26 09:10'),
        email: SME,
        side: 'customer',
        body: '电子版报告已收到，纸质版请寄到委托单上的地址，谢谢。',
      },
      {
        at: at('2026-11-26 10:25'),
        email: LAB,
        side: 'lab',
        body: '好的，纸质报告和剩余样品今天一起寄出，顺丰单号稍后发您。',
      },
    ],
  },
  {
    key: 'order:hinge-salt-tensile-2026-0236',
    number: 'QI2026000236',
    status: 'in_progress',
    customer: 'enterprise:hengrui',
    lab: 'sqi',
    requestedBy: SME,
    titleZh: '汽车门铰链中性盐雾及拉伸试验',
    requestNotes: '新项目 HR-DH-260 前门铰链 OTS 认可：96 h 中性盐雾（要求无红锈），铰链轴销拉伸 3 件。',
    requestedAt: at('2026-11-13 15:25'),
    lines: [
      {
        service: 'sqi-salt-spray',
        parameterZh: '中性盐雾试验',
        standardCode: 'GB/T 10125-2021',
        quantity: 96,
        unit: 'hour',
        sampleCount: 6,
        unitPriceFen: 3000,
        cma: SQI_CMA,
        cnas: SQI_CNAS,
        details: { pieces: 6 },
      },
      {
        service: 'sqi-tensile',
        parameterZh: '室温拉伸性能',
        standardCode: 'GB/T 228.1-2021',
        quantity: 3,
        unit: 'sample',
        unitPriceFen: 30000,
        cma: SQI_CMA,
        cnas: SQI_CNAS,
      },
    ],
    quote: { at: at('2026-11-13 15:25'), by: null, validUntil: '2026-12-13', notes: '' },
    accepted: {
      at: at('2026-11-16 10:30'),
      by: SME,
      deadlineTierDays: 15,
      commission: commission({
        sampleName: '汽车门铰链',
        specification: 'HR-DH-260 前门铰链总成；轴销 45# 钢调质',
        batch: 'OTS-2611',
        quantity: 9,
        productionDate: '2026-11-09',
        testScope: 'partial',
        purpose: '新项目 OTS 认可',
        testBasis: 'GB/T 10125-2021；GB/T 228.1-2021',
        evaluationBasis: '客户技术要求 HR-TS-031：96 h 无红锈',
        reportLanguage: 'zh',
      }),
    },
    samples: [
      {
        nameZh: '汽车门铰链总成（HR-DH-260）',
        quantity: 6,
        unit: '件',
        receivedAt: at('2026-11-18 09:50'),
        conditionOnArrival: '纸箱包装完好，零件无磕碰，表面无锈蚀',
        storageLocation: '样品间 A-05',
      },
      {
        nameZh: '铰链轴销（45# 钢）',
        quantity: 3,
        unit: '件',
        receivedAt: at('2026-11-18 09:55'),
        conditionOnArrival: '已加工成 R4 拉伸试样，尺寸合格',
        storageLocation: '样品间 A-05',
      },
    ],
    receivedBy: LAB,
    clockStartedAt: at('2026-11-18 09:55'),
    // 15 working days after the 18th (no holidays in between).
    dueAt: endOf('2026-12-09'),
    workStartedAt: at('2026-11-19 08:30'),
    messages: [
      {
        at: at('2026-11-17 16:05'),
        email: SME,
        side: 'customer',
        body: '样品已于今天顺丰寄出，单号 SF1423 8876 0215，共 2 箱，请查收。',
      },
      {
        at: at('2026-11-18 10:12'),
        email: LAB,
        side: 'lab',
        body: '样品已收到，外观完好。铰链总成安排 11 月 19 日上午进 1 号盐雾箱，轴销拉伸同日进行。',
      },
      {
        at: at('2026-11-18 10:40'),
        email: SME,
        side: 'customer',
        body: '好的，麻烦在 48 h 和 96 h 两个节点各拍一组照片发给我们，谢谢。',
      },
    ],
  },
  {
    key: 'order:strut-climate-2026-0251',
    number: 'QI2026000251',
    status: 'quoted',
    customer: 'enterprise:hengrui',
    lab: 'sqi',
    requestedBy: SME,
    titleZh: '门铰链限位器 盐雾及恒定湿热试验',
    requestNotes: '限位器总成（带橡胶缓冲块）需要 240 h 中性盐雾和 48 h 恒定湿热，评估外观与功能。',
    requestedAt: at('2026-11-25 11:00'),
    lines: [
      {
        service: 'sqi-salt-spray',
        parameterZh: '中性盐雾试验',
        standardCode: 'GB/T 10125-2021',
        quantity: 240,
        unit: 'hour',
        sampleCount: 4,
        unitPriceFen: 3000,
        cma: SQI_CMA,
        cnas: SQI_CNAS,
        details: { pieces: 4 },
      },
      {
        service: 'sqi-climate',
        parameterZh: '恒定湿热试验',
        standardCode: 'GB/T 2423.3-2016',
        quantity: 48,
        unit: 'hour',
        sampleCount: 4,
        unitPriceFen: 5000,
        cma: SQI_CMA,
        details: { condition: '40 ℃ / 93 %RH' },
      },
    ],
    quote: {
      at: at('2026-11-26 14:30'),
      by: LAB,
      validUntil: '2026-12-26',
      notes: '盐雾与湿热试验共用样品时需先湿热后盐雾，如需分开请各送 4 件。报价含税，有效期 30 天。',
    },
    messages: [
      {
        at: at('2026-11-26 14:35'),
        email: LAB,
        side: 'lab',
        body: '报价已发出。若需要 72 h 加急，可在确认委托时选择加急档（+30 %）。',
      },
    ],
  },
  {
    key: 'order:hinge-failure-2026-0258',
    number: 'QI2026000258',
    status: 'requested',
    customer: 'enterprise:hengrui',
    lab: 'sqi',
    requestedBy: SME,
    titleZh: '汽车门铰链断裂失效分析',
    requestNotes:
      '路试 3 万公里后左后门下铰链在焊缝附近断裂，需判断断裂性质（疲劳 / 过载）及原因，并给出改进建议。可提供断裂件 2 件、同批次完好件 3 件。',
    requestedAt: at('2026-11-26 09:20'),
    lines: [
      {
        service: 'sqi-failure-analysis',
        parameterZh: '断口分析、金相组织、化学成分',
        standardCode: 'GB/T 13298-2015',
        quantity: 1,
        unit: 'item',
        sampleCount: 5,
        unitPriceFen: null,
        details: { fractured: 2, intact: 3 },
      },
    ],
  },
];

/** Calibration records of sme@'s enterprise's own instruments (two fall due within weeks). */
export const CALIBRATION_RECORDS = [
  {
    key: 'calibration:hengrui:caliper-150',
    customer: 'enterprise:hengrui',
    lab: 'nbmetro' as LabKey,
    instrumentName: '数显卡尺',
    model: '0-150 mm 数显（桂量）',
    serialNumber: 'GL2312-07781',
    measuringRange: '0–150 mm',
    accuracyClass: '分辨力 0.01 mm，MPE ±0.03 mm',
    method: 'calibration' as const,
    calibratedOn: '2025-12-10',
    nextDueOn: '2026-12-10',
  },
  {
    key: 'calibration:hengrui:balance-me204e',
    customer: 'enterprise:hengrui',
    lab: 'nbmetro' as LabKey,
    instrumentName: '电子天平',
    model: 'ME204E',
    serialNumber: 'B145237891',
    measuringRange: '0–220 g',
    accuracyClass: 'Ⅰ级，e = 1 mg',
    method: 'verification' as const,
    calibratedOn: '2026-01-14',
    nextDueOn: '2027-01-13',
  },
  {
    key: 'calibration:hengrui:pressure-gauge',
    customer: 'enterprise:hengrui',
    lab: 'nbmetro' as LabKey,
    instrumentName: '一般压力表',
    model: 'Y-100 0–1.6 MPa',
    serialNumber: 'YB-2205-0316',
    measuringRange: '0–1.6 MPa',
    accuracyClass: '1.6 级',
    method: 'verification' as const,
    calibratedOn: '2026-06-15',
    nextDueOn: '2026-12-14',
  },
];

/** 质量技术帮扶: after a failed provincial spot check, the officer brought in an expert. */
export const ASSISTANCE_REQUESTS = [
  {
    key: 'assistance:hengrui:hinge-corrosion',
    enterprise: 'enterprise:hengrui',
    requestedBy: SME,
    titleZh: '门铰链盐雾试验不合格整改帮扶',
    problemZh:
      '2026 年第三季度省级产品质量监督抽查中，我司一款汽车门铰链 96 h 中性盐雾后出现红锈，判定不合格。怀疑镀锌层厚度不均及钝化工艺问题，希望专家到厂诊断并指导整改。',
    trigger: 'spot_check_failure',
    productZh: '汽车门铰链',
    status: 'in_progress' as const,
    officer: 'officer@demo.qihub.test',
    expert: LAB,
    createdAt: at('2026-10-09 10:30'),
    assignedAt: at('2026-10-10 15:00'),
    visits: [
      {
        key: 'visit:hengrui:hinge-corrosion:1',
        visitedOn: '2026-10-16',
        recordedBy: LAB,
        notesZh:
          '到厂查看电镀线：前处理除油槽温度偏低，滚镀件锌层在铰链孔内侧偏薄（实测 5–6 μm，要求 ≥ 8 μm）；钝化液 pH 未按班次记录。已建议调整除油温度、改用挂镀并建立钝化液日检记录。',
        problemsFound: 3,
        problemsSolved: 1,
        createdAt: at('2026-10-16 17:20'),
      },
    ],
  },
];

/** Events with sessions: World Standards Day briefing and a lab open day at the Suzhou institute. */
export const DEMO_EVENTS = [
  {
    key: 'event:sqi:world-standards-day-2027',
    organiser: 'lab:sqi',
    service: 'sqi-world-standards-day',
    kind: 'standards_day' as const,
    titleZh: '2027 年世界标准日宣贯会',
    titleEn: 'World Standards Day 2027 briefing',
    descriptionZh:
      '围绕世界标准日主题，解读汽车零部件与金属材料领域新发布的国家标准和团体标准，介绍企业标准“领跑者”申报要点，现场答疑。',
    descriptionEn:
      'On the World Standards Day theme: new national and association standards for automotive parts and metallic materials, how to apply as an enterprise-standard "forerunner", and questions from the floor.',
    venueZh: '江苏省苏南产品质量监督检验研究院 吴中总部实验楼 3 楼报告厅',
    regionCode: '320506',
    feeFen: 0,
    createdAt: at('2026-11-02 09:00'),
    sessions: [
      { key: 'am', startsAt: at('2027-10-14 09:00'), endsAt: at('2027-10-14 11:30'), seats: 120 },
      { key: 'pm', startsAt: at('2027-10-14 14:00'), endsAt: at('2027-10-14 16:30'), seats: 80 },
    ],
  },
  {
    key: 'event:sqi:open-day-2026-12',
    organiser: 'lab:sqi',
    service: 'sqi-world-standards-day',
    kind: 'open_day' as const,
    titleZh: '苏南质检院实验室开放日',
    titleEn: 'Open day at the Sunan quality institute laboratories',
    descriptionZh:
      '参观力学、腐蚀与环境可靠性实验室，现场观看盐雾试验箱和万能试验机操作演示，了解委托检测流程、样品要求和报告查验方法。',
    descriptionEn:
      'Visit the mechanical, corrosion and environmental-reliability laboratories, watch the salt-spray chamber and universal testing machine at work, and learn how commissioned testing, sample requirements and report verification work.',
    venueZh: '江苏省苏南产品质量监督检验研究院 吴中总部实验楼 1 楼大厅集合',
    regionCode: '320506',
    feeFen: 0,
    createdAt: at('2026-11-05 10:00'),
    sessions: [
      { key: 'am', startsAt: at('2026-12-18 09:30'), endsAt: at('2026-12-18 11:30'), seats: 30 },
      { key: 'pm', startsAt: at('2026-12-18 14:00'), endsAt: at('2026-12-18 16:00'), seats: 30 },
    ],
  },
];
