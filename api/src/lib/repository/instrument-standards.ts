import { sql, type SQL } from 'drizzle-orm';

/** The text `x` without spaces, upper case: how standard codes are compared (see standard-number.ts). */
const compact = (x: SQL) => sql`upper(regexp_replace(${x}, '[[:space:]]', '', 'g'))`;

/**
 * The instrument `i` is used for the standard whose code matches `pattern`: its own record names the
 * standard (name, model, techniques, description, specs); or an active service run on it names it; or
 * its lab holds a certificate valid on `today` whose scope lists the standard for a test of the
 * instrument's kind (the scope line's parameter names the instrument's category or one of its aliases,
 * as 中性盐雾试验 names 盐雾) — a lab's salt-spray scope does not make its SEM a salt-spray instrument.
 */
export function instrumentStandardMatch(pattern: string, today: string): SQL {
  const own = compact(
    sql`concat_ws('|', i.name_zh, i.name_en, i.model, array_to_string(i.techniques, '|'), i.description_zh,
      i.description_en, i.specs::text)`,
  );
  return sql`(${own} ~ ${pattern}
    OR EXISTS (SELECT 1 FROM service_instruments svi JOIN services sv ON sv.id = svi.service_id
      WHERE svi.instrument_id = i.id AND sv.status = 'active'
        AND ${compact(sql`array_to_string(sv.standard_methods, '|')`)} ~ ${pattern})
    OR EXISTS (SELECT 1 FROM lab_qualification_scope_items si
      JOIN lab_qualifications lq ON lq.id = si.qualification_id
      JOIN instrument_categories ic ON ic.code = i.category_code
      WHERE lq.lab_id = i.lab_id AND lq.issued_on <= ${today}::date AND lq.valid_until >= ${today}::date
        AND (lq.withdrawn_on IS NULL OR lq.withdrawn_on > ${today}::date)
        AND ${compact(sql`si.standard_code`)} ~ ${pattern}
        AND EXISTS (SELECT 1 FROM unnest(ic.aliases || ic.name_zh || ic.name_en) AS alias(name)
          WHERE length(alias.name) >= 2
            AND strpos(lower(concat_ws('|', si.parameter_zh, si.parameter_en, si.product_zh)), lower(alias.name)) > 0)))`;
}
