/// Every catalog query reconcile runs, in one place. They read `pg_catalog` directly: it is the source
/// `information_schema` is built on, it has what that lacks (indexes, identity and serial details), and its
/// views do not filter rows by the current role's privileges, so a read-only role sees every table.
///
/// Each query is set-based: one round trip for all tables, whatever their number. They all start from the
/// same `scope` CTE, which selects the tables to read (the managed schemas, or the scratch copies made for
/// canonicalisation).
enum CatalogQueries {
    enum Scope {
        /// Ordinary and partitioned tables (not partitions) in the schemas named by $1 (text[]); NULL means
        /// every user schema.
        case schemas
        /// This session's temporary tables named by $1 (text[]): the canonicalisation scratch copies.
        case temporaryTables

        var cte: String {
            let filter: String
            switch self {
            case .schemas:
                filter = CatalogQueries.schemaFilter
            case .temporaryTables:
                filter = "c.relnamespace = pg_catalog.pg_my_temp_schema() AND c.relname = ANY ($1::text[])"
            }
            return """
                WITH scope AS (
                    SELECT c.oid, n.nspname, c.relname, c.relkind
                    FROM pg_catalog.pg_class c
                    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                    -- r: ordinary table, p: partitioned table; partitions are managed through their parent.
                    WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND \(filter)
                      -- Tables that belong to an extension (e.g. PostGIS's spatial_ref_sys) are the extension's.
                      AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                                      WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = c.oid
                                        AND dep.deptype = 'e')
                )
                """
        }
    }

    /// The schemas named by $1 (text[]), or, when $1 is NULL, every schema a user made.
    static let schemaFilter = """
        (CASE WHEN $1::text[] IS NULL THEN n.nspname !~ '^pg_' AND n.nspname <> 'information_schema' \
        ELSE n.nspname = ANY ($1::text[]) END)
        """

    /// Which of the schemas named by $1 exist.
    static let schemas = """
        SELECT n.nspname FROM pg_catalog.pg_namespace n WHERE \(schemaFilter) ORDER BY n.nspname
        """

    /// Installed extensions.
    static let extensions = """
        SELECT e.extname, n.nspname FROM pg_catalog.pg_extension e
        JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
        ORDER BY e.extname
        """

    /// Sequences of the schemas named by $1 that no extension brings, with their options and, for those a
    /// serial ('a') or identity ('i') column owns, the owner (table oid and column number): standalone
    /// sequences and the options of owned ones in one read, instead of a lookup per column.
    static let sequences = """
        SELECT n.nspname, c.relname, pg_catalog.format_type(s.seqtypid, NULL) AS type, s.seqstart, s.seqincrement,
               s.seqmin, s.seqmax, s.seqcache, s.seqcycle, c.relpersistence = 'u' AS unlogged,
               owner.refobjid AS owner_oid, owner.refobjsubid AS owner_attnum
        FROM pg_catalog.pg_sequence s
        JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_depend owner
               ON owner.classid = 'pg_catalog.pg_class'::regclass AND owner.objid = c.oid
              AND owner.refclassid = 'pg_catalog.pg_class'::regclass AND owner.deptype IN ('a', 'i')
        WHERE \(schemaFilter)
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                          WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = c.oid
                            AND dep.deptype = 'e')
        ORDER BY n.nspname, c.relname
        """

    /// The owner (OWNED BY) of every sequence of the schemas named by $1 that a column owns, as the export names
    /// it in a refusal: `owner` is `schema.table.column`, `of_partition` says whether that table is a partition.
    static let sequenceOwners = """
        SELECT n.nspname, c.relname,
               pg_catalog.format('%I.%I.%I', tn.nspname, t.relname, a.attname) AS owner,
               t.relispartition AS of_partition
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_depend dep
          ON dep.classid = 'pg_catalog.pg_class'::regclass AND dep.objid = c.oid
         AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.deptype = 'a'
        JOIN pg_catalog.pg_class t ON t.oid = dep.refobjid
        JOIN pg_catalog.pg_namespace tn ON tn.oid = t.relnamespace
        JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid AND a.attnum = dep.refobjsubid
        WHERE c.relkind = 'S' AND \(schemaFilter)
        ORDER BY n.nspname, c.relname
        """

    /// Enum types in the schemas named by $1 with their values in sort order; those that belong to an
    /// extension are the extension's.
    static let enums = """
        SELECT n.nspname, t.typname,
               pg_catalog.to_json(ARRAY(SELECT e.enumlabel FROM pg_catalog.pg_enum e
                                        WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder))::text AS labels
        FROM pg_catalog.pg_type t
        JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype = 'e' AND \(schemaFilter)
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                          WHERE dep.classid = 'pg_catalog.pg_type'::regclass AND dep.objid = t.oid AND dep.deptype = 'e')
        ORDER BY n.nspname, t.typname
        """

