import XCTest

@testable import ReconcileCore

/// The differ on in-memory schemas: what changes it lists, in what order, and what it leaves alone.
final class DifferTests: XCTestCase {
    private let users = QualifiedName(schema: "public", name: "users")
    private let orders = QualifiedName(schema: "public", name: "orders")

    private func usersTable(_ edit: (inout Table) -> Void = { _ in }) -> Table {
        var table = Table(
            name: users,
            columns: [
                Column(name: "id", type: "bigint", isNullable: false, identity: .always),
                Column(name: "email", type: "text", isNullable: false),
                Column(name: "score", type: "integer", isNullable: false, defaultValue: .literal(.number("0"))),
                Column(
                    name: "created_at", type: "timestamp with time zone", isNullable: false,
                    defaultValue: .expression("now()")),
            ],
            primaryKey: PrimaryKey(name: "users_pkey", columns: ["id"]),
            uniqueConstraints: [UniqueConstraint(name: "users_email_key", columns: ["email"])],
            checks: [CheckConstraint(name: "users_score_check", expression: "CHECK ((score >= 0))")],
            indexes: [Index(name: "users_created_at_idx", keys: [.column("created_at")])])
        edit(&table)
        return table
    }

    private func ordersTable(_ edit: (inout Table) -> Void = { _ in }) -> Table {
        var table = Table(
            name: orders,
            columns: [
                Column(name: "id", type: "bigint", isNullable: false),
                Column(name: "user_id", type: "bigint", isNullable: false),
            ],
            primaryKey: PrimaryKey(name: "orders_pkey", columns: ["id"]),
            foreignKeys: [
                ForeignKey(
                    name: "orders_user_id_fkey", columns: ["user_id"], referencedTable: users,
                    referencedColumns: ["id"], onDelete: .cascade)
            ])
        edit(&table)
        return table
    }

    // MARK: - Nothing to do

    func testIdenticalSchemasHaveNoChanges() {
        XCTAssertEqual(diffKinds(desired: [usersTable(), ordersTable()], live: [usersTable(), ordersTable()]), [])
    }

    func testEmptySchemasHaveNoChanges() {
        XCTAssertEqual(diffKinds(desired: [], live: []), [])
    }

    // MARK: - Schemas and tables

    func testMissingSchemaIsCreatedBeforeItsTable() {
        let invoices = Table(
            name: QualifiedName(schema: "billing", name: "invoices"),
            columns: [Column(name: "id", type: "integer")])
        XCTAssertEqual(
            diffKinds(desired: [invoices], live: [], desiredSchemas: ["extra"]),
            [
                .schema(.createSchema("billing")),
                .schema(.createSchema("extra")),
                .table(.createTable(invoices, inlineForeignKeys: [])),
            ])
    }

    func testMissingTableIsCreatedWithItsIndexes() {
        let table = usersTable()
        XCTAssertEqual(
            diffKinds(desired: [table], live: []),
            [
                .table(.createTable(table, inlineForeignKeys: [])),
                .index(.createIndex(users, Index(name: "users_created_at_idx", keys: [.column("created_at")]))),
            ])
    }

    func testCreationOrderPutsReferencedTablesFirstAndInlinesTheirForeignKeys() {
        // "orders" sorts before "users" by name but references it, so users is created first.
        let ordersT = ordersTable(), usersT = usersTable()
        XCTAssertEqual(
            diffKinds(desired: [ordersT, usersT], live: []),
            [
                .table(.createTable(usersT, inlineForeignKeys: [])),
                .index(.createIndex(users, usersT.indexes[0])),
                .table(.createTable(ordersT, inlineForeignKeys: ordersT.foreignKeys)),
            ])
    }

    func testForeignKeyToAnExistingTableIsInlined() {
        let ordersT = ordersTable()
        XCTAssertEqual(
            diffKinds(desired: [ordersT, usersTable()], live: [usersTable()]),
            [
                .table(.createTable(ordersT, inlineForeignKeys: ordersT.foreignKeys))
            ])
    }

    func testSelfReferenceIsInlined() {
        let self_ = Table(
            name: QualifiedName(name: "nodes"),
            columns: [Column(name: "id", type: "integer", isNullable: false), Column(name: "parent", type: "integer")],
            primaryKey: PrimaryKey(name: "nodes_pkey", columns: ["id"]),
            foreignKeys: [
                ForeignKey(
                    name: "nodes_parent_fkey", columns: ["parent"],
                    referencedTable: QualifiedName(name: "nodes"), referencedColumns: ["id"])
            ])
        XCTAssertEqual(
            diffKinds(desired: [self_], live: []), [.table(.createTable(self_, inlineForeignKeys: self_.foreignKeys))])
    }

