extension Table {
    /// Column sets that are guaranteed unique: the primary key and each unique constraint or plain unique index.
    var uniqueColumnSets: [Set<String>] {
        var sets: [Set<String>] = []
        if let primaryKey { sets.append(Set(primaryKey.columns)) }
        sets += uniqueConstraints.map { Set($0.columns) }
        for index in indexes where index.isUnique && index.predicate == nil {
            let columns = index.keys.compactMap { key -> String? in
                if case .column(let column) = key { return column }
                return nil
            }
            if columns.count == index.keys.count { sets.append(Set(columns)) }
        }
        return sets
    }
}
