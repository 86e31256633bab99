import CYaml
import Yams

/// Builds a schema file's node tree from libyaml's event stream in one linear pass, bounding it as it goes:
/// how deep it nests and how many nodes aliases expand it to (an alias bomb, "billion laughs", or ten
/// thousand nested brackets would otherwise exhaust memory). An explicit stack instead of recursion, one
/// shared tag for the untagged nodes and a string set for duplicate keys make it several times cheaper than
/// composing with Yams, which also read the file twice (once more here for the limits).
///
/// The tree is Yams' `Node`, so the parsers read it as before. Plain scalars are left untyped (the loader
/// types them itself): no implicit tag resolution.
enum YAMLComposer {
    static let maxDepth = 64
    /// Values that aliases may add on top of what is written out (the file size bounds the rest).
    static let maxAliasExpansion = 100_000

    /// The first problem of the text, located (line and column start at 1; 0 when libyaml gives no place).
    struct Failure: Error {
        let line: Int
        let column: Int
        let message: String
    }

    /// The tree of the text's single document, nil when the text holds none.
    static func compose(_ text: String) throws(Failure) -> Node? {
        var text = text
        var outcome: Result<Node?, Failure> = .success(nil)
        text.withUTF8 { bytes in
            var composition = Composition()
            outcome = composition.run(bytes)
        }
        return try outcome.get()
    }

    /// Yams keeps `Mark`'s initialiser internal, so a tree built outside Yams makes its positions from the
    /// struct's two stored integers, line then column; `YAMLComposerTests` pins that layout against the
    /// resolved Yams version.
    static func mark(line: Int, column: Int) -> Mark {
        unsafeBitCast(MarkLayout(line: line, column: column), to: Mark.self)
    }

    struct MarkLayout {
        let line: Int
        let column: Int
    }

    /// One collection being read: its nodes so far (a mapping's keys and values alternate).
    private struct OpenCollection {
        let isMapping: Bool
        let tag: Tag
        let mark: Mark
        let anchor: String?
        let mappingStyle: Node.Mapping.Style
        let sequenceStyle: Node.Sequence.Style
        var nodes: [Node] = []
        /// Expanded nodes inside it, itself included: what an alias of it adds.
        var size = 1
    }

    private struct Composition {
        /// One tag object for every untagged node of a kind (Yams makes one per node). A tag remembers what it
        /// resolved to, so scalars, mappings and sequences each need their own.
        let untaggedScalar = Tag(.implicit, .basic, .default)
        let untaggedMapping = Tag(.implicit, .basic, .default)
        let untaggedSequence = Tag(.implicit, .basic, .default)

        var stack: [OpenCollection] = []
        var anchors: [String: (node: Node, size: Int)] = [:]
        var expandedByAliases = 0
        var root: Node?
        var documents = 0

        mutating func run(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<Node?, Failure> {
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                return .failure(Failure(line: 0, column: 0, message: "invalid YAML: out of memory"))
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return .failure(Self.syntaxFailure(parser)) }
                defer { yaml_event_delete(&event) }
                do {
                    if try !handle(&event) { return .success(root) }
                } catch {
                    return .failure(error)
                }
            }
        }

