import CYaml

/// Bounds a schema file's structure before it is built into a tree: how deep it nests and how many nodes
/// it expands to once aliases are followed. Yams builds the tree recursively and follows aliases, so an
/// alias bomb ("billion laughs") or ten thousand nested brackets would otherwise exhaust memory or the stack.
/// This reads libyaml's event stream in one linear pass, with no recursion and no tree.
enum YAMLLimits {
    static let maxDepth = 64
    /// Values that aliases may add on top of what is written out (the file size bounds the rest).
    static let maxAliasExpansion = 100_000

    struct Violation: Error {
        let line: Int
        let column: Int
        let message: String
    }

    /// Throws the first violation, located at the event that crossed the limit. Syntax errors are left to
    /// Yams, which reports them with their own position.
    static func check(_ text: String) throws {
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        try bytes.withUnsafeMutableBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Open collections: each counts the expanded nodes inside it, so an anchored one knows its size.
            var open: [(anchor: String?, size: Int)] = []
            var anchorSizes: [String: Int] = [:]
            var total = 0
            /// Counts `size` expanded nodes in the enclosing collection's size; those an alias adds also
            /// count towards the alias budget.
            func add(_ size: Int, throughAlias: Bool = false) throws {
                if !open.isEmpty { open[open.count - 1].size += size }
                guard throughAlias else { return }
                total += size
                if total > maxAliasExpansion { throw Violation(line: 0, column: 0, message: "") }
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return }  // a syntax error: Yams reports it
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1, column = Int(event.start_mark.column) + 1
                do {
                    switch event.type {
                    case YAML_STREAM_END_EVENT:
                        return
                    case YAML_SCALAR_EVENT:
                        let anchor = event.data.scalar.anchor.map { String(cString: $0) }
                        if let anchor { anchorSizes[anchor] = 1 }
                        try add(1)
                    case YAML_ALIAS_EVENT:
                        let anchor = String(cString: event.data.alias.anchor)
                        try add(anchorSizes[anchor] ?? 1, throughAlias: true)
                    case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                        let pointer =
                            event.type == YAML_SEQUENCE_START_EVENT
                            ? event.data.sequence_start.anchor : event.data.mapping_start.anchor
                        try add(1)
                        open.append((pointer.map { String(cString: $0) }, 1))
                        if open.count > maxDepth {
                            throw Violation(
                                line: line, column: column,
                                message:
                                    "the document nests deeper than \(maxDepth) levels; a schema file never needs that")
                        }
                    case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                        // Its nodes are in the total already; the parent's size grows by all of them.
                        let closed = open.removeLast()
                        if let anchor = closed.anchor { anchorSizes[anchor] = closed.size }
                        if !open.isEmpty { open[open.count - 1].size += closed.size - 1 }
                    default:
                        break
                    }
                } catch let violation as Violation where violation.line == 0 {
                    throw Violation(
                        line: line, column: column,
                        message:
                            "aliases expand the document by more than \(maxAliasExpansion) values; a schema file never needs that"
                    )
                }
            }
        }
    }
}
