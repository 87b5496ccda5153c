import type { CategorySeed, RegionSeed } from './types.ts';

/**
 * GB/T 2260 administrative divisions for the cities the demo uses. Provinces and municipalities are
 * level 'province', prefecture-level cities (and Shanghai's 市辖区 310100) 'city', districts 'station'.
 * Parents come before children so the rows can be inserted in order.
 */
export const REGIONS: RegionSeed[] = [
  { code: '310000', nameZh: '上海市', nameEn: 'Shanghai', level: 'province', parentCode: null },
  { code: '320000', nameZh: '江苏省', nameEn: 'Jiangsu Province', level: 'province', parentCode: null },
  { code: '330000', nameZh: '浙江省', nameEn: 'Zhejiang Province', level: 'province', parentCode: null },
  { code: '440000', nameZh: '广东省', nameEn: 'Guangdong Province', level: 'province', parentCode: null },

  { code: '310100', nameZh: '上海市', nameEn: 'Shanghai (city districts)', level: 'city', parentCode: '310000' },
  { code: '320100', nameZh: '南京市', nameEn: 'Nanjing', level: 'city', parentCode: '320000' },
  { code: '320200', nameZh: '无锡市', nameEn: 'Wuxi', level: 'city', parentCode: '320000' },
  { code: '320500', nameZh: '苏州市', nameEn: 'Suzhou', level: 'city', parentCode: '320000' },
  { code: '330100', nameZh: '杭州市', nameEn: 'Hangzhou', level: 'city', parentCode: '330000' },
  { code: '330200', nameZh: '宁波市', nameEn: 'Ningbo', level: 'city', parentCode: '330000' },
  { code: '440100', nameZh: '广州市', nameEn: 'Guangzhou', level: 'city', parentCode: '440000' },
  { code: '440300', nameZh: '深圳市', nameEn: 'Shenzhen', level: 'city', parentCode: '440000' },

  { code: '310104', nameZh: '徐汇区', nameEn: 'Xuhui District', level: 'station', parentCode: '310100' },
  { code: '310112', nameZh: '闵行区', nameEn: 'Minhang District', level: 'station', parentCode: '310100' },
  { code: '310115', nameZh: '浦东新区', nameEn: 'Pudong New Area', level: 'station', parentCode: '310100' },
  { code: '320102', nameZh: '玄武区', nameEn: 'Xuanwu District', level: 'station', parentCode: '320100' },
  { code: '320113', nameZh: '栖霞区', nameEn: 'Qixia District', level: 'station', parentCode: '320100' },
  { code: '320115', nameZh: '江宁区', nameEn: 'Jiangning District', level: 'station', parentCode: '320100' },
  { code: '320211', nameZh: '滨湖区', nameEn: 'Binhu District', level: 'station', parentCode: '320200' },
  { code: '320214', nameZh: '新吴区', nameEn: 'Xinwu District', level: 'station', parentCode: '320200' },
  { code: '320505', nameZh: '虎丘区', nameEn: 'Huqiu District', level: 'station', parentCode: '320500' },
  { code: '320506', nameZh: '吴中区', nameEn: 'Wuzhong District', level: 'station', parentCode: '320500' },
  { code: '320507', nameZh: '相城区', nameEn: 'Xiangcheng District', level: 'station', parentCode: '320500' },
  { code: '320508', nameZh: '姑苏区', nameEn: 'Gusu District', level: 'station', parentCode: '320500' },
  { code: '320509', nameZh: '吴江区', nameEn: 'Wujiang District', level: 'station', parentCode: '320500' },
  { code: '330106', nameZh: '西湖区', nameEn: 'Xihu District', level: 'station', parentCode: '330100' },
  { code: '330108', nameZh: '滨江区', nameEn: 'Binjiang District', level: 'station', parentCode: '330100' },
  { code: '330206', nameZh: '北仑区', nameEn: 'Beilun District', level: 'station', parentCode: '330200' },
  { code: '330212', nameZh: '鄞州区', nameEn: 'Yinzhou District', level: 'station', parentCode: '330200' },
  { code: '440106', nameZh: '天河区', nameEn: 'Tianhe District', level: 'station', parentCode: '440100' },
  { code: '440112', nameZh: '黄埔区', nameEn: 'Huangpu District', level: 'station', parentCode: '440100' },
  { code: '440305', nameZh: '南山区', nameEn: 'Nanshan District', level: 'station', parentCode: '440300' },
  { code: '440306', nameZh: '宝安区', nameEn: "Bao'an District", level: 'station', parentCode: '440300' },
];