    func testForeignKeyCycleIsBrokenByALaterForeignKey() {
        let aName = QualifiedName(name: "a"), bName = QualifiedName(name: "b")
        let aToB = ForeignKey(name: "a_b_id_fkey", columns: ["b_id"], referencedTable: bName, referencedColumns: ["id"])
        let bToA = ForeignKey(name: "b_a_id_fkey", columns: ["a_id"], referencedTable: aName, referencedColumns: ["id"])
        let a = Table(
            name: aName,
            columns: [Column(name: "id", type: "integer", isNullable: false), Column(name: "b_id", type: "integer")],
            primaryKey: PrimaryKey(name: "a_pkey", columns: ["id"]), foreignKeys: [aToB])
        let b = Table(
            name: bName,
            columns: [Column(name: "id", type: "integer", isNullable: false), Column(name: "a_id", type: "integer")],
            primaryKey: PrimaryKey(name: "b_pkey", columns: ["id"]), foreignKeys: [bToA])
        XCTAssertEqual(
            diffKinds(desired: [b, a], live: []),
            [
                .table(.createTable(a, inlineForeignKeys: [])),
                .constraint(.addForeignKey(aName, aToB)),
                .table(.createTable(b, inlineForeignKeys: [bToA])),
            ])
        // Planned, the cycle-breaking key comes after both tables exist.
        let plan = Planner.plan(
            Differ(desired: Schema(tables: [a, b]), live: Schema(schemaNames: ["public"])).changes(),
            allowDestructive: false)
        XCTAssertEqual(
            plan.steps.map(\.change.kind),
            [
                .table(.createTable(a, inlineForeignKeys: [])),
                .table(.createTable(b, inlineForeignKeys: [bToA])),
                .constraint(.addForeignKey(aName, aToB)),
            ])
    }

    func testCreationOrderFollowsAChainOfReferences() {
        func table(_ name: String, references target: String?) -> Table {
            Table(
                name: QualifiedName(name: name), columns: [Column(name: "id", type: "integer", isNullable: false)],
                primaryKey: PrimaryKey(name: "\(name)_pkey", columns: ["id"]),
                foreignKeys: target.map {
                    [
                        ForeignKey(
                            name: "\(name)_id_fkey", columns: ["id"],
                            referencedTable: QualifiedName(name: $0), referencedColumns: ["id"])
                    ]
                } ?? [])
        }
        // a -> b -> c -> d: name order is the reverse of creation order.
        let tables = [
            table("a", references: "b"), table("b", references: "c"), table("c", references: "d"),
            table("d", references: nil),
        ]
        XCTAssertEqual(Differ.creationOrder(tables).map(\.name.name), ["d", "c", "b", "a"])
    }

    func testExtraTableIsDroppedDestructively() {
        let changes = Differ(
            desired: Schema(tables: [usersTable()]), live: Schema(tables: [usersTable(), ordersTable()])
        ).changes()
        XCTAssertEqual(changes.map(\.kind), [.table(.dropTable(orders))])
        XCTAssertEqual(changes.map(\.isDestructive), [true])
    }

    func testExtraTablesAreDroppedReferencingTablesFirst() {
        let archive = QualifiedName(name: "archive")
        let zArchive = Table(
            name: archive, columns: [Column(name: "order_id", type: "bigint")],
            foreignKeys: [
                ForeignKey(
                    name: "archive_order_id_fkey", columns: ["order_id"],
                    referencedTable: orders, referencedColumns: ["id"])
            ])
        XCTAssertEqual(
            diffKinds(desired: [usersTable()], live: [usersTable(), ordersTable(), zArchive]),
            [
                .table(.dropTable(archive)), .table(.dropTable(orders)),
            ])
    }

    func testTablesOutsideTheDesiredSchemasAreIgnored() {
        let foreign = Table(
            name: QualifiedName(schema: "audit", name: "log"), columns: [Column(name: "id", type: "integer")])
        XCTAssertEqual(
            diffKinds(desired: [usersTable()], live: [usersTable(), foreign], liveSchemas: ["audit", "public"]), [])
    }

    // MARK: - Columns

