import GRDB
import SQLParser

/// A connection's recent SELECTs over catalog tables (cached tables only), by statement: their translations and
/// prepared SQLite statements, so a repeated query (a dashboard's, a tool's) skips ``SelectTranslator`` and SQLite's
/// compiler. A translation depends only on the statement and on the relations the provider gave for the names it looked
/// up, so a kept one is used only after every one of those names is looked up again and gives the same relation: the
/// provider's privilege checks still run, and a table dropped, recreated or altered since is translated afresh.
/// Literals are part of the statement, so a lookup with a new key each time is translated each time. At most
/// ``limit`` statements of at most ``maxSQLBytes`` are kept: a connection's memory stays bounded whatever it sends.
struct TranslationCache {
    final class Entry {
        let lookups: [(name: QualifiedName, relation: Relation)]
        let translated: SelectTranslator.Translated
        /// Prepared on the engine's database; used only inside its queue.
        let statement: GRDB.Statement
        init(lookups: [(name: QualifiedName, relation: Relation)], translated: SelectTranslator.Translated, statement: GRDB.Statement) {
            self.lookups = lookups; self.translated = translated; self.statement = statement
        }
    }

    private var entries: [Select: Entry] = [:]
    static let limit = 128
    static let maxSQLBytes = 8 << 10

    /// How many statements are kept, and how many runs used a kept one.
    var count: Int { entries.count }
    private(set) var hits = 0

    /// The entry kept for `select`, if `provider` still gives the relations it was made with. Throws nothing: a lookup
    /// that fails now is left for the fresh translation to report.
    mutating func entry(for select: Select, provider: any RelationProvider) -> Entry? {
        guard let entry = entries[select] else { return nil }
        for (name, relation) in entry.lookups {
            guard let now = try? provider.relation(name), now == relation else { return nil }
        }
        hits += 1
        return entry
    }

    /// Whether a statement that ran with this translation and these lookups is worth keeping.
    static func keeps(_ translated: SelectTranslator.Translated, lookups: [(name: QualifiedName, relation: Relation)]) -> Bool {
        !lookups.isEmpty && translated.sql.utf8.count <= maxSQLBytes
    }

    mutating func keep(_ entry: Entry, for select: Select) {
        if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
        entries[select] = entry
    }
}

/// A provider that remembers what it was asked and answered, in order (``TranslationCache``).
final class RecordingProvider: RelationProvider {
    private let base: any RelationProvider
    private(set) var lookups: [(name: QualifiedName, relation: Relation)] = []

    init(_ base: any RelationProvider) { self.base = base }

    func relation(_ name: QualifiedName) throws(QueryError) -> Relation {
        let relation = try base.relation(name)
        lookups.append((name, relation))
        return relation
    }
}
