/// Functions and procedures as DDL.
extension SQLRenderer {
    /// Configuration parameters whose value is a list (`search_path = 'public', 'pg_temp'`): each element is
    /// its own literal, as pg_dump writes them; a single literal would become one odd schema name.
    static let listSettings: Set<String> = [
        "search_path", "temp_tablespaces", "session_preload_libraries", "shared_preload_libraries",
        "local_preload_libraries",
    ]

    /// `CREATE OR REPLACE FUNCTION "s"."f"(args) RETURNS ... LANGUAGE ... AS $reconcile$body$reconcile$`:
    /// idempotent, and replaces every attribute it does not name with PostgreSQL's default, so what runs is
    /// exactly what is declared. `name` is where to create it (a scratch copy goes elsewhere).
    public static func createRoutine(_ routine: Routine, as name: QualifiedName? = nil) -> String {
        var lines = [
            "CREATE OR REPLACE \(routine.kind.sql) \(SQL.qualified(name ?? routine.name))(\(routine.arguments))"
        ]
        if let returns = routine.returns { lines.append(" RETURNS \(returns)") }
        lines.append(" LANGUAGE \(SQL.identifier(routine.language.lowercased()))")
        var attributes: [String] = []
        if routine.volatility != .volatile { attributes.append(routine.volatility.rawValue.uppercased()) }
        if routine.isStrict { attributes.append("STRICT") }
        if routine.securityDefiner { attributes.append("SECURITY DEFINER") }
        if routine.leakproof { attributes.append("LEAKPROOF") }
        if routine.parallel != .unsafe { attributes.append("PARALLEL \(routine.parallel.rawValue.uppercased())") }
        if let cost = routine.cost { attributes.append("COST \(cost)") }
        if let rows = routine.rows { attributes.append("ROWS \(rows)") }
        if !attributes.isEmpty { lines.append(" " + attributes.joined(separator: " ")) }
        for setting in routine.settings {
            lines.append(" SET \(setting.name) = \(settingValue(setting))")
        }
        lines.append("AS \(SQL.dollarQuoted(routine.body))")
        return lines.joined(separator: "\n")
    }

    /// `"s"."f"(integer, text)`: the routine as `DROP` and `COMMENT ON` name it.
    public static func routineReference(_ routine: Routine) -> String {
        "\(SQL.qualified(routine.name))(\(routine.identityArguments))"
    }

    public static func dropRoutine(_ routine: Routine) -> String {
        "DROP \(routine.kind.sql) IF EXISTS \(routineReference(routine))"
    }

    /// `ALTER FUNCTION "s"."old"(integer) RENAME TO "new"`, run only while the old one exists and no routine of
    /// the new name and argument types does (so it runs once).
    public static func renameRoutine(_ old: Routine, to newName: String) -> String {
        let types = old.catalog?.identityTypes ?? old.identityArguments
        func exists(_ name: String) -> String {
            "(pg_catalog.to_regprocedure(\(SQL.literal(SQL.qualified(QualifiedName(schema: old.name.schema, name: name)) + "(\(types))"))) IS NOT NULL)"
        }
        return guarded(
            if: exists(old.name.name) + " AND NOT " + exists(newName),
            "ALTER \(old.kind.sql) \(routineReference(old)) RENAME TO \(SQL.identifier(newName))")
    }

    /// Gives a routine made again what the dropped one had (`kept`): PUBLIC's EXECUTE revoked, grants, owner.
    static func restoring(_ kept: Routine.Kept, on routine: Routine) -> [String] {
        let target = "\(routine.kind.sql) \(routineReference(routine))"
        var statements: [String] = []
        if kept.revokedFromPublic { statements.append("REVOKE EXECUTE ON \(target) FROM PUBLIC") }
        for grant in kept.grants {
            statements.append(
                "GRANT EXECUTE ON \(target) TO \(grant.role.map(SQL.identifier) ?? "PUBLIC")"
                    + (grant.withGrantOption ? " WITH GRANT OPTION" : ""))
        }
        if let owner = kept.owner { statements.append("ALTER \(target) OWNER TO \(SQL.identifier(owner))") }
        return statements
    }

    public static func commentOnRoutine(_ routine: Routine, _ comment: String?) -> String {
        "COMMENT ON \(routine.kind.sql) \(routineReference(routine)) IS \(comment.map(SQL.literal) ?? "NULL")"
    }

    /// A value of `SET name = ...`: one literal, or for a list parameter one literal per element, written
    /// `a, b` or `"$user", public` as in `SHOW search_path` (double quotes are removed, the server adds them
    /// back where needed).
    static func settingValue(_ setting: StorageParameter) -> String {
        guard listSettings.contains(setting.name) else { return SQL.literal(setting.value) }
        var elements: [String] = []
        var current = ""
        var quoted = false
        let characters = Array(setting.value)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            index += 1
            if character == "\"" {
                // `""` inside quotes is one quote character.
                if quoted, index < characters.count, characters[index] == "\"" {
                    current.append("\"")
                    index += 1
                } else {
                    quoted.toggle()
                }
            } else if character == ",", !quoted {
                elements.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        elements.append(current)
        return elements.map { SQL.literal($0.trimmingSpaces) }.joined(separator: ", ")
    }
}
