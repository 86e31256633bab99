/// The catalog queries of domains, composite types, row-level security and policies, and the listing of what
/// reconcile does not model. Each is one round trip, whatever the number of objects.
extension CatalogQueries {
    /// The types to read: those of the schemas named by $1 (text[], NULL: every user schema), or this
    /// session's temporary types named by $1 (the canonicalisation scratch copies).
    static func typeFilter(_ scope: Scope) -> String {
        switch scope {
        case .schemas: return schemaFilter
        case .temporaryTables: return "t.typnamespace = pg_catalog.pg_my_temp_schema() AND t.typname = ANY ($1::text[])"
        }
    }

    /// Domains (`kind` 'd') and composite types ('c', not the row types of tables) with everything the model
    /// holds: base type, default (deparsed), NOT NULL, a collation other than the base type's, checks as
    /// [name, definition, validated], attributes as [name, type, collation], the comment, and what uses the
    /// type (columns of tables, attributes of composite types, domains over it, arrays of it included) as
    /// [kind, schema, relation, column, 'array' or null]. Types an extension brings are the extension's.
    static func userTypes(_ scope: Scope) -> String {
        """
        WITH types AS (
            SELECT t.oid, t.typarray, t.typtype, t.typrelid, t.typbasetype, t.typtypmod, t.typdefaultbin,
                   t.typnotnull, t.typcollation, n.nspname, t.typname
            FROM pg_catalog.pg_type t
            JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            LEFT JOIN pg_catalog.pg_class rc ON rc.oid = t.typrelid
            WHERE (t.typtype = 'd' OR t.typtype = 'c' AND rc.relkind = 'c') AND \(typeFilter(scope))
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                              WHERE dep.classid = 'pg_catalog.pg_type'::regclass AND dep.objid = t.oid
                                AND dep.deptype = 'e')
        ), users AS (
            -- A hash join over pg_attribute once, not a scan per type.
            SELECT types.oid AS type_oid,
                   CASE rel.relkind WHEN 'c' THEN 'attribute' ELSE 'column' END AS kind,
                   rn.nspname, rel.relname, a.attname::text AS attname,
                   CASE WHEN a.atttypid = types.typarray THEN 'array' END AS is_array
            FROM types
            JOIN pg_catalog.pg_attribute a ON a.atttypid IN (types.oid, types.typarray)
            JOIN pg_catalog.pg_class rel ON rel.oid = a.attrelid
            JOIN pg_catalog.pg_namespace rn ON rn.oid = rel.relnamespace
            WHERE a.attnum > 0 AND NOT a.attisdropped
              AND (rel.relkind IN ('r', 'p') AND NOT rel.relispartition OR rel.relkind = 'c')
            UNION ALL
            SELECT types.oid, 'domain', dn.nspname, dt.typname, NULL,
                   CASE WHEN dt.typbasetype = types.typarray THEN 'array' END
            FROM types
            JOIN pg_catalog.pg_type dt ON dt.typtype = 'd' AND dt.typbasetype IN (types.oid, types.typarray)
            JOIN pg_catalog.pg_namespace dn ON dn.oid = dt.typnamespace
        )
        SELECT types.typtype AS kind, types.nspname, types.typname,
               CASE WHEN types.typtype = 'd' THEN pg_catalog.format_type(types.typbasetype, types.typtypmod)
               END AS base_type,
               pg_catalog.pg_get_expr(types.typdefaultbin, 0) AS default_expression,
               types.typnotnull AS not_null,
               (SELECT co.collname FROM pg_catalog.pg_collation co
                JOIN pg_catalog.pg_type b ON b.oid = types.typbasetype
                WHERE co.oid = types.typcollation AND types.typcollation <> b.typcollation
                  AND co.collnamespace = 'pg_catalog'::regnamespace) AS collation,
               (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(c.conname, pg_catalog.pg_get_constraintdef(c.oid),
                                                                       c.convalidated) ORDER BY c.conname)::text
                FROM pg_catalog.pg_constraint c WHERE c.contypid = types.oid AND c.contype = 'c') AS checks,
               CASE WHEN types.typtype = 'c' THEN (
                   SELECT pg_catalog.json_agg(pg_catalog.json_build_array(a.attname,
                                              pg_catalog.format_type(a.atttypid, a.atttypmod), co.collname)
                                              ORDER BY a.attnum)::text
                   FROM pg_catalog.pg_attribute a
                   JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
                   LEFT JOIN pg_catalog.pg_collation co
                          ON co.oid = a.attcollation AND a.attcollation <> at.typcollation
                         AND co.collnamespace = 'pg_catalog'::regnamespace
                   WHERE a.attrelid = types.typrelid AND a.attnum > 0 AND NOT a.attisdropped) END AS attributes,
               d.description AS comment,
               (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(u.kind, u.nspname, u.relname, u.attname, u.is_array)
                                           ORDER BY u.kind, u.nspname, u.relname, u.attname)::text
                FROM users u WHERE u.type_oid = types.oid) AS used_by
        FROM types
        LEFT JOIN pg_catalog.pg_description d
               ON d.objoid = types.oid AND d.classoid = 'pg_catalog.pg_type'::regclass AND d.objsubid = 0
        ORDER BY types.nspname, types.typname
        """
    }

