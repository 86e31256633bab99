import Yams

/// `functions:` and `procedures:`: `[schema.]name` → the routine, or → a list of routines for overloads
/// (one name, different argument types).
///
/// ```yaml
/// functions:
///   normalized: { arguments: "name text", returns: text, language: sql, volatility: immutable,
///                 body: "SELECT lower(trim(name))" }
/// ```
struct RoutineParser {
    enum Key: String, SchemaFileKey {
        case arguments, returns, language, volatility, strict
        case securityDefiner = "security_definer"
        case leakproof, parallel, cost, rows, set, body, comment
        case renamedFrom = "renamed_from"
    }

    let reader: YAMLReader
    let kind: Routine.Kind

    func parse(_ node: Node, positions: inout SourcePositions) -> [Routine] {
        let what = kind == .function ? "functions" : "procedures"
        guard let mapping = reader.mapping(node, what) else { return [] }
        var routines: [Routine] = []
        for (keyNode, valueNode) in mapping {
            guard let text = reader.string(keyNode, "a \(kind.rawValue) name") else { continue }
            let name: QualifiedName
            do {
                name = try NameSyntax.qualifiedName(text, defaultSchema: SchemaDocumentParser.defaultSchema)
            } catch let failure as NameSyntax.Failure {
                reader.error("\(kind.rawValue) \(text): \(failure.message)", at: keyNode)
                continue
            } catch { continue }
            reader.checkIdentifierLength(name.name, kind.rawValue, at: keyNode)
            let items: [Node]
            if case .sequence(let list) = valueNode {
                items = Array(list)
                if items.isEmpty { reader.error("\(kind.rawValue) \(name) lists no overload", at: valueNode) }
            } else {
                items = [valueNode]
            }
            for item in items {
                guard let routine = parseRoutine(name, item) else { continue }
                if let first = positions.routines[routine.key] {
                    reader.error(
                        "\(kind.rawValue) \(routine.signature) is declared twice: also at \(first)",
                        at: items.count > 1 ? item : keyNode)
                    continue
                }
                positions.routines[routine.key] = reader.location(of: items.count > 1 ? item : keyNode)
                routines.append(routine)
            }
        }
        return routines
    }

    private func parseRoutine(_ name: QualifiedName, _ node: Node) -> Routine? {
        let what = "\(kind.rawValue) \(name)"
        guard let mapping = reader.mapping(node, what) else { return nil }
        var routine = Routine(kind: kind, name: name, language: "", body: "")
        var hasBody = false, hasLanguage = false
        for entry in reader.entries(mapping, of: Key.self, what) {
            let value = entry.value
            let keyName = entry.key.rawValue
            func functionOnly() -> Bool {
                guard kind == .function else {
                    reader.error("'\(keyName)' is for functions; a procedure has no \(keyName)", at: entry.keyNode)
                    return false
                }
                return true
            }
            switch entry.key {
            case .arguments:
                // `arguments: ""` (or []) for none is allowed; a bare `arguments:` is a slip.
                if case .scalar(let scalar) = value, scalar.string.isEmpty, scalar.style != .plain {
                    routine.arguments = ""
                } else if case .sequence(let list) = value, list.isEmpty {
                    routine.arguments = ""
                } else if case .sequence = value {
                    routine.arguments = (reader.stringList(value, "arguments of \(what)") ?? []).joined(separator: ", ")
                } else {
                    routine.arguments = reader.string(value, "arguments of \(what)") ?? ""
                }
            case .returns:
                if functionOnly() { routine.returns = reader.string(value, "returns of \(what)") }
            case .language:
                hasLanguage = true
                guard let text = reader.string(value, "language of \(what)") else { continue }
                routine.language = text
            case .volatility:
                guard functionOnly(), let text = reader.string(value, "volatility of \(what)") else { continue }
                guard let volatility = Routine.Volatility(rawValue: text.lowercased()) else {
                    reader.error(
                        "volatility of \(what) must be volatile, stable or immutable, not '\(text)'"
                            + Suggestion.didYouMean(text.lowercased(), Routine.Volatility.allCases.map(\.rawValue)),
                        at: value)
                    continue
                }
                routine.volatility = volatility
            case .strict:
                if functionOnly() { routine.isStrict = reader.bool(value, "strict of \(what)") ?? false }
            case .securityDefiner:
                routine.securityDefiner = reader.bool(value, "security_definer of \(what)") ?? false
            case .leakproof:
                if functionOnly() { routine.leakproof = reader.bool(value, "leakproof of \(what)") ?? false }
            case .parallel:
                guard functionOnly(), let text = reader.string(value, "parallel of \(what)") else { continue }
                guard let parallel = Routine.Parallel(rawValue: text.lowercased()) else {
                    reader.error("parallel of \(what) must be safe, restricted or unsafe, not '\(text)'", at: value)
                    continue
                }
                routine.parallel = parallel
            case .cost, .rows:
                guard functionOnly(), let text = reader.string(value, "\(keyName) of \(what)") else { continue }
                guard Literal.isNumber(text), !text.hasPrefix("-") else {
                    reader.error("\(keyName) of \(what) must be a positive number, not '\(text)'", at: value)
                    continue
                }
                if entry.key == .cost { routine.cost = text } else { routine.rows = text }
            case .renamedFrom: routine.renamedFrom = reader.previousName(value, of: name, what)
            case .set:
                routine.settings = settings(value, what)
            case .body:
                hasBody = true
                // An empty body is allowed only when quoted: `body: ""`.
                if case .scalar(let scalar) = value, scalar.string.isEmpty, scalar.style != .plain {
                    routine.body = ""
                } else {
                    routine.body = reader.string(value, "body of \(what)") ?? ""
                }
            case .comment:
                routine.comment = reader.string(value, "comment of \(what)")
            }
        }
        if !hasLanguage { reader.error("\(what) needs 'language' (sql, plpgsql, ...)", at: node) }
        if !hasBody { reader.error("\(what) needs 'body'", at: node) }
        // Only OUT arguments let PostgreSQL work the result out itself.
        let hasOutArguments = SQLScanning.splitTopLevel(Substring(routine.arguments)).contains { argument in
            let mode = argument.trimmingSpaces.lowercased()
            return mode.hasPrefix("out ") || mode.hasPrefix("inout ")
        }
        if kind == .function, routine.returns == nil, hasLanguage, hasBody, !hasOutArguments {
            reader.error("\(what) needs 'returns' (e.g. returns: trigger, returns: void)", at: node)
        }
        return routine
    }

    /// `set: { search_path: "public, pg_temp", work_mem: 64MB }`: configuration parameters the routine runs
    /// with. Names go into the SQL unquoted, so they are checked here.
    private func settings(_ node: Node, _ what: String) -> [StorageParameter] {
        guard let mapping = reader.mapping(node, "set of \(what)") else { return [] }
        var settings: [StorageParameter] = []
        for (keyNode, valueNode) in mapping {
            guard let name = reader.string(keyNode, "a parameter name in set of \(what)"),
                let value = reader.string(valueNode, "\(name) in set of \(what)")
            else { continue }
            guard !name.isEmpty,
                name.allSatisfy({ $0 == "_" || $0 == "." || ($0.isASCII && ($0.isLetter || $0.isNumber)) })
            else {
                reader.error(
                    "'\(name)' in set of \(what) is not a configuration parameter name (letters, digits, '_' and '.')",
                    at: keyNode)
                continue
            }
            settings.append(StorageParameter(name: name.lowercased(), value: value))
        }
        return settings
    }
}