        /// Takes one event into the tree; false at the end of the stream.
        mutating func handle(_ event: inout yaml_event_t) throws(Failure) -> Bool {
            let mark = YAMLComposer.mark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return false
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    throw Failure(
                        line: mark.line, column: mark.column,
                        message:
                            "invalid YAML: expected a single document in the stream but found another document")
                }
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                let value = String(
                    decoding: UnsafeBufferPointer(start: scalar.value, count: Int(scalar.length)), as: UTF8.self)
                let style = Node.Scalar.Style(rawValue: scalar.style.rawValue) ?? .any
                let node = Node.scalar(Node.Scalar(value, tag(scalar.tag, untagged: untaggedScalar), style, mark))
                if let anchor = scalar.anchor { anchors[String(cString: anchor)] = (node, 1) }
                try add(node, size: 1, at: mark)
            case YAML_ALIAS_EVENT:
                let name = String(cString: event.data.alias.anchor)
                guard let (node, size) = anchors[name] else {
                    throw Failure(line: mark.line, column: mark.column, message: "invalid YAML: found undefined alias")
                }
                expandedByAliases += size
                if expandedByAliases > YAMLComposer.maxAliasExpansion {
                    throw Failure(
                        line: mark.line, column: mark.column,
                        message:
                            "aliases expand the document by more than \(YAMLComposer.maxAliasExpansion) values; "
                            + "a schema file never needs that")
                }
                try add(node, size: size, at: mark)
            case YAML_SEQUENCE_START_EVENT:
                let start = event.data.sequence_start
                try open(
                    OpenCollection(
                        isMapping: false, tag: tag(start.tag, untagged: untaggedSequence), mark: mark,
                        anchor: start.anchor.map { String(cString: $0) }, mappingStyle: .any,
                        sequenceStyle: Node.Sequence.Style(rawValue: start.style.rawValue) ?? .any))
            case YAML_MAPPING_START_EVENT:
                let start = event.data.mapping_start
                try open(
                    OpenCollection(
                        isMapping: true, tag: tag(start.tag, untagged: untaggedMapping), mark: mark,
                        anchor: start.anchor.map { String(cString: $0) },
                        mappingStyle: Node.Mapping.Style(rawValue: start.style.rawValue) ?? .any,
                        sequenceStyle: .any))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                try close()
            default:
                break
            }
            return true
        }

        mutating func open(_ collection: OpenCollection) throws(Failure) {
            stack.append(collection)
            if stack.count > YAMLComposer.maxDepth {
                throw Failure(
                    line: collection.mark.line, column: collection.mark.column,
                    message:
                        "the document nests deeper than \(YAMLComposer.maxDepth) levels; a schema file never needs that"
                )
            }
        }

        mutating func close() throws(Failure) {
            let closed = stack.removeLast()
            let node: Node
            if closed.isMapping {
                try Self.checkDuplicateKeys(closed.nodes)
                var pairs: [(Node, Node)] = []
                pairs.reserveCapacity(closed.nodes.count / 2)
                var index = 0
                while index + 1 < closed.nodes.count {
                    pairs.append((closed.nodes[index], closed.nodes[index + 1]))
                    index += 2
                }
                node = .mapping(Node.Mapping(pairs, closed.tag, closed.mappingStyle, closed.mark))
            } else {
                node = .sequence(Node.Sequence(closed.nodes, closed.tag, closed.sequenceStyle, closed.mark))
            }
            if let anchor = closed.anchor { anchors[anchor] = (node, closed.size) }
            try add(node, size: closed.size, at: closed.mark)
        }

        /// Appends a finished node to the collection it belongs to (or makes it the root).
        mutating func add(_ node: Node, size: Int, at mark: Mark) throws(Failure) {
            guard !stack.isEmpty else {
                root = node
                return
            }
            stack[stack.count - 1].nodes.append(node)
            stack[stack.count - 1].size += size
        }

        /// Names every key written twice in one mapping, placed at the first occurrence of the first of them.
        static func checkDuplicateKeys(_ nodes: [Node]) throws(Failure) {
            guard nodes.count > 2 else { return }
            var seen: [String: Mark] = [:]
            var duplicates: [String: Mark] = [:]
            var index = 0
            while index < nodes.count {
                if case .scalar(let key) = nodes[index] {
                    if let first = seen[key.string] {
                        duplicates[key.string] = first
                    } else {
                        seen[key.string] = key.mark
                    }
                }
                index += 2
            }
            guard !duplicates.isEmpty else { return }
            let names = duplicates.keys.sorted()
            let mark = duplicates[names[0]] ?? YAMLComposer.mark(line: 0, column: 0)
            throw Failure(
                line: mark.line, column: mark.column,
                message: "duplicate key \(names.map { "'\($0)'" }.joined(separator: ", ")) in a mapping")
        }

        func tag(_ name: UnsafeMutablePointer<yaml_char_t>?, untagged: Tag) -> Tag {
            guard let name else { return untagged }
            return Tag(Tag.Name(rawValue: String(cString: name)), .basic, .default)
        }

        /// libyaml's own words for what is wrong and where.
        static func syntaxFailure(_ parser: yaml_parser_t) -> Failure {
            func text(_ pointer: UnsafePointer<CChar>?) -> String? { pointer.map { String(cString: $0) } }
            switch parser.error {
            case YAML_SCANNER_ERROR, YAML_PARSER_ERROR:
                let context = text(parser.context).map { "\($0) " } ?? ""
                return Failure(
                    line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1,
                    message: "invalid YAML: \(context)\(text(parser.problem) ?? "syntax error")")
            case YAML_MEMORY_ERROR:
                return Failure(line: 0, column: 0, message: "invalid YAML: out of memory")
            default:
                return Failure(
                    line: 0, column: 0, message: "invalid YAML: \(text(parser.problem) ?? "unreadable input")")
            }
        }
    }
}
