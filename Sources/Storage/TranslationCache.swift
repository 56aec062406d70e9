import SQLParser

/// A connection's recent SELECT translations over catalog tables (cached tables only), by statement: a repeated query
/// (a dashboard's, a pool's point lookups) skips ``SelectTranslator``. A translation depends only on the statement and
/// on the relations the provider gave for the names it looked up, so a kept one is used only after every one of those
/// names is looked up again and gives the same relation: the provider's privilege checks still run, and a table dropped,
/// recreated or altered since is translated afresh.
struct TranslationCache {
    private struct Entry {
        var lookups: [(name: QualifiedName, relation: Relation)]
        var translated: SelectTranslator.Translated
    }

    private var entries: [Select: Entry] = [:]
    static let limit = 128

    /// How many translations are kept.
    var count: Int { entries.count }

    /// The translation kept for `select`, if `provider` still gives the relations it was made with. Throws nothing: a
    /// lookup that fails now is left for the fresh translation to report.
    func translation(of select: Select, provider: any RelationProvider) -> SelectTranslator.Translated? {
        guard let entry = entries[select] else { return nil }
        for (name, relation) in entry.lookups {
            guard let now = try? provider.relation(name), now == relation else { return nil }
        }
        return entry.translated
    }

    mutating func keep(_ translated: SelectTranslator.Translated, of select: Select, lookups: [(name: QualifiedName, relation: Relation)]) {
        if entries.count >= Self.limit { entries.removeAll(keepingCapacity: true) }
        entries[select] = Entry(lookups: lookups, translated: translated)
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