/**
 * Instrument categories. Aliases feed catalogue search: abbreviations, colloquial names and the other
 * language. Keep "扫描电镜" and "SEM" on the SEM category only (search tests rely on it), and keep
 * "semi-…" out of other categories so that "SEM" does not match e.g. EMC chambers. Sort order = index.
 */
export const INSTRUMENT_CATEGORIES: CategorySeed[] = [
  { code: 'sem', nameZh: '扫描电子显微镜', nameEn: 'Scanning electron microscope', aliases: ['扫描电镜', 'SEM', '电镜', '场发射扫描电镜', 'FE-SEM', '钨灯丝电镜', 'EDS', '能谱'] },
  { code: 'tem', nameZh: '透射电子显微镜', nameEn: 'Transmission electron microscope', aliases: ['透射电镜', 'TEM', 'HRTEM', 'STEM', '高分辨透射', '球差电镜'] },
  { code: 'xrd', nameZh: 'X射线衍射仪', nameEn: 'X-ray diffractometer', aliases: ['XRD', 'X射线衍射', '衍射仪', '粉末衍射', 'X-ray diffraction', '物相分析'] },
  { code: 'xrf', nameZh: 'X射线荧光光谱仪', nameEn: 'X-ray fluorescence spectrometer', aliases: ['XRF', 'X荧光', '荧光光谱仪', 'EDXRF', 'WDXRF', 'RoHS筛选'] },
  { code: 'gc_ms', nameZh: '气相色谱-质谱联用仪', nameEn: 'Gas chromatograph–mass spectrometer', aliases: ['GC-MS', 'GCMS', 'GC/MS', '气质联用', '气质', '气相色谱质谱'] },
  { code: 'lc_ms', nameZh: '液相色谱-质谱联用仪', nameEn: 'Liquid chromatograph–mass spectrometer', aliases: ['LC-MS', 'LC-MS/MS', 'LCMS', '液质联用', '液质', '三重四极杆'] },
  { code: 'hplc', nameZh: '高效液相色谱仪', nameEn: 'High-performance liquid chromatograph', aliases: ['HPLC', 'UPLC', '液相色谱', '液相', '超高效液相'] },
  { code: 'icp_ms', nameZh: '电感耦合等离子体质谱仪', nameEn: 'Inductively coupled plasma mass spectrometer', aliases: ['ICP-MS', 'ICPMS', '等离子体质谱', '痕量元素'] },
  { code: 'icp_oes', nameZh: '电感耦合等离子体发射光谱仪', nameEn: 'ICP optical emission spectrometer', aliases: ['ICP-OES', 'ICP-AES', 'ICP光谱', '等离子体发射光谱', '全谱直读'] },
  { code: 'aas', nameZh: '原子吸收光谱仪', nameEn: 'Atomic absorption spectrometer', aliases: ['AAS', '原子吸收', '原吸', '石墨炉', '火焰原子吸收'] },
  { code: 'ftir', nameZh: '傅里叶变换红外光谱仪', nameEn: 'Fourier-transform infrared spectrometer', aliases: ['FTIR', 'FT-IR', '红外光谱', '红外', '傅里叶红外', 'infrared', 'ATR'] },
  { code: 'raman', nameZh: '激光拉曼光谱仪', nameEn: 'Raman spectrometer', aliases: ['Raman', '拉曼', '显微拉曼', '共聚焦拉曼'] },
  { code: 'uv_vis', nameZh: '紫外-可见分光光度计', nameEn: 'UV-Vis spectrophotometer', aliases: ['UV-Vis', 'UV', '紫外', '紫外可见', '分光光度计', '紫外分光'] },
  { code: 'nmr', nameZh: '核磁共振波谱仪', nameEn: 'Nuclear magnetic resonance spectrometer', aliases: ['NMR', '核磁', '核磁共振', '液体核磁', '400M核磁'] },
  { code: 'dsc_tga', nameZh: '热分析仪', nameEn: 'Thermal analyser (DSC / TGA)', aliases: ['热分析', 'DSC', 'TGA', 'TG', 'STA', '差示扫描量热仪', '热重', '热重分析仪', '同步热分析'] },
  { code: 'particle_size', nameZh: '激光粒度分析仪', nameEn: 'Laser particle size analyser', aliases: ['粒度仪', '激光粒度仪', '粒度', '粒径分布', 'particle size', 'PSD'] },
  { code: 'rheometer', nameZh: '流变仪', nameEn: 'Rheometer', aliases: ['旋转流变仪', '流变', '黏度', '粘度', 'rheology', 'viscosity'] },
  { code: 'bet', nameZh: '比表面及孔径分析仪', nameEn: 'Surface area and porosity analyser', aliases: ['BET', '比表面', '比表面积', '孔径分布', '物理吸附'] },
  { code: 'metallographic', nameZh: '金相显微镜', nameEn: 'Metallographic microscope', aliases: ['金相', '金相分析', '光学显微镜', '显微组织', 'optical microscope'] },
  { code: 'ct', nameZh: '工业CT', nameEn: 'Industrial computed tomography', aliases: ['工业CT', 'CT', 'X射线CT', 'micro-CT', '无损检测', 'NDT', '三维成像'] },
  { code: 'cmm', nameZh: '三坐标测量机', nameEn: 'Coordinate measuring machine', aliases: ['三坐标', 'CMM', '坐标测量机', '三次元', '几何量测量'] },
  { code: 'laser_tracker', nameZh: '激光跟踪仪', nameEn: 'Laser tracker', aliases: ['激光跟踪仪', '激光跟踪测量系统', '大尺寸测量', 'laser tracker'] },
  { code: 'universal_testing', nameZh: '万能材料试验机', nameEn: 'Universal testing machine', aliases: ['万能试验机', '拉力机', '拉力试验机', '拉伸试验机', '材料试验机', 'UTM', 'tensile', '拉伸', '压缩', '弯曲'] },
  { code: 'hardness', nameZh: '硬度计', nameEn: 'Hardness tester', aliases: ['硬度', '洛氏硬度计', '布氏硬度计', '维氏硬度计', '显微硬度计', 'Rockwell', 'Vickers', 'Brinell'] },
  { code: 'impact', nameZh: '冲击试验机', nameEn: 'Impact testing machine', aliases: ['冲击', '摆锤冲击试验机', '夏比冲击', 'Charpy', 'Izod', '落锤'] },
  { code: 'fatigue', nameZh: '疲劳试验机', nameEn: 'Fatigue testing system', aliases: ['疲劳', '电液伺服疲劳试验机', '动态试验机', '高频疲劳', 'fatigue', 'S-N曲线'] },
  { code: 'salt_spray', nameZh: '盐雾试验箱', nameEn: 'Salt spray chamber', aliases: ['盐雾箱', '盐雾', '盐雾试验', '腐蚀试验箱', '循环腐蚀', 'salt spray', 'salt fog', 'NSS', 'CASS'] },
  { code: 'climate_chamber', nameZh: '高低温湿热试验箱', nameEn: 'Climatic test chamber', aliases: ['高低温箱', '高低温试验箱', '湿热箱', '恒温恒湿箱', '环境试验箱', '温湿度试验箱', '冷热冲击', '快速温变', 'climate chamber', 'environmental chamber'] },
  { code: 'emc_chamber', nameZh: '电磁兼容暗室', nameEn: 'EMC anechoic chamber', aliases: ['电波暗室', '半电波暗室', 'EMC暗室', 'EMC', '电磁兼容', '3米法暗室', '10米法暗室', '辐射发射', 'anechoic chamber'] },
  { code: 'spectrum_analyzer', nameZh: '频谱分析仪与EMI接收机', nameEn: 'Spectrum analyser and EMI receiver', aliases: ['频谱仪', '频谱分析仪', 'EMI接收机', '测量接收机', '信号分析仪', 'spectrum analyzer', 'EMI receiver'] },
  { code: 'emc_immunity', nameZh: '电磁抗扰度试验系统', nameEn: 'EMC immunity test system', aliases: ['抗扰度', '静电放电', 'ESD', '浪涌', 'Surge', '电快速瞬变', 'EFT', '群脉冲', 'immunity'] },
  { code: 'force_standard', nameZh: '力标准机', nameEn: 'Force standard machine', aliases: ['力标准机', '标准测力仪', '测力仪', '力值', 'force calibration'] },
  { code: 'pressure_calibration', nameZh: '压力校准装置', nameEn: 'Pressure calibration system', aliases: ['活塞式压力计', '压力校准', '压力控制器', '压力表检定', 'pressure calibrator', 'deadweight tester'] },
  { code: 'temperature_calibration', nameZh: '温度校准装置', nameEn: 'Temperature calibration system', aliases: ['温度校准', '干体炉', '恒温槽', '标准铂电阻', '热电偶检定', '测温仪表'] },
];