    /// Functions and procedures (not aggregates or window functions, which the schema file does not declare)
    /// that no extension brings: in the schemas named by $1, or, when `scratch`, this session's temporary
    /// ones named by $1 (the canonicalisation copies). Each with the server's texts that are compared
    /// (identity arguments, arguments, result, `pg_get_functiondef`) and the attributes an export writes.
    /// `prosqlbody` (a SQL-standard body, PostgreSQL 14+) is only reported: the schema file writes bodies as text.
    static func routines(scratch: Bool, serverVersion: Int) -> String {
        let filter =
            scratch
            ? "p.pronamespace = pg_catalog.pg_my_temp_schema() AND p.proname = ANY ($1::text[])" : schemaFilter
        let sqlStandardBody = serverVersion >= 140_000 ? "p.prosqlbody IS NOT NULL" : "false"
        return """
            SELECT n.nspname, p.proname, p.prokind,
                   pg_catalog.pg_get_function_identity_arguments(p.oid) AS identity_arguments,
                   pg_catalog.oidvectortypes(p.proargtypes) AS identity_types,
                   pg_catalog.pg_get_function_arguments(p.oid) AS arguments,
                   CASE WHEN p.prokind = 'f' THEN pg_catalog.pg_get_function_result(p.oid) END AS result,
                   pg_catalog.pg_get_functiondef(p.oid) AS definition,
                   l.lanname AS language, p.provolatile, p.proisstrict, p.prosecdef, p.proleakproof, p.proparallel,
                   p.procost::text AS cost, p.prorows::text AS rows, p.proretset,
                   pg_catalog.array_to_json(p.proconfig)::text AS settings,
                   p.prosrc AS body, p.probin IS NOT NULL AS has_object_file,
                   \(sqlStandardBody) AS sql_standard_body,
                   d.description AS comment,
                   -- EXECUTE granted to others than the owner, as [role or null for PUBLIC, grantable].
                   (SELECT pg_catalog.json_agg(pg_catalog.json_build_array(
                               CASE WHEN acl.grantee <> 0 THEN pg_catalog.pg_get_userbyid(acl.grantee) END,
                               acl.is_grantable) ORDER BY acl.grantee)::text
                    FROM pg_catalog.aclexplode(p.proacl) acl
                    WHERE acl.grantee <> p.proowner AND acl.privilege_type = 'EXECUTE') AS execute_grants,
                   p.proacl IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_catalog.aclexplode(p.proacl) acl
                                                        WHERE acl.grantee = 0) AS revoked_from_public,
                   CASE WHEN p.proowner <> (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = current_user)
                        THEN pg_catalog.pg_get_userbyid(p.proowner) END AS other_owner,
                   -- What uses it (checks, indexes, defaults, triggers): DROP refuses while they stand. Not
                   -- views: those the plan drops before and creates again after (the views query reads them).
                   (SELECT pg_catalog.json_agg(DISTINCT pg_catalog.pg_describe_object(dep.classid, dep.objid, 0))::text
                    FROM pg_catalog.pg_depend dep
                    WHERE dep.refclassid = 'pg_catalog.pg_proc'::regclass AND dep.refobjid = p.oid
                      AND dep.deptype = 'n'
                      AND NOT (dep.classid = 'pg_catalog.pg_rewrite'::regclass
                               AND EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite rw
                                           JOIN pg_catalog.pg_class vc ON vc.oid = rw.ev_class
                                           WHERE rw.oid = dep.objid AND vc.relkind IN ('v', 'm')))) AS dependents
            FROM pg_catalog.pg_proc p
            JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            JOIN pg_catalog.pg_language l ON l.oid = p.prolang
            LEFT JOIN pg_catalog.pg_description d
                   ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_proc'::regclass AND d.objsubid = 0
            -- Not an extension's, nor made by PostgreSQL for another object (a range type's constructors).
            WHERE p.prokind IN ('f', 'p') AND \(filter)
              AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                              WHERE dep.classid = 'pg_catalog.pg_proc'::regclass AND dep.objid = p.oid
                                AND dep.deptype IN ('e', 'i'))
            ORDER BY n.nspname, p.proname, identity_types
            """
    }

    /// Tables with their comments (a join on pg_description: far cheaper than obj_description per row).
    /// From PostgreSQL 18 (`serverVersion`), each partition's NOT NULL constraint names too.
    static func tables(_ scope: Scope, serverVersion: Int) -> String {
        // Appended to a partition's [schema, name, bound] as column, name, column, name, ...: all text still.
        let partitionNotNulls =
            serverVersion >= 180_000
            ? """
                 || ARRAY(SELECT u.pair FROM pg_catalog.pg_constraint nn
                          JOIN pg_catalog.pg_attribute a ON a.attrelid = nn.conrelid AND a.attnum = nn.conkey[1],
                          LATERAL unnest(ARRAY[a.attname::text, nn.conname::text]) WITH ORDINALITY AS u(pair, k)
                          WHERE nn.conrelid = p.oid AND nn.contype = 'n'
                          ORDER BY a.attnum, u.k)
            """ : ""

        return scope.cte + """

            SELECT scope.oid, scope.nspname, scope.relname, d.description AS comment,
                   -- reltuples is -1 for a table never analysed (PostgreSQL 14+), 0 before that.
                   CASE WHEN c.reltuples < 0 THEN NULL ELSE c.reltuples::bigint END AS estimated_rows,
                   c.relpersistence = 'u' AS unlogged,
                   pg_catalog.array_to_json(c.reloptions)::text AS options,
                   -- `toast.*` parameters live on the table's TOAST table.
                   (SELECT pg_catalog.array_to_json(t.reloptions)::text FROM pg_catalog.pg_class t
                    WHERE t.oid = c.reltoastrelid) AS toast_options,
                   CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partition_by,
                   -- Partitions as [schema, name, bound, ...] (in this query, so the statement count stays constant).
                   (SELECT pg_catalog.json_agg(pg_catalog.array_to_json(
                               ARRAY[pn.nspname::text, p.relname::text, pg_catalog.pg_get_expr(p.relpartbound, p.oid)]
                               \(partitionNotNulls))
                           ORDER BY pn.nspname, p.relname)::text
                    FROM pg_catalog.pg_inherits i
                    JOIN pg_catalog.pg_class p ON p.oid = i.inhrelid AND p.relispartition
                    JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
                    WHERE i.inhparent = c.oid AND c.relkind = 'p') AS partitions
            FROM scope
            JOIN pg_catalog.pg_class c ON c.oid = scope.oid
            LEFT JOIN pg_catalog.pg_description d
                   ON d.objoid = scope.oid AND d.classoid = 'pg_catalog.pg_class'::regclass AND d.objsubid = 0
            ORDER BY scope.nspname, scope.relname
            """
    }

