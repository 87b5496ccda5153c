import { at } from './dates.ts';
import { LAB, SME } from './orders.ts';
import type { LabKey } from './types.ts';

/**
 * Demo data of the quality services around the orders: sme@'s enterprise's service officer, the
 * calibration records of its own instruments, a technical-assistance request and the events.
 */

/** Each enterprise's named service officer (质量管家): the Wuzhong station looks after sme@'s enterprise. */
export const ENTERPRISE_OFFICERS: { enterprise: string; platform: string; email: string; since: Date }[] = [
  {
    enterprise: 'enterprise:hengrui',
    platform: 'platform:wz',
    email: 'officer@demo.qihub.test',
    since: at('2026-03-02 09:30'),
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