    /// Row-level security of the tables in scope, and their policies as [name, command, permissive, roles,
    /// using, with check, comment] (`polcmd` `*` is ALL; role 0 is PUBLIC). Only tables with either.
    static func rowSecurity(_ scope: Scope) -> String {
        scope.cte + """

            SELECT scope.oid AS table_oid, c.relrowsecurity AS enabled, c.relforcerowsecurity AS forced,
                   (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(
                               p.polname, p.polcmd, p.polpermissive,
                               ARRAY(SELECT CASE WHEN r.oid = 0 THEN 'public' ELSE ro.rolname::text END
                                     FROM pg_catalog.unnest(p.polroles) AS r(oid)
                                     LEFT JOIN pg_catalog.pg_roles ro ON ro.oid = r.oid ORDER BY 1),
                               pg_catalog.pg_get_expr(p.polqual, p.polrelid),
                               pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),
                               pd.description) ORDER BY p.polname)::text
                    FROM pg_catalog.pg_policy p
                    LEFT JOIN pg_catalog.pg_description pd
                           ON pd.objoid = p.oid AND pd.classoid = 'pg_catalog.pg_policy'::regclass
                    WHERE p.polrelid = scope.oid) AS policies
            FROM scope
            JOIN pg_catalog.pg_class c ON c.oid = scope.oid
            WHERE c.relrowsecurity OR c.relforcerowsecurity
               OR EXISTS (SELECT 1 FROM pg_catalog.pg_policy p WHERE p.polrelid = scope.oid)
            ORDER BY scope.oid
            """
    }
}