    /// Columns in their physical order. `format_type` gives the canonical type text (with modifiers);
    /// `pg_get_expr` the canonical default. A serial column is one whose default uses a sequence that the
    /// column owns (pg_depend 'a' from the sequence, and a dependency of the default on that same sequence): a
    /// column that owns one sequence and draws from another (two tables sharing one counter) is a plain column
    /// with a default. Identity sequences are internal ('i') and not counted.
    /// From PostgreSQL 18 (`serverVersion`, libpq's number), also the name of each NOT NULL constraint.
    static func columns(_ scope: Scope, serverVersion: Int) -> String {
        let compression = serverVersion >= 140_000 ? "NULLIF(a.attcompression, '')" : "NULL::\"char\""
        // A join, not a lookup per column: the planner hashes the NOT NULL constraints once.
        let (notNullName, notNullJoin) =
            serverVersion >= 180_000
            ? (
                "nn.conname",
                """
                LEFT JOIN pg_catalog.pg_constraint nn
                       ON nn.conrelid = a.attrelid AND nn.contype = 'n' AND nn.conkey[1] = a.attnum
                """
            )
            : ("NULL::name", "")
        return scope.cte + """

            SELECT a.attrelid AS table_oid,
                   a.attnum,
                   a.attname AS name,
                   pg_catalog.format_type(a.atttypid, a.atttypmod) AS type,
                   a.attnotnull AS not_null,
                   a.attidentity AS identity,
                   a.attgenerated AS generated,
                   -- -1 (before PostgreSQL 17) or NULL (from 17) is the default statistics target.
                   NULLIF(a.attstattarget, -1) AS statistics,
                   -- Storage other than the type's default, and a compression method (PostgreSQL 14+; '' is none).
                   CASE WHEN a.attstorage <> ty.typstorage THEN a.attstorage END AS storage,
                   \(compression) AS compression,
                   -- A default cannot refer to a column, so it is deparsed without the table (0): naming the
                   -- table makes the server open it for every default, half the cost of this query. A
                   -- generation expression does refer to columns.
                   pg_catalog.pg_get_expr(d.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE d.adrelid END)
                       AS default_expression,
                   EXISTS (
                       SELECT 1 FROM pg_catalog.pg_depend dep
                       JOIN pg_catalog.pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S'
                       WHERE dep.classid = 'pg_catalog.pg_class'::regclass
                         AND dep.refobjid = a.attrelid AND dep.refobjsubid = a.attnum AND dep.deptype = 'a'
                         AND EXISTS (SELECT 1 FROM pg_catalog.pg_depend used
                                     WHERE used.classid = 'pg_catalog.pg_attrdef'::regclass AND used.objid = d.oid
                                       AND used.refclassid = 'pg_catalog.pg_class'::regclass
                                       AND used.refobjid = seq.oid)
                   ) AS owns_sequence,
                   cd.description AS comment,
                   -- A collation other than the type's default (format_type does not print it); by name, for
                   -- those of pg_catalog (`C`, `POSIX`, `en_US.utf8`, ICU ones).
                   co.collname AS collation,
                   \(notNullName) AS not_null_name
            FROM scope
            JOIN pg_catalog.pg_attribute a ON a.attrelid = scope.oid
            JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
            LEFT JOIN pg_catalog.pg_collation co
                   ON co.oid = a.attcollation AND a.attcollation <> ty.typcollation
                  AND co.collnamespace = 'pg_catalog'::regnamespace
            LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            \(notNullJoin)
            LEFT JOIN pg_catalog.pg_description cd
                   ON cd.objoid = a.attrelid AND cd.classoid = 'pg_catalog.pg_class'::regclass AND cd.objsubid = a.attnum
            -- attnum > 0 skips system columns; dropped columns linger in pg_attribute until a rewrite.
            WHERE a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attrelid, a.attnum
            """
    }