    func testMissingColumnIsAdded() {
        let desired = usersTable { $0.columns.append(Column(name: "nickname", type: "text")) }
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [usersTable()]),
            [
                .column(.addColumn(users, Column(name: "nickname", type: "text")))
            ])
    }

    func testExtraColumnIsDroppedDestructively() {
        let live = usersTable { $0.columns.append(Column(name: "legacy", type: "text")) }
        let changes = Differ(desired: Schema(tables: [usersTable()]), live: Schema(tables: [live])).changes()
        XCTAssertEqual(changes.map(\.kind), [.column(.dropColumn(users, column: "legacy"))])
        XCTAssertEqual(changes.map(\.isDestructive), [true])
    }

    /// Storage and compression are compared against the type's default (nil), set and reset in the catalog (no
    /// rewrite), and a declared one is set again after a type change, which resets the column's.
    func testStorageAndCompressionAreSetResetAndKeptAcrossATypeChange() {
        let desired = usersTable {
            $0.columns[1].storage = .external
            $0.columns[1].compression = .lz4
            $0.columns[2].type = "bigint"
            $0.columns[2].storage = .plain
        }
        let live = usersTable {
            $0.columns[2].storage = .plain
            $0.columns[3].compression = .pglz
        }
        let changes = Differ(desired: Schema(tables: [desired]), live: Schema(tables: [live])).changes()
        let storage = changes.filter {
            if case .column(.setStorage) = $0.kind { return true }
            if case .column(.setCompression) = $0.kind { return true }
            return false
        }
        XCTAssertEqual(
            storage.map(\.kind),
            [
                .column(.setStorage(users, column: "email", .external)),
                .column(.setCompression(users, column: "email", .lz4)),
                .column(.setStorage(users, column: "score", .plain)),
                .column(.setCompression(users, column: "created_at", nil)),
            ])
        XCTAssertEqual(
            storage.flatMap(\.statements).filter { !$0.hasPrefix("DO ") },
            [
                "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"email\" SET STORAGE EXTERNAL",
                "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"email\" SET COMPRESSION lz4",
                "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"score\" SET STORAGE PLAIN",
                "ALTER TABLE \"public\".\"users\" ALTER COLUMN \"created_at\" SET COMPRESSION DEFAULT",
            ])
        // No rewrite: only the brief ACCESS EXCLUSIVE lock (which PostgreSQL takes for both).
        XCTAssertEqual(Set(storage.flatMap(\.hazards)), [.accessExclusiveLock])
        XCTAssertFalse(storage.contains(where: \.isDestructive))
        // Back to the type's default storage: looked up when it runs (SET STORAGE DEFAULT is PostgreSQL 16+).
        let reset = Differ(desired: Schema(tables: [usersTable()]), live: Schema(tables: [desired])).changes()
            .filter { if case .column(.setStorage) = $0.kind { return true } else { return false } }
        XCTAssertEqual(
            reset.map(\.kind),
            [.column(.setStorage(users, column: "email", nil)), .column(.setStorage(users, column: "score", nil))])
        XCTAssertTrue(reset.first?.statements.first?.contains("t.typstorage") ?? false)
    }

    func testTypeChangeUsesTheLiveTypeAsFrom() {
        let desired = usersTable { $0.columns[2].type = "bigint" }
        let kinds = diffKinds(desired: [desired], live: [usersTable()])
        // The live default is dropped before the type changes and set again after (it may not convert).
        XCTAssertEqual(
            kinds,
            [
                .column(.dropDefault(users, column: "score")),
                alterTypeKind(users, "score", from: "integer", to: "bigint"),
                .column(.setDefault(users, column: "score", .literal(.number("0")), type: "bigint")),
            ])
        let change = caseFields(kinds[1])
        XCTAssertEqual(change.name, "alterColumnType")
        XCTAssertEqual(change.fields[".0"], "public.users")
        XCTAssertEqual(change.fields["column"], "score")
        XCTAssertEqual(change.fields["from"], "integer")
        XCTAssertEqual(change.fields["to"], "bigint")
    }

    func testTypeComparesTheCanonicalSpellingButRendersTheDeclaredOne() {
        // Declared `int`, which the server spells `integer`: no change when canonical says integer.
        let declared = usersTable { $0.columns[2].type = "int" }
        XCTAssertEqual(
            diffKinds(desired: [declared], live: [usersTable()], canonical: Schema(tables: [usersTable()])), [])
        // Without the canonical schema the spellings differ; the statement uses the declared spelling.
        let kinds = diffKinds(desired: [declared], live: [usersTable()])
        XCTAssertEqual(
            kinds,
            [
                .column(.dropDefault(users, column: "score")),
                alterTypeKind(users, "score", from: "integer", to: "int"),
                .column(.setDefault(users, column: "score", .literal(.number("0")), type: "int")),
            ])
        XCTAssertEqual(caseFields(kinds[1]).fields["from"], "integer")
        XCTAssertEqual(caseFields(kinds[1]).fields["to"], "int")
    }

    func testDefaultSetChangedAndDropped() {
        let changed = usersTable { $0.columns[2].defaultValue = .literal(.number("5")) }
        XCTAssertEqual(
            diffKinds(desired: [changed], live: [usersTable()]),
            [
                .column(.setDefault(users, column: "score", .literal(.number("5")), type: "integer"))
            ])
        let noDefaultLive = usersTable { $0.columns[2].defaultValue = nil }
        XCTAssertEqual(
            diffKinds(desired: [usersTable()], live: [noDefaultLive]),
            [
                .column(.setDefault(users, column: "score", .literal(.number("0")), type: "integer"))
            ])
        XCTAssertEqual(
            diffKinds(desired: [noDefaultLive], live: [usersTable()]), [.column(.dropDefault(users, column: "score"))])
    }

    func testNullabilityChanges() {
        let nullable = usersTable { $0.columns[1].isNullable = true }
        XCTAssertEqual(
            diffKinds(desired: [nullable], live: [usersTable()]), [.column(.dropNotNull(users, column: "email"))])
        let kinds = diffKinds(desired: [usersTable()], live: [nullable])
        XCTAssertEqual(kinds, [setNotNullKind(users, "email", type: "text")])
        XCTAssertEqual(caseFields(kinds[0]).name, "setNotNull")
        XCTAssertEqual(caseFields(kinds[0]).fields[".0"], "public.users")
        XCTAssertEqual(caseFields(kinds[0]).fields["column"], "email")
    }

    func testIdentityAddedDroppedAndChanged() {
        let plain = usersTable { $0.columns[0].identity = nil }
        XCTAssertEqual(
            diffKinds(desired: [usersTable()], live: [plain]), [.column(.addIdentity(users, column: "id", .always))])
        XCTAssertEqual(diffKinds(desired: [plain], live: [usersTable()]), [.column(.dropIdentity(users, column: "id"))])
        let byDefault = usersTable { $0.columns[0].identity = .byDefault }
        XCTAssertEqual(
            diffKinds(desired: [byDefault], live: [usersTable()]),
            [.column(.setIdentity(users, column: "id", .byDefault))])
    }

    func testIdentityAndSerialColumnsIgnoreDefaults() {
        // The live side of an identity or serial column has a sequence default the YAML never declares.
        let serialDesired = usersTable {
            $0.columns[2] = Column(name: "score", type: "integer", isNullable: false, isSerial: true)
        }
        let serialLive = usersTable {
            $0.columns[2] = Column(
                name: "score", type: "integer", isNullable: false,
                defaultValue: .expression("nextval('users_score_seq'::regclass)"), isSerial: true)
        }
        XCTAssertEqual(diffKinds(desired: [serialDesired], live: [serialLive]), [])
    }

    /// `ALTER COLUMN ... ADD GENERATED ... AS IDENTITY` fails on a nullable column
    /// ("must be declared NOT NULL before identity can be added"), so SET NOT NULL has to come first.
    func testNotNullIsSetBeforeIdentityIsAdded() {
        let live = usersTable {
            $0.columns[0].identity = nil; $0.columns[0].isNullable = true; $0.primaryKey = nil
        }
        let desired = usersTable { $0.primaryKey = nil }
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [live]),
            [
                setNotNullKind(users, "id", type: "bigint"),
                .column(.addIdentity(users, column: "id", .always)),
            ])
    }

    /// PostgreSQL refuses to add an identity to a column that has a default
    /// ("column ... already has a default value"); the differ must drop the live default first.
    func testLiveDefaultIsDroppedBeforeIdentityIsAdded() {
        let live = usersTable {
            $0.columns[0].identity = nil; $0.columns[0].defaultValue = .literal(.number("1"))
        }
        XCTAssertEqual(
            diffKinds(desired: [usersTable()], live: [live]),
            [
                .column(.dropDefault(users, column: "id")),
                .column(.addIdentity(users, column: "id", .always)),
            ])
    }

    // MARK: - Constraints

    func testMissingConstraintsAreAdded() {
        let bare = usersTable {
            $0.primaryKey = nil; $0.uniqueConstraints = []; $0.checks = []
        }
        let desired = usersTable()
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [bare]),
            [
                .constraint(.addPrimaryKey(users, desired.primaryKey!)),
                .constraint(.addUnique(users, desired.uniqueConstraints[0])),
                .constraint(.addCheck(users, desired.checks[0])),
            ])
        let ordersBare = ordersTable { $0.foreignKeys = [] }
        XCTAssertEqual(
            diffKinds(desired: [usersTable(), ordersTable()], live: [usersTable(), ordersBare]),
            [
                .constraint(.addForeignKey(orders, ordersTable().foreignKeys[0]))
            ])
    }

    func testChangedCheckIsReplaced() {
        let check = CheckConstraint(name: "users_score_check", expression: "CHECK ((score > 0))")
        let desired = usersTable { $0.checks = [check] }
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [usersTable()]),
            [
                .constraint(.dropConstraint(users, name: "users_score_check", replaced: true)),
                .constraint(.addCheck(users, check)),
            ])
    }

    func testChangedForeignKeyActionIsReplaced() {
        let desired = ordersTable { $0.foreignKeys[0].onDelete = .restrict }
        XCTAssertEqual(
            diffKinds(desired: [usersTable(), desired], live: [usersTable(), ordersTable()]),
            [
                .constraint(.dropConstraint(orders, name: "orders_user_id_fkey", replaced: true)),
                .constraint(.addForeignKey(orders, desired.foreignKeys[0])),
            ])
    }

    func testChangedPrimaryKeyAndUniqueColumnsAreReplaced() {
        let desired = usersTable {
            $0.primaryKey = PrimaryKey(name: "users_pkey", columns: ["id", "email"])
            $0.uniqueConstraints = [UniqueConstraint(name: "users_email_key", columns: ["email", "score"])]
        }
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [usersTable()]),
            [
                .constraint(.dropConstraint(users, name: "users_pkey", replaced: true)),
                .constraint(.addPrimaryKey(users, desired.primaryKey!)),
                .constraint(.dropConstraint(users, name: "users_email_key", replaced: true)),
                .constraint(.addUnique(users, desired.uniqueConstraints[0])),
            ])
    }

    /// INCLUDE columns are part of a key's definition: changed, the key is replaced (a foreign key that references
    /// a replaced primary key goes and comes back with it, as for changed columns).
    func testChangedKeyIncludeColumnsReplaceTheKey() {
        let desired = usersTable {
            $0.primaryKey?.index = KeyIndexOptions(include: ["email"], storageParameters: [])
            $0.uniqueConstraints[0].index = KeyIndexOptions(include: ["score"], storageParameters: [])
        }
        XCTAssertEqual(
            diffKinds(desired: [desired, ordersTable()], live: [usersTable(), ordersTable()]),
            [
                .constraint(.dropConstraint(orders, name: "orders_user_id_fkey", replaced: true)),
                .constraint(.dropConstraint(users, name: "users_pkey", replaced: true)),
                .constraint(.addPrimaryKey(users, desired.primaryKey!)),
                .constraint(.dropConstraint(users, name: "users_email_key", replaced: true)),
                .constraint(.addUnique(users, desired.uniqueConstraints[0])),
                .constraint(.addForeignKey(orders, ordersTable().foreignKeys[0])),
            ])
    }

    /// Storage parameters alone change on the key's index in place: set what differs, reset what is no longer
    /// declared; equal parameters in another order are no change.
    func testChangedKeyStorageParametersAreSetInPlace() {
        func parameters(_ pairs: [(String, String)]) -> [StorageParameter] {
            pairs.map { StorageParameter(name: $0.0, value: $0.1) }
        }
        let live = usersTable {
            $0.primaryKey?.index = KeyIndexOptions(
                include: ["email"], storageParameters: parameters([("fillfactor", "70"), ("deduplicate_items", "off")]))
            $0.uniqueConstraints[0].index = KeyIndexOptions(
                include: [], storageParameters: parameters([("fillfactor", "80"), ("deduplicate_items", "off")]))
        }
        let desired = usersTable {
            $0.primaryKey?.index = KeyIndexOptions(
                include: ["email"], storageParameters: parameters([("fillfactor", "60")]))
            $0.uniqueConstraints[0].index = KeyIndexOptions(
                include: [], storageParameters: parameters([("deduplicate_items", "off"), ("fillfactor", "80")]))
        }
        let changes = Differ(desired: Schema(tables: [desired]), live: Schema(tables: [live])).changes()
        XCTAssertEqual(
            changes.map(\.kind),
            [
                .constraint(
                    .setKeyStorageParameters(
                        users, constraint: "users_pkey", set: parameters([("fillfactor", "60")]),
                        reset: ["deduplicate_items"]))
            ])
        XCTAssertEqual(
            changes.flatMap(\.statements),
            [
                "ALTER INDEX \"public\".\"users_pkey\" SET (fillfactor='60')",
                "ALTER INDEX \"public\".\"users_pkey\" RESET (deduplicate_items)",
            ])
        XCTAssertEqual(changes.map(\.isDestructive), [false])
        XCTAssertEqual(changes.map(\.lock), [TableLock.none])
    }

    func testKeyClausesCarryIncludeAndWithBeforeTheDeferral() {
        var key = PrimaryKey(
            name: "users_pkey", columns: ["id"], deferral: .deferrable,
            index: KeyIndexOptions(
                include: ["Email"], storageParameters: [StorageParameter(name: "fillfactor", value: "70")]))
        XCTAssertEqual(
            SQLRenderer.primaryKeyClause(key),
            "PRIMARY KEY (\"id\") INCLUDE (\"Email\") WITH (fillfactor='70') DEFERRABLE")
        key.index = nil
        XCTAssertEqual(SQLRenderer.primaryKeyClause(key), "PRIMARY KEY (\"id\") DEFERRABLE")
        let unique = UniqueConstraint(
            name: "u", columns: ["a"], nullsNotDistinct: true,
            index: KeyIndexOptions(include: ["b"], storageParameters: []))
        XCTAssertEqual(SQLRenderer.uniqueClause(unique), "UNIQUE NULLS NOT DISTINCT (\"a\") INCLUDE (\"b\")")
    }

    func testSameDefinitionUnderAnotherNameIsRenamed() {
        let live = usersTable {
            $0.uniqueConstraints = [UniqueConstraint(name: "email_uq", columns: ["email"])]
            $0.checks = [CheckConstraint(name: "score_positive", expression: "CHECK ((score >= 0))")]
        }
        let changes = Differ(desired: Schema(tables: [usersTable()]), live: Schema(tables: [live])).changes()
        XCTAssertEqual(
            changes.map(\.kind),
            [
                .constraint(.renameConstraint(users, from: "email_uq", to: "users_email_key")),
                .constraint(.renameConstraint(users, from: "score_positive", to: "users_score_check")),
            ])
        XCTAssertEqual(changes.map(\.isDestructive), [false, false])
    }

    func testForeignKeyUnderAnotherNameIsRenamed() {
        let live = ordersTable { $0.foreignKeys[0].name = "fk_orders_users" }
        XCTAssertEqual(
            diffKinds(desired: [usersTable(), ordersTable()], live: [usersTable(), live]),
            [
                .constraint(.renameConstraint(orders, from: "fk_orders_users", to: "orders_user_id_fkey"))
            ])
        // Another name and another action: not the same key, so drop the old one and add the new one.
        let otherAction = ordersTable {
            $0.foreignKeys[0].name = "fk_orders_users"; $0.foreignKeys[0].onDelete = .noAction
        }
        XCTAssertEqual(
            diffKinds(desired: [usersTable(), ordersTable()], live: [usersTable(), otherAction]),
            [
                .constraint(.addForeignKey(orders, ordersTable().foreignKeys[0])),
                .constraint(.dropConstraint(orders, name: "fk_orders_users", replaced: false)),
            ])
    }

    func testAUniqueConstraintIsNotRenamedIntoACheck() {
        // Same columns text, different kinds: the signatures must not match across kinds.
        let live = usersTable {
            $0.uniqueConstraints = []; $0.primaryKey = PrimaryKey(name: "other_pkey", columns: ["email"])
        }
        let desired = usersTable { $0.primaryKey = nil }
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [live]),
            [
                .constraint(.addUnique(users, desired.uniqueConstraints[0])),
                .constraint(.dropConstraint(users, name: "other_pkey", replaced: false)),
            ])
    }

    func testExtraConstraintIsDroppedDestructively() {
        let live = usersTable {
            $0.checks.append(CheckConstraint(name: "legacy_check", expression: "CHECK ((id > 0))"))
        }
        let changes = Differ(desired: Schema(tables: [usersTable()]), live: Schema(tables: [live])).changes()
        XCTAssertEqual(
            changes.map(\.kind), [.constraint(.dropConstraint(users, name: "legacy_check", replaced: false))])
        XCTAssertEqual(changes.map(\.isDestructive), [true])
        XCTAssertEqual(changes.map(\.marker), [.remove])
    }

    // MARK: - Indexes

    func testMissingIndexIsCreated() {
        let index = Index(name: "users_email_idx", keys: [.column("email")], method: "hash")
        let desired = usersTable { $0.indexes.append(index) }
        XCTAssertEqual(diffKinds(desired: [desired], live: [usersTable()]), [.index(.createIndex(users, index))])
    }

    func testChangedIndexIsReplaced() {
        let index = Index(name: "users_created_at_idx", keys: [.column("created_at")], predicate: "score > 0")
        let desired = usersTable { $0.indexes = [index] }
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [usersTable()]),
            [
                .index(.dropIndex(users, name: "users_created_at_idx", replaced: true)),
                .index(.createIndex(users, index)),
            ])
    }

    func testUniquenessIsPartOfTheIndexDefinition() {
        let unique = Index(name: "users_created_at_idx", keys: [.column("created_at")], isUnique: true)
        let desired = usersTable { $0.indexes = [unique] }
        XCTAssertEqual(
            diffKinds(desired: [desired], live: [usersTable()]),
            [
                .index(.dropIndex(users, name: "users_created_at_idx", replaced: true)),
                .index(.createIndex(users, unique)),
            ])
    }

    func testSameIndexUnderAnotherNameIsRenamed() {
        let live = usersTable { $0.indexes = [Index(name: "old_name", keys: [.column("created_at")])] }
        XCTAssertEqual(
            diffKinds(desired: [usersTable()], live: [live]),
            [
                .index(.renameIndex(users, from: "old_name", to: "users_created_at_idx"))
            ])
    }

    func testExtraIndexIsDroppedDestructively() {
        let live = usersTable { $0.indexes.append(Index(name: "users_score_idx", keys: [.column("score")])) }
        let changes = Differ(desired: Schema(tables: [usersTable()]), live: Schema(tables: [live])).changes()
        XCTAssertEqual(changes.map(\.kind), [.index(.dropIndex(users, name: "users_score_idx", replaced: false))])
        XCTAssertEqual(changes.map(\.isDestructive), [true])
    }

    func testIndexesCompareByCanonicalDefinitionWhenSet() {
        // The server's text for an expression index differs from what reconcile would render.
        let declared = Index(name: "users_lower_idx", keys: [.expression("lower(email)")])
        var canonicalIndex = declared
        canonicalIndex.canonicalDefinition = "USING btree (lower(email))"
        let desired = usersTable { $0.indexes = [declared] }
        let canonical = usersTable { $0.indexes = [canonicalIndex] }
        let live = usersTable { $0.indexes = [canonicalIndex] }
        XCTAssertEqual(diffKinds(desired: [desired], live: [live], canonical: Schema(tables: [canonical])), [])

        // A live index whose canonical text differs is replaced, with the declared index re-created.
        var otherLive = canonicalIndex
        otherLive.canonicalDefinition = "USING btree (upper(email))"
        XCTAssertEqual(
            diffKinds(
                desired: [desired], live: [usersTable { $0.indexes = [otherLive] }],
                canonical: Schema(tables: [canonical])),
            [
                .index(.dropIndex(users, name: "users_lower_idx", replaced: true)),
                .index(.createIndex(users, declared)),
            ])
    }

    func testIndexesWithoutCanonicalTextCompareByRenderedDefinition() {
        var live = Index(name: "users_created_at_idx", keys: [.column("created_at")])
        live.canonicalDefinition = SQLRenderer.indexDefinitionTail(live)
        XCTAssertEqual(diffKinds(desired: [usersTable()], live: [usersTable { $0.indexes = [live] }]), [])
    }

    // MARK: - Seeds

    private func seededUsers(mode: Seed.Mode) -> Table {
        usersTable {
            $0.seed = Seed(
                mode: mode, key: ["id"],
                rows: [
                    SeedRow(values: [("id", .number("1")), ("email", .string("a@example.com"))]),
                    SeedRow(values: [("id", .number("2")), ("email", .string("b@example.com"))]),
                    SeedRow(values: [("id", .number("3")), ("email", .string("c@example.com"))]),
                ])
        }
    }

    func testSeedRowsOfANewTableAreAllInserted() {
        let table = seededUsers(mode: .enforce)
        XCTAssertEqual(
            diffKinds(desired: [table], live: []),
            [
                .table(.createTable(table, inlineForeignKeys: [])),
                .index(.createIndex(users, table.indexes[0])),
                .seed(.seedRows(table, rows: table.seed!.rows, mode: .enforce)),
            ])
    }

    func testSeedWithoutKnownStatesInsertsEveryRow() {
        let table = seededUsers(mode: .insertMissing)
        XCTAssertEqual(
            diffKinds(desired: [table], live: [usersTable()]),
            [
                .seed(.seedRows(table, rows: table.seed!.rows, mode: .insertMissing))
            ])
    }

    func testInsertMissingSeedsOnlyMissingRows() {
        let table = seededUsers(mode: .insertMissing)
        let states: [SeedRowState] = [.matches, .missing, .differs(columns: ["email"])]
        XCTAssertEqual(
            diffKinds(desired: [table], live: [usersTable()], seedStates: [users: states]),
            [
                .seed(.seedRows(table, rows: [table.seed!.rows[1]], mode: .insertMissing))
            ])
    }

    func testEnforceSeedsMissingAndDifferingRows() {
        let table = seededUsers(mode: .enforce)
        let states: [SeedRowState] = [.matches, .missing, .differs(columns: ["email"])]
        XCTAssertEqual(
            diffKinds(desired: [table], live: [usersTable()], seedStates: [users: states]),
            [
                .seed(.seedRows(table, rows: [table.seed!.rows[1], table.seed!.rows[2]], mode: .enforce))
            ])
    }

    func testSeedsThatAllMatchProduceNoChange() {
        for mode in [Seed.Mode.insertMissing, .enforce] {
            let table = seededUsers(mode: mode)
            XCTAssertEqual(
                diffKinds(desired: [table], live: [usersTable()], seedStates: [users: [.matches, .matches, .matches]]),
                [])
        }
        let insertMissing = seededUsers(mode: .insertMissing)
        let differing: [SeedRowState] = [.differs(columns: ["email"]), .matches, .differs(columns: ["email"])]
        XCTAssertEqual(
            diffKinds(desired: [insertMissing], live: [usersTable()], seedStates: [users: differing]), [],
            "insert-missing never overwrites a changed row")
    }

    func testSeedChangesComeAfterTheTablesOwnChanges() {
        let table = seededUsers(mode: .insertMissing)
        let live = usersTable { $0.columns[1].isNullable = true }
        XCTAssertEqual(
            diffKinds(desired: [table], live: [live]),
            [
                setNotNullKind(users, "email", type: "text"),
                .seed(.seedRows(table, rows: table.seed!.rows, mode: .insertMissing)),
            ])
    }

    /// Regression (fixed in 5ef347d): seeds of tables that already existed were emitted in table-name order,
    /// not in foreign-key order, so a child's seeded rows were inserted before the parent rows they reference.
    func testSeedsOfExistingTablesFollowForeignKeyOrder() {
        let parentName = QualifiedName(name: "z_plans"), childName = QualifiedName(name: "a_plan_limits")
        let parent = Table(
            name: parentName, columns: [Column(name: "id", type: "integer", isNullable: false)],
            primaryKey: PrimaryKey(name: "z_plans_pkey", columns: ["id"]),
            seed: Seed(key: ["id"], rows: [SeedRow(values: [("id", .number("1"))])]))
        let child = Table(
            name: childName,
            columns: [Column(name: "plan_id", type: "integer", isNullable: false)],
            primaryKey: PrimaryKey(name: "a_plan_limits_pkey", columns: ["plan_id"]),
            foreignKeys: [
                ForeignKey(
                    name: "a_plan_limits_plan_id_fkey", columns: ["plan_id"],
                    referencedTable: parentName, referencedColumns: ["id"])
            ],
            seed: Seed(key: ["plan_id"], rows: [SeedRow(values: [("plan_id", .number("1"))])]))
        let bare = [
            Table(name: parentName, columns: parent.columns, primaryKey: parent.primaryKey),
            Table(
                name: childName, columns: child.columns, primaryKey: child.primaryKey, foreignKeys: child.foreignKeys),
        ]
        let changes = Differ(desired: Schema(tables: [parent, child]), live: Schema(tables: bare)).changes()
        let plan = Planner.plan(changes, allowDestructive: false)
        XCTAssertEqual(
            plan.steps.map { $0.change.table?.name }, ["z_plans", "a_plan_limits"],
            "the parent's rows must exist before the child's rows reference them")

        // A new child table's rows also wait for an existing parent's missing rows.
        let onlyParentExists = Differ(desired: Schema(tables: [parent, child]), live: Schema(tables: [bare[0]]))
            .changes()
        let seeded = Planner.plan(onlyParentExists, allowDestructive: false).steps.compactMap { step -> String? in
            if case .seed(.seedRows(let table, _, _)) = step.change.kind { return table.name.name }
            return nil
        }
        XCTAssertEqual(seeded, ["z_plans", "a_plan_limits"])
    }
}
