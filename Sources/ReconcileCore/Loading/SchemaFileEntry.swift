import Yams

/// One `key: value` entry of a mapping whose key is known.
struct SchemaFileEntry<Key: SchemaFileKey> {
    let key: Key
    let keyNode: Node
    let value: Node
}