    /// Primary key, unique, check, exclusion and foreign-key constraints. The table's own key columns come as
    /// column numbers in key order (`{2,1}`), named from the columns already read, which spares a lookup per
    /// constraint; a foreign key's referenced columns come as names (a JSON array, so any name survives), since
    /// the referenced table may be out of scope. Checks and exclusion constraints are deparsed (they compare as the
    /// server's text); the other kinds compare structurally. NULLS NOT DISTINCT (PostgreSQL 15+) is the
    /// index's flag, read only from servers that have the column (`serverVersion`, libpq's number).
    /// NOT NULL constraints (contype 'n' from PostgreSQL 18) are read from pg_attribute instead.
    static func constraints(_ scope: Scope, serverVersion: Int) -> String {
        let nullsNotDistinct =
            serverVersion >= 150_000
            ? "(SELECT i.indnullsnotdistinct FROM pg_catalog.pg_index i WHERE i.indexrelid = con.conindid)"
            : "false"
        return scope.cte + """

            SELECT con.conrelid AS table_oid,
                   con.conname AS name,
                   con.contype AS kind,
                   con.conkey::text AS column_numbers,
                   fn.nspname AS referenced_schema,
                   fc.relname AS referenced_table,
                   CASE WHEN con.contype = 'f' THEN pg_catalog.to_json(ARRAY(
                       SELECT a.attname FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY AS k(attnum, position)
                       JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum
                       ORDER BY k.position))::text END AS referenced_columns,
                   con.confupdtype AS on_update,
                   con.confdeltype AS on_delete,
                   con.confmatchtype AS match_type,
                   con.condeferrable AS deferrable,
                   con.condeferred AS deferred,
                   con.convalidated AS validated,
                   con.connoinherit AS no_inherit,
                   con.contype = 'u' AND \(nullsNotDistinct) AS nulls_not_distinct,
                   -- A key's index: its INCLUDE columns (the index's columns after its key columns; indkey
                   -- counts from 0) and storage parameters (`fillfactor=70`), as JSON arrays of text.
                   CASE WHEN con.contype IN ('p', 'u') THEN (
                       SELECT pg_catalog.to_json(ARRAY(
                           SELECT a.attname FROM pg_catalog.unnest(x.indkey) WITH ORDINALITY AS k(attnum, position)
                           JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                           WHERE k.position > x.indnkeyatts
                           ORDER BY k.position))::text
                       FROM pg_catalog.pg_index x
                       WHERE x.indexrelid = con.conindid AND x.indnatts > x.indnkeyatts
                   ) END AS key_include,
                   CASE WHEN con.contype IN ('p', 'u') THEN (
                       SELECT pg_catalog.to_json(xc.reloptions)::text
                       FROM pg_catalog.pg_class xc WHERE xc.oid = con.conindid
                   ) END AS key_storage_parameters,
                   -- What a key's index has that the file cannot declare for a key (a tablespace of its own):
                   -- named by --check as not compared.
                   CASE WHEN con.contype IN ('p', 'u') THEN (
                       SELECT 'in tablespace ' || pg_catalog.quote_ident(sp.spcname)
                       FROM pg_catalog.pg_class xc JOIN pg_catalog.pg_tablespace sp ON sp.oid = xc.reltablespace
                       WHERE xc.oid = con.conindid
                   ) END AS key_index_options,
                   CASE WHEN con.contype IN ('c', 'x') THEN pg_catalog.pg_get_constraintdef(con.oid) END AS definition
            FROM scope
            JOIN pg_catalog.pg_constraint con ON con.conrelid = scope.oid
            LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
            LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
            -- A foreign key to a partitioned table has a clone per partition (conparentid set, named <fkey>1, 2,
            -- ...) on the referencing table; the server keeps them with the declared one, so they are not its own.
            WHERE con.contype IN ('p', 'u', 'c', 'f', 'x') AND con.conparentid = 0
            ORDER BY con.conrelid, con.conname
            """
    }

