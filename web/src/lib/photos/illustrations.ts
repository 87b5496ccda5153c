/**
 * Line drawings of the instrument categories (the reference data's `instrument_categories`), shown
 * on a card or an instrument page that has no photo. Each is a few strokes on a 120 × 80 canvas,
 * drawn in the page's brand colour; an unknown category gets a generic bench instrument.
 */
export type Shape =
  | { kind: 'rect'; x: number; y: number; w: number; h: number; r: number }
  | { kind: 'circle'; cx: number; cy: number; r: number }
  | { kind: 'path'; d: string };

const R = (x: number, y: number, w: number, h: number, r = 2): Shape => ({ kind: 'rect', x, y, w, h, r });
const C = (cx: number, cy: number, r: number): Shape => ({ kind: 'circle', cx, cy, r });
const P = (d: string): Shape => ({ kind: 'path', d });

/** The bench every instrument stands on. */
const BENCH = P('M6 64h108');

const DRAWINGS: Record<string, Shape[]> = {
  sem: [
    R(50, 8, 12, 30),
    P('M44 38h24'),
    R(36, 38, 40, 24, 3),
    C(56, 50, 5),
    R(82, 26, 26, 18),
    P('M95 44v10M88 54h14'),
  ],
  tem: [
    R(52, 6, 12, 42),
    P('M48 18h20M48 30h20'),
    R(40, 48, 36, 14, 3),
    P('M70 40l10-6'),
    R(84, 30, 22, 16),
    P('M95 46v8M89 54h12'),
  ],
  xrd: [C(60, 40, 17), P('M60 40L38 26M60 40L82 26'), R(28, 20, 12, 8), R(80, 20, 12, 8), R(50, 57, 20, 5, 1)],
  xrf: [P('M24 62V36l12-10h48l12 10v26z'), R(44, 40, 32, 10), C(86, 48, 3)],
  gc_ms: [
    R(12, 26, 42, 36, 3),
    R(18, 32, 30, 22),
    P('M26 26v-8M34 26v-6'),
    P('M54 44h6'),
    R(60, 34, 48, 28, 3),
    C(96, 44, 3),
  ],
  lc_ms: [
    R(12, 20, 32, 10),
    R(12, 32, 32, 10),
    R(12, 44, 32, 18),
    P('M20 20v-7h6v7M32 20v-7h6v7'),
    P('M44 50h10'),
    R(54, 30, 54, 32, 3),
  ],
  hplc: [
    R(36, 12, 48, 11),
    R(36, 25, 48, 11),
    R(36, 38, 48, 11),
    R(36, 51, 48, 11),
    P('M42 12V6h6v6M54 12V6h6v6'),
    C(76, 30, 2),
    C(76, 43, 2),
  ],
  icp_ms: [R(10, 28, 100, 34, 3), R(18, 34, 22, 22), P('M29 52c-5-6 0-10 0-14c0 4 5 8 0 14'), P('M40 45h62')],
  icp_oes: [
    R(12, 24, 50, 38, 3),
    R(20, 32, 20, 22),
    P('M30 50c-5-6 0-10 0-14c0 4 5 8 0 14'),
    R(62, 34, 46, 28, 3),
    P('M70 48h30'),
  ],
  aas: [
    R(10, 34, 100, 28, 3),
    C(26, 48, 7),
    C(26, 48, 2),
    P('M60 34v-6h12v6'),
    P('M66 28c-5-6 0-10 0-16c0 6 5 10 0 16'),
  ],
  ftir: [R(14, 28, 92, 34, 3), R(46, 33, 28, 24), P('M20 45h26M74 45h26'), C(100, 36, 2)],
  raman: [P('M36 62h32M52 62V18h16'), P('M68 24v12'), P('M44 42h32'), R(78, 12, 28, 12), P('M78 18H68')],
  uv_vis: [R(16, 32, 88, 30, 3), R(28, 24, 40, 8), R(74, 38, 20, 10, 1), R(44, 12, 6, 12, 1)],
  nmr: [
    P('M38 20a22 6 0 0 0 44 0a22 6 0 0 0-44 0M38 20v36a22 6 0 0 0 44 0V20'),
    P('M60 14V6M56 6h8'),
    P('M44 61v3M76 61v3'),
  ],
  dsc_tga: [R(26, 32, 68, 30, 3), R(46, 10, 28, 22, 3), P('M52 18h16'), R(34, 40, 24, 10, 1), C(80, 46, 4)],
  particle_size: [R(10, 32, 70, 30, 3), P('M16 46h58'), R(84, 24, 24, 38, 3), P('M80 50h4'), C(96, 36, 4)],
  rheometer: [P('M32 62h56M40 62V12h40v10'), R(52, 22, 18, 12), P('M61 34v10'), P('M50 44h22M48 50h26')],
  bet: [
    R(12, 18, 62, 44, 3),
    P('M30 40v12M44 40v12M58 40v12'),
    R(24, 24, 40, 10, 1),
    P('M82 40h22v22H82z'),
    P('M90 40V30h6v10'),
  ],
  metallographic: [P('M30 62h60M40 62V40h40v22'), P('M48 40l-8-14M56 40l-6-14'), P('M36 34h48'), C(60, 50, 4)],
  ct: [
    R(12, 12, 96, 50, 3),
    R(22, 20, 46, 34),
    P('M38 46h16M46 46V30'),
    C(46, 28, 3),
    R(76, 22, 24, 12, 1),
    C(88, 46, 4),
  ],
  cmm: [R(8, 48, 104, 12, 1), P('M22 48V16h76v32'), R(54, 16, 12, 8, 1), P('M60 24v16'), C(60, 42, 2)],
  laser_tracker: [P('M60 38L42 62M60 38L78 62M60 38v24'), R(48, 14, 24, 24, 5), C(60, 26, 6), C(60, 26, 2)],
  universal_testing: [
    P('M30 56V10M90 56V10'),
    R(26, 6, 68, 8),
    R(30, 30, 60, 6, 1),
    R(55, 36, 10, 6, 1),
    P('M60 42v6'),
    R(55, 48, 10, 6, 1),
    R(20, 56, 80, 6),
  ],
  hardness: [P('M34 62h48M40 62V12h38v14'), P('M70 26v10l-3 0l3 5l3-5h-3'), R(62, 50, 16, 4, 1), R(84, 16, 20, 14)],
  impact: [P('M30 62V14h60v48'), C(60, 18, 3), P('M60 21L80 46'), R(74, 44, 14, 10), P('M22 62h76')],
  fatigue: [
    P('M34 58V12M86 58V12'),
    R(30, 8, 60, 8),
    R(34, 24, 52, 5, 1),
    P('M60 29v15'),
    R(50, 44, 20, 14),
    R(26, 58, 68, 5, 1),
  ],
  salt_spray: [
    P('M12 62V34h96v28z'),
    P('M12 34l12-14h72l12 14'),
    P('M40 27h40'),
    C(38, 46, 2),
    C(52, 52, 2),
    C(66, 46, 2),
    C(80, 52, 2),
  ],
  climate_chamber: [R(30, 8, 60, 54, 3), R(38, 16, 32, 30), R(74, 16, 10, 14, 1), P('M79 36v16'), C(79, 54, 2)],
  emc_chamber: [
    P('M8 62V14h104v48'),
    P('M8 22l6-8l6 8l6-8l6 8l6-8l6 8l6-8l6 8l6-8l6 8l6-8l6 8l6-8l6 8l6-8l6 8l6-8'),
    P('M34 62V40M27 35l7 5l7-5'),
    P('M64 58h32'),
  ],
  spectrum_analyzer: [
    R(12, 20, 96, 42, 3),
    R(18, 26, 50, 30),
    P('M20 50h8l3-16l3 16h10l2-8l2 8h14'),
    C(86, 34, 5),
    C(80, 50, 3),
    C(94, 50, 3),
  ],
  emc_immunity: [
    R(10, 34, 42, 28, 3),
    R(16, 40, 22, 12, 1),
    C(45, 46, 3),
    P('M86 62V30M74 30h24M77 24h18M80 18h12'),
    P('M52 50c12 0 16 8 34 8'),
  ],
  force_standard: [P('M36 62V8h48v54'), P('M60 8v26'), R(46, 34, 28, 6, 1), R(44, 42, 32, 6, 1), R(42, 50, 36, 6, 1)],
  pressure_calibration: [
    C(80, 28, 15),
    P('M80 28l8-8'),
    P('M80 43v11'),
    R(20, 54, 80, 8),
    P('M32 54V34h12v20'),
    R(28, 26, 20, 7, 1),
  ],
  temperature_calibration: [
    R(16, 30, 52, 32, 3),
    C(30, 38, 3),
    C(42, 38, 3),
    C(54, 38, 3),
    P('M30 35V10M42 35V14'),
    R(78, 34, 28, 28, 3),
    R(83, 39, 18, 8, 1),
    P('M30 10c12-6 44 0 62 24'),
  ],
};

const GENERIC: Shape[] = [R(20, 28, 80, 34, 3), R(28, 34, 36, 20), C(82, 42, 5), C(82, 56, 2)];

/** The drawing of a category (with its bench), or the generic one. */
export function illustrationOf(categoryCode: string): Shape[] {
  return [...(DRAWINGS[categoryCode] ?? GENERIC), BENCH];
}

/** The categories that have their own drawing (a test keeps this in step with the reference data). */
export const ILLUSTRATED_CATEGORIES = Object.keys(DRAWINGS);
