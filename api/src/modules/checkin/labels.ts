import QRCode from 'qrcode';
import type { Db } from '@qihub/db';
import { isLabMember, requireActor, type Actor } from '../../lib/actor.ts';
import { conflict, forbidden, notFound } from '../../lib/errors.ts';
import * as repo from './repository.ts';

export interface LabelDeps {
  db: Db;
  /** The web's public origin (PUBLIC_WEB_URL), as in e-mails and calendar links. */
  webUrl: string;
}

/**
 * The page a label's QR code opens: the instrument's check-in page, with the unit's position when
 * the instrument has more than one. Nothing secret goes in: the page asks whoever scans it to sign in.
 */
export function checkinUrl(webUrl: string, instrumentId: string, unitPosition: number | null): string {
  const base = `${webUrl.replace(/\/+$/, '')}/checkin/${instrumentId}`;
  return unitPosition === null ? base : `${base}?unit=${unitPosition}`;
}

/** The QR code as SVG: error correction M (a label survives a scratch), a quiet zone of 2 modules. */
export function checkinQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/**
 * Printable check-in labels of a lab's instruments in service (or of one of them): one per
 * instrument, or one per active unit when it has several. For the lab's members only; retired
 * instruments take no bookings, so they get no label.
 */
export async function checkinLabels(deps: LabelDeps, actor: Actor | null, labId: string, instrumentId?: string) {
  const a = requireActor(actor);
  if (!isLabMember(a, labId)) throw forbidden('Only members of this lab print its labels.');
  if (instrumentId) {
    const found = await repo.instrumentLab(deps.db, instrumentId);
    if (!found || found.labId !== labId) throw notFound('instrument');
    if (found.status === 'retired') throw conflict('instrument_retired', 'A retired instrument takes no bookings.');
  }
  const list = await repo.labInstrumentsForLabels(deps.db, labId, instrumentId);
  const units = await repo.activeUnits(
    deps.db,
    list.map((i) => i.id),
  );
  const items = [];
  for (const i of list) {
    const own = units.filter((u) => u.instrumentId === i.id);
    const each = own.length > 1 ? own : [null];
    for (const u of each) {
      const url = checkinUrl(deps.webUrl, i.id, u?.position ?? null);
      items.push({
        instrumentId: i.id,
        nameZh: i.nameZh,
        nameEn: i.nameEn,
        model: i.model,
        manufacturer: i.manufacturer,
        status: i.status,
        unit: u ? { position: u.position, label: u.label } : null,
        url,
        qrSvg: await checkinQrSvg(url),
      });
    }
  }
  return { items };
}