    /// What `--export` cannot write, per table in scope: one row each, `kind` naming the feature, `name` the
    /// column or constraint (NULL for the table itself) and `detail` its definition. Introspection reads
    /// these tables as if they lacked the feature, so without this an export would silently lose it.
    /// `serverVersion` (libpq's number): compression methods exist from PostgreSQL 14.
    static func exportObstacles(_ scope: Scope, serverVersion: Int) -> String {
        func storageName(_ code: String) -> String {
            "CASE \(code) WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END"
        }
        func compressionName(_ code: String) -> String {
            "CASE \(code) WHEN 'p' THEN 'pglz' WHEN 'l' THEN 'lz4' ELSE 'default' END"
        }
        let compression =
            serverVersion >= 140_000
            ? """
            UNION ALL
            SELECT 'partition compression', p.relname,
                   pg_catalog.format('of column %I: %s (the table''s: %s)', pa.attname,
                                     \(compressionName("pa.attcompression")),
                                     \(compressionName("ta.attcompression")))
            FROM pg_catalog.pg_inherits i
            JOIN pg_catalog.pg_class p ON p.oid = i.inhrelid AND p.relispartition
            JOIN pg_catalog.pg_attribute pa ON pa.attrelid = p.oid AND pa.attnum > 0 AND NOT pa.attisdropped
            JOIN pg_catalog.pg_attribute ta ON ta.attrelid = scope.oid AND ta.attname = pa.attname
            WHERE i.inhparent = scope.oid AND pa.attcompression <> ta.attcompression
            """
            : ""
        return scope.cte + """

            SELECT scope.nspname, scope.relname, o.kind, o.name, o.detail
            FROM scope
            JOIN LATERAL (
                -- A collation of a user's schema (those of pg_catalog are declared as `collation:`).
                SELECT 'collation' AS kind, a.attname::text AS name,
                       pg_catalog.format('%I.%I', cn.nspname, co.collname) AS detail
                FROM pg_catalog.pg_attribute a
                JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
                JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                WHERE a.attrelid = scope.oid AND a.attnum > 0 AND NOT a.attisdropped
                  AND a.attcollation <> t.typcollation AND cn.nspname <> 'pg_catalog'
                UNION ALL
                -- Range, base and multirange types of users, and the row types of tables (arrays through their
                -- element type): the schema file declares enum, domain and composite types only, and extensions
                -- bring their own.
                SELECT 'type', a.attname,
                       pg_catalog.format_type(a.atttypid, a.atttypmod)
                       || CASE WHEN base.oid <> t.oid THEN ', an array of a ' ELSE ', a ' END
                       || CASE base.typtype WHEN 'r' THEN 'range type' WHEN 'm' THEN 'multirange type'
                                            WHEN 'b' THEN 'base type' ELSE 'table row type' END
                FROM pg_catalog.pg_attribute a
                JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                JOIN pg_catalog.pg_type base ON base.oid = CASE WHEN t.typelem <> 0 AND t.typlen = -1
                                                                THEN t.typelem ELSE t.oid END
                JOIN pg_catalog.pg_namespace tn ON tn.oid = base.typnamespace
                WHERE a.attrelid = scope.oid AND a.attnum > 0 AND NOT a.attisdropped
                  AND (base.typtype IN ('r', 'm', 'b')
                       OR base.typtype = 'c' AND (SELECT rc.relkind FROM pg_catalog.pg_class rc
                                                  WHERE rc.oid = base.typrelid) <> 'c')
                  AND tn.nspname NOT IN ('pg_catalog', 'information_schema')
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                                  WHERE dep.classid = 'pg_catalog.pg_type'::regclass AND dep.objid = base.oid
                                    AND dep.deptype = 'e')
                UNION ALL
                -- A user-defined function that a check, index, default, generated column or trigger calls: unless the
                -- export includes it, the file would not apply to an empty database. pg_depend records every
                -- such call (functions of pg_catalog and of extensions are always there).
                -- The name is [schema, name, argument types]: an export that includes the function is fine.
                SELECT DISTINCT 'function',
                       pg_catalog.json_build_array(fn.nspname, p.proname,
                                                   pg_catalog.oidvectortypes(p.proargtypes))::text,
                       pg_catalog.format('%I.%I(%s)', fn.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid))
                FROM pg_catalog.pg_depend d
                JOIN pg_catalog.pg_proc p ON d.refclassid = 'pg_catalog.pg_proc'::regclass AND p.oid = d.refobjid
                JOIN pg_catalog.pg_namespace fn ON fn.oid = p.pronamespace
                WHERE fn.nspname <> 'pg_catalog'
                  AND (d.classid = 'pg_catalog.pg_constraint'::regclass
                           AND d.objid IN (SELECT oid FROM pg_catalog.pg_constraint WHERE conrelid = scope.oid)
                       OR d.classid = 'pg_catalog.pg_class'::regclass
                           AND d.objid IN (SELECT indexrelid FROM pg_catalog.pg_index WHERE indrelid = scope.oid)
                       OR d.classid = 'pg_catalog.pg_attrdef'::regclass
                           AND d.objid IN (SELECT oid FROM pg_catalog.pg_attrdef WHERE adrelid = scope.oid)
                       OR d.classid = 'pg_catalog.pg_trigger'::regclass
                           AND d.objid IN (SELECT oid FROM pg_catalog.pg_trigger
                                           WHERE tgrelid = scope.oid AND NOT tgisinternal))
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                                  WHERE e.classid = 'pg_catalog.pg_proc'::regclass AND e.objid = p.oid
                                    AND e.deptype = 'e')
                UNION ALL
                -- A partition that is partitioned itself: the schema file declares one level.
                SELECT 'subpartitioned', p.relname, pg_catalog.pg_get_partkeydef(p.oid)
                FROM pg_catalog.pg_inherits i
                JOIN pg_catalog.pg_class p ON p.oid = i.inhrelid AND p.relispartition AND p.relkind = 'p'
                WHERE i.inhparent = scope.oid
                UNION ALL
                -- A table stored outside the database's default tablespace (0). An index's tablespace shows in
                -- its definition, where the export refuses it.
                SELECT 'tablespace', NULL, sp.spcname::text
                FROM pg_catalog.pg_class t
                JOIN pg_catalog.pg_tablespace sp ON sp.oid = t.reltablespace
                WHERE t.oid = scope.oid
                UNION ALL
                -- A primary key or unique constraint whose index is in a tablespace of its own: the file
                -- declares a key's INCLUDE columns and storage parameters, not its tablespace.
                SELECT CASE con.contype WHEN 'p' THEN 'primary key index' ELSE 'unique constraint index' END,
                       -- pg_get_constraintdef prints the INCLUDE columns, not the index's options or tablespace.
                       con.conname, pg_catalog.pg_get_constraintdef(con.oid)
                       || ' USING INDEX TABLESPACE ' || pg_catalog.quote_ident(sp.spcname)
                FROM pg_catalog.pg_constraint con
                JOIN pg_catalog.pg_class xc ON xc.oid = con.conindid
                JOIN pg_catalog.pg_tablespace sp ON sp.oid = xc.reltablespace
                WHERE con.conrelid = scope.oid AND con.contype IN ('p', 'u') AND con.conparentid = 0
                UNION ALL
                -- A sequence that a column owns (OWNED BY) but that the column's default does not draw from: the
                -- file declares an owned sequence only as a serial column's, so the export would lose it.
                SELECT 'owned sequence', a.attname, pg_catalog.format('%I.%I', sn.nspname, seq.relname)
                FROM pg_catalog.pg_depend dep
                JOIN pg_catalog.pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S'
                JOIN pg_catalog.pg_namespace sn ON sn.oid = seq.relnamespace
                JOIN pg_catalog.pg_attribute a ON a.attrelid = dep.refobjid AND a.attnum = dep.refobjsubid
                WHERE dep.classid = 'pg_catalog.pg_class'::regclass AND dep.refclassid = 'pg_catalog.pg_class'::regclass
                  AND dep.refobjid = scope.oid AND dep.deptype = 'a'
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attrdef ad
                                  JOIN pg_catalog.pg_depend used
                                    ON used.classid = 'pg_catalog.pg_attrdef'::regclass AND used.objid = ad.oid
                                   AND used.refclassid = 'pg_catalog.pg_class'::regclass AND used.refobjid = seq.oid
                                  WHERE ad.adrelid = a.attrelid AND ad.adnum = a.attnum)
                UNION ALL
                -- What a partition has of its own: the file declares a partitioned table's constraints, indexes and
                -- defaults, which PostgreSQL gives every partition. A partition's copies of them are not its own: a
                -- constraint cloned from the table's has conparentid set (keys, foreign keys) or is inherited
                -- (coninhcount, checks); an index copy is attached to the table's index (pg_inherits); a default
                -- the same as the table's came with PARTITION OF.
                SELECT 'partition ' || CASE con.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique constraint'
                                                        WHEN 'c' THEN 'check' WHEN 'x' THEN 'exclusion constraint'
                                                        ELSE 'foreign key' END,
                       p.relname, pg_catalog.format('%I: %s', con.conname, pg_catalog.pg_get_constraintdef(con.oid))
                FROM pg_catalog.pg_inherits i
                JOIN pg_catalog.pg_class p ON p.oid = i.inhrelid AND p.relispartition
                JOIN pg_catalog.pg_constraint con ON con.conrelid = p.oid
                WHERE i.inhparent = scope.oid AND con.contype IN ('p', 'u', 'c', 'x', 'f')
                  AND con.conparentid = 0 AND con.coninhcount = 0
                UNION ALL
                SELECT 'partition index', p.relname,
                       pg_catalog.format('%I: %s', xc.relname, pg_catalog.pg_get_indexdef(x.indexrelid))
                FROM pg_catalog.pg_inherits i
                JOIN pg_catalog.pg_class p ON p.oid = i.inhrelid AND p.relispartition
                JOIN pg_catalog.pg_index x ON x.indrelid = p.oid
                JOIN pg_catalog.pg_class xc ON xc.oid = x.indexrelid
                WHERE i.inhparent = scope.oid
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits xi WHERE xi.inhrelid = x.indexrelid)
                  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint xc
                                  WHERE xc.conindid = x.indexrelid AND xc.conrelid = p.oid)
                UNION ALL
                SELECT CASE WHEN pd.oid IS NULL THEN 'partition lacks default' ELSE 'partition default' END, p.relname,
                       pg_catalog.format('of column %I: %s', pa.attname,
                                         pg_catalog.pg_get_expr(coalesce(pd.adbin, td.adbin), 0))
                FROM pg_catalog.pg_inherits i
                JOIN pg_catalog.pg_class p ON p.oid = i.inhrelid AND p.relispartition
                JOIN pg_catalog.pg_attribute pa ON pa.attrelid = p.oid AND pa.attnum > 0 AND NOT pa.attisdropped
                JOIN pg_catalog.pg_attribute ta ON ta.attrelid = scope.oid AND ta.attname = pa.attname
                LEFT JOIN pg_catalog.pg_attrdef pd ON pd.adrelid = p.oid AND pd.adnum = pa.attnum
                LEFT JOIN pg_catalog.pg_attrdef td ON td.adrelid = scope.oid AND td.adnum = ta.attnum
                WHERE i.inhparent = scope.oid AND pa.attgenerated = '' AND ta.attgenerated = ''
                  AND pg_catalog.pg_get_expr(pd.adbin, 0) IS DISTINCT FROM pg_catalog.pg_get_expr(td.adbin, 0)
                UNION ALL
                -- A partition made PARTITION OF its table takes the table's storage and compression, and
                -- changing the table's changes its partitions': a different one is the partition's own.
                SELECT 'partition storage', p.relname,
                       pg_catalog.format('of column %I: %s (the table''s: %s)', pa.attname,
                                         \(storageName("pa.attstorage")), \(storageName("ta.attstorage")))
                FROM pg_catalog.pg_inherits i
                JOIN pg_catalog.pg_class p ON p.oid = i.inhrelid AND p.relispartition
                JOIN pg_catalog.pg_attribute pa ON pa.attrelid = p.oid AND pa.attnum > 0 AND NOT pa.attisdropped
                JOIN pg_catalog.pg_attribute ta ON ta.attrelid = scope.oid AND ta.attname = pa.attname
                WHERE i.inhparent = scope.oid AND pa.attstorage <> ta.attstorage
                \(compression)
                UNION ALL
                SELECT 'inherits', NULL, pg_catalog.format('%I.%I', pn.nspname, p.relname)
                FROM pg_catalog.pg_inherits i
                JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
                JOIN pg_catalog.pg_namespace pn ON pn.oid = p.relnamespace
                WHERE i.inhrelid = scope.oid
            ) o ON true
            ORDER BY scope.nspname, scope.relname, o.kind, o.name
            """
    }

