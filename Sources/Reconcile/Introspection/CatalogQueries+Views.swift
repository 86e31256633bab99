extension CatalogQueries {
    /// Views and materialized views: those in the schemas named by $1 (text[]; NULL: every user schema), and,
    /// `managed` false, every other view that reads one of their tables or views, at any depth (a view in
    /// another schema on a managed table), which a column type change must drop and re-create. Or, when
    /// `scratch`, this session's temporary views named by $1 (the canonicalisation copies). None that an
    /// extension brings. Each with the server's text (`pg_get_viewdef`), its columns, options, comment, what it
    /// reads (`pg_depend` of its rewrite rule: relation and columns), the functions and types it uses and, for a
    /// materialized view, its indexes. Views elsewhere that use a function or type of the schemas come too.
    static func views(scratch: Bool) -> String {
        let filter =
            scratch
            ? "c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname = ANY ($1::text[])"
            : "c.relkind IN ('r', 'p', 'v', 'm') AND \(schemaFilter)"
        return """
            WITH RECURSIVE managed AS (
                SELECT c.oid FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE \(filter)
            ), reading(oid) AS (
                SELECT oid FROM managed
                UNION
                -- A view anywhere whose rewrite rule uses a function or type of the schemas: making that again
                -- must drop the view first.
                SELECT r.ev_class FROM pg_catalog.pg_depend d
                JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
                WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND \(scratch ? "false" : "true")
                  AND (d.refclassid = 'pg_catalog.pg_proc'::regclass
                       AND d.refobjid IN (SELECT p.oid FROM pg_catalog.pg_proc p
                                          JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                                          WHERE \(schemaFilter))
                       OR d.refclassid = 'pg_catalog.pg_type'::regclass
                       AND d.refobjid IN (SELECT t.oid FROM pg_catalog.pg_type t
                                          JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                                          WHERE t.typtype IN ('d', 'c') AND \(schemaFilter)))
                UNION
                -- A view reads a relation when its rewrite rule depends on it.
                SELECT r.ev_class FROM reading
                JOIN pg_catalog.pg_depend d ON d.refclassid = 'pg_catalog.pg_class'::regclass AND d.refobjid = reading.oid
                                           AND d.classid = 'pg_catalog.pg_rewrite'::regclass
                JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
                WHERE r.ev_class <> reading.oid AND \(scratch ? "false" : "true")
            )
            SELECT n.nspname, c.relname, c.relkind, c.oid IN (SELECT oid FROM managed) AS managed,
                   pg_catalog.pg_get_viewdef(c.oid) AS definition,
                   pg_catalog.array_to_json(c.reloptions)::text AS options,
                   c.relispopulated AS populated,
                   d.description AS comment,
                   (SELECT pg_catalog.json_object_agg(a.attname, cd.description)::text
                    FROM pg_catalog.pg_description cd
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = cd.objsubid
                    WHERE cd.objoid = c.oid AND cd.classoid = 'pg_catalog.pg_class'::regclass
                      AND cd.objsubid > 0) AS column_comments,
                   (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(a.attname,
                                               pg_catalog.format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)::text
                    FROM pg_catalog.pg_attribute a
                    WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS columns,
                   -- What it reads: [schema, relation, [columns]], the columns empty when the whole relation.
                   (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(used.nspname, used.relname, used.columns)
                                               ORDER BY used.nspname, used.relname)::text
                    FROM (SELECT rn.nspname, rc.relname,
                                 coalesce(pg_catalog.json_agg(DISTINCT ra.attname)
                                          FILTER (WHERE ra.attname IS NOT NULL), '[]') AS columns
                          FROM pg_catalog.pg_rewrite rw
                          JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_rewrite'::regclass
                                                       AND dep.objid = rw.oid
                                                       AND dep.refclassid = 'pg_catalog.pg_class'::regclass
                          JOIN pg_catalog.pg_class rc ON rc.oid = dep.refobjid
                          JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
                          LEFT JOIN pg_catalog.pg_attribute ra ON ra.attrelid = rc.oid AND ra.attnum = dep.refobjsubid
                                                              AND dep.refobjsubid > 0
                          WHERE rw.ev_class = c.oid AND rc.oid <> c.oid
                          GROUP BY rn.nspname, rc.relname) used) AS dependencies,
                   -- The functions it calls ['f', schema, name, argument types] and the domains and composite
                   -- types its rule or its columns use ['t', schema, name, ''], outside the system schemas.
                   (SELECT pg_catalog.json_agg(used.item ORDER BY used.item::text)::text
                    FROM (SELECT pg_catalog.jsonb_build_array('f', pn.nspname, p.proname,
                                                              pg_catalog.oidvectortypes(p.proargtypes)) AS item
                          FROM pg_catalog.pg_rewrite rw
                          JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_rewrite'::regclass
                                                       AND dep.objid = rw.oid
                                                       AND dep.refclassid = 'pg_catalog.pg_proc'::regclass
                          JOIN pg_catalog.pg_proc p ON p.oid = dep.refobjid
                          JOIN pg_catalog.pg_namespace pn ON pn.oid = p.pronamespace
                          WHERE rw.ev_class = c.oid AND pn.nspname !~ '^pg_' AND pn.nspname <> 'information_schema'
                          UNION
                          SELECT pg_catalog.jsonb_build_array('t', tn.nspname, t.typname, '')
                          FROM pg_catalog.pg_type t
                          JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
                          WHERE t.typtype IN ('d', 'c') AND tn.nspname !~ '^pg_'
                            AND tn.nspname <> 'information_schema'
                            AND (t.oid IN (SELECT dep.refobjid FROM pg_catalog.pg_rewrite rw
                                           JOIN pg_catalog.pg_depend dep
                                                ON dep.classid = 'pg_catalog.pg_rewrite'::regclass
                                               AND dep.objid = rw.oid
                                               AND dep.refclassid = 'pg_catalog.pg_type'::regclass
                                           WHERE rw.ev_class = c.oid)
                                 OR t.oid IN (SELECT a.atttypid FROM pg_catalog.pg_attribute a
                                              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped))
                         ) used) AS uses,
                   -- A materialized view's indexes: [name, unique, method, pg_get_indexdef].
                   (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(ic.relname, i.indisunique, am.amname,
                                               pg_catalog.pg_get_indexdef(i.indexrelid)) ORDER BY ic.relname)::text
                    FROM pg_catalog.pg_index i
                    JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
                    JOIN pg_catalog.pg_am am ON am.oid = ic.relam
                    WHERE i.indrelid = c.oid) AS indexes,
                   -- What dropping the view takes along that the file does not declare: its triggers, rules and
                   -- column defaults, grants and owner, as statements that make them again (see View.restoring).
                   (SELECT pg_catalog.json_agg(statement ORDER BY position, statement)::text FROM (
                        SELECT 1 AS position, pg_catalog.pg_get_triggerdef(t.oid) AS statement
                        FROM pg_catalog.pg_trigger t WHERE t.tgrelid = c.oid AND NOT t.tgisinternal
                        UNION ALL
                        SELECT 2, pg_catalog.pg_get_ruledef(r.oid)
                        FROM pg_catalog.pg_rewrite r WHERE r.ev_class = c.oid AND r.rulename <> '_RETURN'
                        UNION ALL
                        SELECT 2, pg_catalog.format('ALTER VIEW %I.%I ALTER COLUMN %I SET DEFAULT %s', n.nspname,
                                                    c.relname, a.attname, pg_catalog.pg_get_expr(ad.adbin, ad.adrelid))
                        FROM pg_catalog.pg_attrdef ad
                        JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
                        WHERE ad.adrelid = c.oid
                        UNION ALL
                        -- A grant on the view, or (attname set) on one of its columns.
                        SELECT 3, pg_catalog.format('GRANT %s%s ON %I.%I TO %s%s', acl.privilege_type,
                                                    coalesce(' (' || pg_catalog.quote_ident(granted.attname) || ')', ''),
                                                    n.nspname, c.relname,
                                                    CASE WHEN acl.grantee = 0 THEN 'PUBLIC'
                                                         ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(acl.grantee))
                                                    END,
                                                    CASE WHEN acl.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
                        FROM (SELECT NULL::name AS attname, c.relacl AS acl
                              UNION ALL
                              SELECT a.attname, a.attacl FROM pg_catalog.pg_attribute a
                              WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                                AND a.attacl IS NOT NULL) granted,
                             pg_catalog.aclexplode(granted.acl) acl
                        WHERE acl.grantee <> c.relowner
                        UNION ALL
                        SELECT 4, pg_catalog.format('ALTER %s %I.%I OWNER TO %I',
                                                    CASE c.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END,
                                                    n.nspname, c.relname, pg_catalog.pg_get_userbyid(c.relowner))
                        WHERE c.relowner <> (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)
                    ) restoring) AS restoring
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_description d
                   ON d.objoid = c.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
            WHERE c.relkind IN ('v', 'm') AND c.oid IN (SELECT oid FROM reading)
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                              WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = c.oid
                                AND dep.deptype = 'e')
            ORDER BY n.nspname, c.relname
            """
    }

    /// This session's temporary indexes named by $1 (text[]), with `pg_get_indexdef`: a materialized view's
    /// declared indexes as the server spells them, made on a scratch table with the view's columns.
    static let scratchIndexes = """
        SELECT ic.relname, am.amname AS method, pg_catalog.pg_get_indexdef(i.indexrelid) AS definition
        FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_catalog.pg_am am ON am.oid = ic.relam
        WHERE ic.relnamespace = pg_catalog.pg_my_temp_schema() AND ic.relname = ANY ($1::text[])
        """
}