extension CatalogQueries {
    /// Objects reconcile does not model, by kind and name: in the schemas named by $1 (text[]), those that live
    /// in a schema; database-wide, event triggers and publications, and this database's subscriptions. None
    /// that an extension brings, nor those PostgreSQL makes along with another (a range's cast to its multirange).
    /// Views, functions, procedures and tables' triggers are modelled, and grants are
    /// privileges, not objects: neither is listed.
    static let notModelled = """
        WITH schemas AS (
            SELECT n.oid, n.nspname FROM pg_catalog.pg_namespace n WHERE n.nspname = ANY ($1::text[])
        ), objects AS (
            SELECT 'rule' AS kind, pg_catalog.format('%I.%I/%I', s.nspname, c.relname, r.rulename) AS name,
                   'pg_catalog.pg_rewrite'::regclass AS classid, r.oid AS objid
            FROM pg_catalog.pg_rewrite r
            JOIN pg_catalog.pg_class c ON c.oid = r.ev_class
            JOIN schemas s ON s.oid = c.relnamespace
            WHERE r.rulename <> '_RETURN'
            UNION ALL
            -- Triggers are declared on tables; a view's (INSTEAD OF) are not.
            SELECT 'trigger on a view', pg_catalog.format('%I.%I/%I', s.nspname, c.relname, t.tgname),
                   'pg_catalog.pg_trigger'::regclass, t.oid
            FROM pg_catalog.pg_trigger t
            JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid AND c.relkind = 'v'
            JOIN schemas s ON s.oid = c.relnamespace
            WHERE NOT t.tgisinternal
            UNION ALL
            SELECT 'view column default', pg_catalog.format('%I.%I.%I', s.nspname, c.relname, a.attname),
                   'pg_catalog.pg_attrdef'::regclass, ad.oid
            FROM pg_catalog.pg_attrdef ad
            JOIN pg_catalog.pg_class c ON c.oid = ad.adrelid AND c.relkind = 'v'
            JOIN pg_catalog.pg_attribute a ON a.attrelid = ad.adrelid AND a.attnum = ad.adnum
            JOIN schemas s ON s.oid = c.relnamespace
            UNION ALL
            SELECT 'foreign table', pg_catalog.format('%I.%I', s.nspname, c.relname), 'pg_catalog.pg_class'::regclass,
                   c.oid
            FROM pg_catalog.pg_class c JOIN schemas s ON s.oid = c.relnamespace WHERE c.relkind = 'f'
            UNION ALL
            SELECT 'aggregate', pg_catalog.format('%I.%I(%s)', s.nspname, p.proname,
                                                  pg_catalog.pg_get_function_identity_arguments(p.oid)),
                   'pg_catalog.pg_proc'::regclass, p.oid
            FROM pg_catalog.pg_proc p JOIN schemas s ON s.oid = p.pronamespace WHERE p.prokind = 'a'
            UNION ALL
            SELECT 'operator', pg_catalog.format('%I.%s(%s, %s)', s.nspname, o.oprname,
                                                 coalesce(pg_catalog.format_type(o.oprleft, NULL), 'NONE'),
                                                 coalesce(pg_catalog.format_type(o.oprright, NULL), 'NONE')),
                   'pg_catalog.pg_operator'::regclass, o.oid
            FROM pg_catalog.pg_operator o JOIN schemas s ON s.oid = o.oprnamespace
            UNION ALL
            SELECT 'operator class', pg_catalog.format('%I.%I', s.nspname, oc.opcname), 'pg_catalog.pg_opclass'::regclass,
                   oc.oid
            FROM pg_catalog.pg_opclass oc JOIN schemas s ON s.oid = oc.opcnamespace
            UNION ALL
            SELECT 'operator family', pg_catalog.format('%I.%I', s.nspname, f.opfname),
                   'pg_catalog.pg_opfamily'::regclass, f.oid
            FROM pg_catalog.pg_opfamily f JOIN schemas s ON s.oid = f.opfnamespace
            UNION ALL
            -- Casts belong to no schema: those from or to a type of a listed schema, or through its function.
            SELECT 'cast', pg_catalog.format('(%s AS %s)', pg_catalog.format_type(ca.castsource, NULL),
                                             pg_catalog.format_type(ca.casttarget, NULL)),
                   'pg_catalog.pg_cast'::regclass, ca.oid
            FROM pg_catalog.pg_cast ca
            WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN schemas s ON s.oid = t.typnamespace
                          WHERE t.oid IN (ca.castsource, ca.casttarget))
               OR EXISTS (SELECT 1 FROM pg_catalog.pg_proc p JOIN schemas s ON s.oid = p.pronamespace
                          WHERE p.oid = ca.castfunc)
            UNION ALL
            SELECT 'collation', pg_catalog.format('%I.%I', s.nspname, co.collname), 'pg_catalog.pg_collation'::regclass,
                   co.oid
            FROM pg_catalog.pg_collation co JOIN schemas s ON s.oid = co.collnamespace
            UNION ALL
            SELECT 'conversion', pg_catalog.format('%I.%I', s.nspname, cv.conname), 'pg_catalog.pg_conversion'::regclass,
                   cv.oid
            FROM pg_catalog.pg_conversion cv JOIN schemas s ON s.oid = cv.connamespace
            UNION ALL
            SELECT 'statistics object', pg_catalog.format('%I.%I', s.nspname, st.stxname),
                   'pg_catalog.pg_statistic_ext'::regclass, st.oid
            FROM pg_catalog.pg_statistic_ext st JOIN schemas s ON s.oid = st.stxnamespace
            UNION ALL
            SELECT 'text search configuration', pg_catalog.format('%I.%I', s.nspname, cf.cfgname),
                   'pg_catalog.pg_ts_config'::regclass, cf.oid
            FROM pg_catalog.pg_ts_config cf JOIN schemas s ON s.oid = cf.cfgnamespace
            UNION ALL
            SELECT 'text search dictionary', pg_catalog.format('%I.%I', s.nspname, d.dictname),
                   'pg_catalog.pg_ts_dict'::regclass, d.oid
            FROM pg_catalog.pg_ts_dict d JOIN schemas s ON s.oid = d.dictnamespace
            UNION ALL
            -- Range and base types (a range's multirange comes with it; arrays with their element type).
            SELECT CASE t.typtype WHEN 'r' THEN 'range type' ELSE 'base type' END,
                   pg_catalog.format('%I.%I', s.nspname, t.typname), 'pg_catalog.pg_type'::regclass, t.oid
            FROM pg_catalog.pg_type t JOIN schemas s ON s.oid = t.typnamespace
            WHERE t.typtype IN ('r', 'b') AND NOT (t.typelem <> 0 AND t.typlen = -1)
            UNION ALL
            SELECT 'event trigger', pg_catalog.quote_ident(e.evtname), 'pg_catalog.pg_event_trigger'::regclass, e.oid
            FROM pg_catalog.pg_event_trigger e
            UNION ALL
            SELECT 'publication', pg_catalog.quote_ident(p.pubname), 'pg_catalog.pg_publication'::regclass, p.oid
            FROM pg_catalog.pg_publication p
            UNION ALL
            SELECT 'subscription', pg_catalog.quote_ident(su.subname), 'pg_catalog.pg_subscription'::regclass, su.oid
            FROM pg_catalog.pg_subscription su
            WHERE su.subdbid = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
        )
        SELECT o.kind, o.name FROM objects o
        WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                          WHERE dep.classid = o.classid AND dep.objid = o.objid AND dep.deptype IN ('e', 'i'))
        ORDER BY o.kind, o.name
        """
}