    /// Triggers of the tables in scope, not the internal ones of foreign keys. `definition` is
    /// `pg_get_triggerdef` with the table (which it always prints schema-qualified) replaced by `$table`, so a
    /// scratch copy on another table compares equal; the fields an export writes come from `pg_trigger`
    /// (`tgtype` bits, `UPDATE OF` columns, the function, the arguments as hex of their NUL-ended bytes).
    static func triggers(_ scope: Scope) -> String {
        scope.cte + """

            SELECT t.tgrelid AS table_oid, t.tgname AS name,
                   -- A temporary table (a scratch copy) is printed in `pg_temp`, not in its pg_temp_N schema.
                   pg_catalog.replace(pg_catalog.replace(pg_catalog.pg_get_triggerdef(t.oid),
                                      ' ON ' || pg_catalog.format('%I.%I', scope.nspname, scope.relname) || ' ',
                                      ' ON $table '),
                                      ' ON ' || pg_catalog.format('pg_temp.%I', scope.relname) || ' ',
                                      ' ON $table ') AS definition,
                   t.tgtype::integer AS type,
                   (SELECT pg_catalog.json_agg(a.attname ORDER BY k.n)::text
                    FROM pg_catalog.unnest(t.tgattr) WITH ORDINALITY AS k(attnum, n)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum) AS update_columns,
                   fn.nspname AS function_schema, p.proname AS function_name,
                   pg_catalog.encode(t.tgargs, 'hex') AS arguments,
                   t.tgconstraint <> 0 AS is_constraint,
                   (t.tgoldtable IS NOT NULL OR t.tgnewtable IS NOT NULL) AS has_transition_tables,
                   t.tgenabled <> 'O' AS not_enabled,
                   d.description AS comment
            FROM scope
            JOIN pg_catalog.pg_trigger t ON t.tgrelid = scope.oid AND NOT t.tgisinternal
            JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
            JOIN pg_catalog.pg_namespace fn ON fn.oid = p.pronamespace
            LEFT JOIN pg_catalog.pg_description d
                   ON d.objoid = t.oid AND d.classoid = 'pg_catalog.pg_trigger'::regclass AND d.objsubid = 0
            ORDER BY t.tgrelid, t.tgname
            """
    }

    /// Indexes that are not the implementation of a primary key, unique or exclusion constraint (those
    /// are managed as constraints). `pg_get_indexdef` is the one reliable text for expressions, operator
    /// classes and predicates.
    static func indexes(_ scope: Scope) -> String {
        scope.cte + """

            SELECT i.indrelid AS table_oid,
                   ic.relname AS name,
                   i.indisunique AS is_unique,
                   -- false after an interrupted CREATE INDEX CONCURRENTLY: rebuilt, never taken as in sync.
                   i.indisvalid AS is_valid,
                   am.amname AS method,
                   pg_catalog.pg_get_indexdef(i.indexrelid) AS definition,
                   -- Statistics targets of expression columns as [[position, target]] (only those have one;
                   -- -1 before PostgreSQL 17, NULL from 17, is the default).
                   CASE WHEN i.indexprs IS NOT NULL THEN (
                       SELECT pg_catalog.json_agg(pg_catalog.json_build_array(a.attnum, a.attstattarget)
                                                  ORDER BY a.attnum)::text
                       FROM pg_catalog.pg_attribute a
                       WHERE a.attrelid = i.indexrelid AND a.attstattarget <> -1) END AS statistics
            FROM scope
            JOIN pg_catalog.pg_index i ON i.indrelid = scope.oid
            JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_catalog.pg_am am ON am.oid = ic.relam
            WHERE NOT EXISTS (
                SELECT 1 FROM pg_catalog.pg_constraint con
                WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x')
            )
            -- A partitioned table's indexes in the order they were made: PostgreSQL names each partition's copy of
            -- an index after the partition and its columns, numbering clashes (`_idx`, `_idx1`, ...) in that
            -- order, so a copy built in the same order gets the same names. The numbers on the oldest partition
            -- tell the order even after a dump and restore (which makes the indexes in another); then creation.
            -- Other tables' by name.
            ORDER BY i.indrelid,
                     CASE WHEN scope.relkind = 'p' THEN (
                         SELECT coalesce(substring(copy.relname FROM 'idx([0-9]+)$')::integer, 0)
                         FROM pg_catalog.pg_inherits inh
                         JOIN pg_catalog.pg_class copy ON copy.oid = inh.inhrelid
                         JOIN pg_catalog.pg_index copy_index ON copy_index.indexrelid = copy.oid
                         WHERE inh.inhparent = i.indexrelid
                         ORDER BY copy_index.indrelid LIMIT 1) END NULLS FIRST,
                     CASE WHEN scope.relkind = 'p' THEN i.indexrelid END NULLS FIRST, ic.relname
            """
    }

    /// Every schema a user made: not the system's, not an extension's (what `--export` reads by default).
    static let userSchemas = """
        SELECT n.nspname FROM pg_catalog.pg_namespace n
        WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend dep
                          WHERE dep.classid = 'pg_catalog.pg_namespace'::regclass AND dep.objid = n.oid
                            AND dep.deptype = 'e')
        ORDER BY n.nspname
        """

    /// Who holds a strong lock on a table of this database, as text lines, to name them after a lock timeout.
    static let strongTableLockHolders = """
        SELECT DISTINCT pg_catalog.format('%I.%I (pid %s, application %s, holding %s for %s s)', n.nspname, c.relname,
                                          a.pid, coalesce(nullif(a.application_name, ''), '?'), l.mode,
                                          round(extract(epoch FROM pg_catalog.clock_timestamp()
                                                                   - coalesce(a.xact_start, a.query_start))))
        FROM pg_catalog.pg_locks l
        JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
        JOIN pg_catalog.pg_class c ON c.oid = l.relation
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_catalog.pg_backend_pid()
          AND l.database = (SELECT oid FROM pg_catalog.pg_database WHERE datname = pg_catalog.current_database())
          AND c.relkind IN ('r', 'p')
          AND l.mode IN ('AccessExclusiveLock', 'ExclusiveLock', 'ShareRowExclusiveLock', 'ShareLock',
                         'ShareUpdateExclusiveLock')
        ORDER BY 1
        """

    /// Views (and materialized views) that use the table `relation` (a regclass expression), or its `column`;
    /// for a whole table also the foreign keys of other tables (those in `droppedTogether` aside) that reference
    /// it, for pre-flight to name what PostgreSQL would refuse to leave dangling: `description` (`view public.v`)
    /// and `constraint_key`: `schema.table/constraint` for a foreign key, `schema.view` for a view (so those the
    /// plan drops first are not counted).
    static func dependents(of relation: String, column: String?, droppedTogether: [String]) -> String {
        let columnFilter =
            column.map {
                " AND d.refobjsubid = (SELECT attnum FROM pg_catalog.pg_attribute WHERE attrelid = \(relation) "
                    + "AND attname = \(SQL.literal($0)))"
            } ?? ""
        var query = """
            SELECT DISTINCT CASE v.relkind WHEN 'm' THEN 'materialized view ' ELSE 'view ' END
                            || v.oid::regclass::text AS description,
                            pg_catalog.format('%s.%s', vn.nspname, v.relname) AS constraint_key
            FROM pg_catalog.pg_depend d
            JOIN pg_catalog.pg_rewrite r ON r.oid = d.objid
            JOIN pg_catalog.pg_class v ON v.oid = r.ev_class
            JOIN pg_catalog.pg_namespace vn ON vn.oid = v.relnamespace
            WHERE d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.refclassid = 'pg_catalog.pg_class'::regclass
              AND d.refobjid = \(relation) AND v.oid <> d.refobjid\(columnFilter)
            """
        if column == nil {
            query += """

                UNION
                SELECT 'foreign key ' || pg_catalog.quote_ident(con.conname) || ' of ' || con.conrelid::regclass::text,
                       (SELECT pg_catalog.format('%s.%s', n.nspname, c.relname) FROM pg_catalog.pg_class c
                        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = con.conrelid)
                       || '/' || con.conname
                FROM pg_catalog.pg_constraint con
                WHERE con.contype = 'f' AND con.confrelid = \(relation) AND con.conrelid <> con.confrelid
                  AND con.conrelid NOT IN (\(droppedTogether.joined(separator: ", ")))
                  -- A partition's copy of its parent's key goes with the parent's (conparentid names it).
                  AND con.conparentid = 0
                """
        }
        return query + "\nORDER BY 1"
    }

    /// Privilege tests: boolean SQL expressions, asked together in one statement by `failing`.
    enum Privilege {
        static let createOnDatabase = "pg_catalog.has_database_privilege(pg_catalog.current_database(), 'CREATE')"

        /// A schema this plan creates belongs to the current role, which then may create in it.
        static func createOnSchema(_ schema: String) -> String {
            "coalesce((SELECT pg_catalog.has_schema_privilege(oid, 'CREATE') FROM pg_catalog.pg_namespace "
                + "WHERE nspname = \(SQL.literal(schema))), true)"
        }

        static func onTable(_ relation: String, _ privilege: String) -> String {
            "pg_catalog.has_table_privilege(\(relation), \(SQL.literal(privilege)))"
        }

        static func ownership(_ relation: String) -> String {
            "pg_catalog.pg_has_role((SELECT relowner FROM pg_catalog.pg_class WHERE oid = \(relation)), 'USAGE')"
        }

        /// The numbers of the tests that fail, from `(number, test)` rows (a select list is limited to 1,664
        /// columns; VALUES is not).
        static func failing(_ rows: String) -> String {
            "SELECT n FROM (VALUES \(rows)) AS probe(n, granted) WHERE NOT granted"
        }
    }
}
