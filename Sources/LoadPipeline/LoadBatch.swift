import CatalogStore
import Expressions
import Foundation
import SQLParser
import TaskContract

/// A source row that was not loaded, and why: what the error log shows.
public struct RejectedRow: Codable, Equatable, Sendable {
    public var row: String
    public var reason: String
    public init(row: String, reason: String) { self.row = row; self.reason = reason }
}

/// The rows of one task, ready for a segment, and their accounting (reference §7.4):
/// total = loaded + filtered + unselected.
public struct LoadResult: Sendable {
    public var rows: [[Value]] = []
    /// `__op` per row for PRIMARY KEY tables (0 upsert, 1 delete); nil when the load gives none.
    public var ops: [Int64]?
    public var filteredRows = 0
    public var unselectedRows = 0
    /// The first rejected rows, up to the batch's sample limit.
    public var rejected: [RejectedRow] = []
    public var loadedRows: Int { rows.count }
    public var totalRows: Int { rows.count + filteredRows + unselectedRows }
}

/// Collects decoded source records of one task and turns them into table rows: COLUMNS mapping and
/// expressions, type conversion with strict mode, NOT NULL and defaults, then WHERE. Expressions run through an
/// ``ExpressionEvaluator`` (Storage's runs them on the query engine's function library, so loads and SELECT agree).
public final class LoadBatch {
    public let plan: LoadPlan
    private let evaluator: any ExpressionEvaluator
    private let sampleLimit: Int
    /// Decoded source records waiting for ``finish(now:)`` (tests fill it directly).
    var records: [[Value]] = []
    private var result = LoadResult()
    private let avro: AvroDecoder?
    /// Set when a message could not be decoded for a reason outside it (the schema registry down): the batch fails.
    private var sourceFailure: String?

    /// - Parameter avroSchemas: where an Avro load's writer schemas come from (required for `"format" = "avro"`).
    public init(plan: LoadPlan, evaluator: any ExpressionEvaluator, sampleLimit: Int = 100, avroSchemas: (any AvroSchemaSource)? = nil) {
        self.plan = plan; self.evaluator = evaluator; self.sampleLimit = sampleLimit
        avro = avroSchemas.map { AvroDecoder(source: $0, timeZone: DateTimeText.timeZone(named: plan.spec.timeZone)) }
    }

    public var recordCount: Int { records.count }

    private func reject(_ row: @autoclosure () -> String, _ reason: String) {
        result.filteredRows += 1
        if result.rejected.count < sampleLimit { result.rejected.append(RejectedRow(row: row(), reason: reason)) }
    }

    /// Decodes one Kafka message (several rows per message are allowed in both formats). A message that is not
    /// well-formed UTF-8 is rejected (StarRocks: "Invalid UTF-8 row"); in CSV only its rows that are not.
    public func add(_ message: UnsafeRawBufferPointer) {
        guard sourceFailure == nil else { return }
        switch plan.spec.format {
        case .csv: if UTF8Validation.isValid(message) { addCSV(message) } else { addInvalidCSV(message) }
        case .json:
            if UTF8Validation.isValid(message) { addJSON(message) } else {
                reject(String(decoding: message, as: UTF8.self), "Failed to parse json: The input is not valid UTF-8")
            }
        case .avro: addAvro(message)
        }
    }

    private func addAvro(_ message: UnsafeRawBufferPointer) {
        guard let avro else { sourceFailure = "an Avro load needs a schema registry"; return }
        do {
            if plan.jsonPaths == nil, plan.jsonRoot == nil {
                records.append(try avro.decodeRow(message, fieldNames: plan.fieldNames))
                return
            }
            var value = try avro.decode(message)
            if let root = plan.jsonRoot {
                guard let v = root.extract(from: value) else { reject(value.text, "JSON root not found: \(root.text)"); return }
                value = v
            }
            guard case .object = value else { reject(value.text, "the Avro value is not a record"); return }
            addObject(value)
        } catch {
            switch error {
            case .row(let reason): reject(Self.hexPreview(message), reason)
            case .source(let reason): sourceFailure = reason
            }
        }
    }

    /// How an undecodable binary message shows in the error log: its length and first bytes.
    static func hexPreview(_ message: UnsafeRawBufferPointer) -> String {
        let head = message.prefix(48).map { String(format: "%02x", $0) }.joined()
        return "<\(message.count) bytes: \(head)\(message.count > 48 ? "…" : "")>"
    }

    /// A CSV message with invalid UTF-8 somewhere: each row is checked on its own, so only the bad ones are rejected.
    private func addInvalidCSV(_ message: UnsafeRawBufferPointer) {
        let delimiter = plan.csv.delimiter
        var start = 0, i = 0
        func row(_ end: Int) {
            let bytes = UnsafeRawBufferPointer(rebasing: message[start..<end])
            if UTF8Validation.isValid(bytes) { addCSV(bytes) } else if !bytes.isEmpty { reject(String(decoding: bytes, as: UTF8.self), "Invalid UTF-8 row") }
        }
        while i < message.count {
            if !delimiter.isEmpty, i + delimiter.count <= message.count, message[i] == delimiter[0],
               (0..<delimiter.count).allSatisfy({ message[i + $0] == delimiter[$0] }) {
                row(i)
                i += delimiter.count
                start = i
            } else {
                i += 1
            }
        }
        row(message.count)
    }

    private func addCSV(_ message: UnsafeRawBufferPointer) {
        let width = plan.fieldNames.count
        plan.csv.read(message) { fields in
            guard fields.count == width else {
                reject(fields.map { $0 ?? "\\N" }.joined(separator: plan.spec.columnSeparator),
                       "Value count does not match column count. Expect \(width), but got \(fields.count).")
                return
            }
            records.append(fields.map { $0.map(Value.string) ?? .null })
        }
    }

    /// Whether flat objects take ``JSONRowScanner`` (tests turn it off to compare with the tree path).
    var fastPath = true
    /// Whether a record whose values already fit their columns is taken as the row (tests turn it off to compare with
    /// the conversion loop).
    var passThrough = true

    private func addJSON(_ message: UnsafeRawBufferPointer) {
        if fastPath, let scanner = plan.scanner, scanner.rows(message, into: &records) { return }
        let documents: [JSONValue]
        do { documents = try JSONParser.parseSequence(message) } catch {
            let text = String(decoding: message, as: UTF8.self)
            let first = text.first { !$0.isWhitespace }
            let reason = first == "{" || first == "[" ? "Failed to parse json: \(error.message)"
                                                       : "illegal json started with \(first.map(String.init) ?? "")"
            reject(text, reason)
            return
        }
        if documents.isEmpty {
            // An empty (or blank) message holds no document: an error row, so it is seen rather than skipped.
            reject(String(decoding: message, as: UTF8.self), "The input is empty: no JSON document in the message")
            return
        }
        for document in documents {
            var value = document
            if let root = plan.jsonRoot {
                guard let v = root.extract(from: document) else { reject(document.text, "JSON root not found: \(root.text)"); continue }
                value = v
            }
            switch value {
            case .object: addObject(value)
            case .array(let items):
                guard plan.spec.stripOuterArray else {
                    reject(value.text, "JSON data is an array, strip_outer_array must be set true")
                    continue
                }
                for item in items {
                    if case .object = item { addObject(item) } else { reject(item.text, "JSON array element is not an object") }
                }
            default:
                reject(value.text, "illegal json started with \(value.text.prefix(1))")
            }
        }
    }

    private func addObject(_ object: JSONValue) {
        var row = [Value](repeating: .null, count: plan.fieldNames.count)
        if let paths = plan.jsonPaths {
            for (i, path) in paths.prefix(row.count).enumerated() { row[i] = Self.value(path.extract(from: object)) }
        } else {
            for (i, name) in plan.fieldNames.enumerated() { row[i] = Self.value(object[name]) }
        }
        records.append(row)
    }

    static func value(_ json: JSONValue?) -> Value {
        switch json {
        case nil, .null?: return .null
        case .bool(let b)?: return .string(b ? "true" : "false")
        case .number(let n)?: return Int64(n).map(Value.int) ?? .string(n)
        case .string(let s)?: return .string(s)
        case let v?: return .string(v.text)
        }
    }

    /// The source record as the error log shows it.
    private func render(_ record: [Value]) -> String {
        switch plan.spec.format {
        case .csv: return record.map { $0.text ?? "\\N" }.joined(separator: plan.spec.columnSeparator)
        case .json, .avro:
            return "{" + zip(plan.fieldNames, record).map { name, v in
                let json: String
                switch v {
                case .null: json = "null"
                case .int, .double: json = v.text!
                default: json = JSONString.quoted(v.text ?? "")
                }
                return JSONString.quoted(name) + ":" + json
            }.joined(separator: ",") + "}"
        }
    }

    /// Maps, converts and filters every record collected since the last call, and starts over empty (a load
    /// may drain a batch several times while it reads). `now` is the time of column defaults.
    public func finish(now: Date = Date()) throws(LoadError) -> LoadResult {
        defer { records.removeAll(keepingCapacity: true); result = LoadResult() }
        if let sourceFailure { throw LoadError(sourceFailure) }
        let table = plan.spec.tableColumns
        let derivedValues = try evaluateDerived()
        guard plan.derived.isEmpty || derivedValues.count == records.count else {
            throw LoadError("the load's expressions returned \(derivedValues.count) rows for \(records.count) records")
        }
        var rows: [[Value]] = []
        var ops: [Int64] = []
        rows.reserveCapacity(records.count)
        let strict = plan.spec.strictMode
        // Per-column facts hoisted out of the row loop (this loop runs for every loaded row).
        let sources = plan.sources, types = table.map(\.type)
        let partial = plan.updateColumns != nil
        // Source fields in table order: a record is its own row, and the array is copied only if a conversion
        // changes a value (JSON numbers into BIGINT and strings into VARCHAR change nothing).
        let sameShape = plan.fieldNames.count == table.count && sources.enumerated().allSatisfy { $0.element == .field($0.offset) }
        let forms = sameShape ? types.map(StoredForm.init) : []
        func appendOp(_ r: Int, _ record: [Value]) {
            switch plan.opSource {
            case .field(let f): ops.append(record[f].integer ?? 0)
            case .derived(let d): ops.append(derivedValues[r][d].integer ?? 0)
            case .absent: break
            }
        }
        for (r, record) in records.enumerated() {
            // The usual row: every value already in its column's representation, so the record is the row.
            if sameShape, passThrough, Self.holds(record, forms) {
                rows.append(record)
                appendOp(r, record)
                continue
            }
            var row = sameShape ? record : [Value](repeating: .null, count: table.count)
            var failure: String?
            columns: for c in 0..<table.count {
                let raw: Value?
                switch sources[c] {
                case .field(let f): raw = record[f]
                case .derived(let d): raw = derivedValues[r][d]
                case .absent:
                    // A partial update leaves unnamed columns as stored; a new key gets their defaults (or NULL).
                    if partial { row[c] = (try? table[c].converted(nil, strict: false, now: now)) ?? .null; continue columns }
                    raw = nil
                }
                var v = Value.null
                // The common case, a given value of the column's type or convertible to it, without the column's rules;
                // anything else (a default, NULL, a value that does not convert) goes through them.
                if let raw, let converted = try? raw.converted(to: types[c]), converted != .null { v = converted } else {
                    do throws(ConversionError) { v = try table[c].converted(raw, strict: strict, now: now) } catch { failure = error.message; break columns }
                }
                if !sameShape || v != raw { row[c] = v }
            }
            if let failure { reject(render(record), failure); continue }
            rows.append(row)
            appendOp(r, record)
        }
        var keep = [Bool](repeating: true, count: rows.count)
        if let condition = plan.whereExpr, !rows.isEmpty {
            let truth = try run([condition], columns: table.map { ($0.name, $0.type, $0.nullable) }, rows: rows)
            for i in rows.indices { keep[i] = truth[i][0].integer.map { $0 != 0 } ?? false }
        }
        var out = result
        if keep.contains(false) {
            out.unselectedRows += keep.filter { !$0 }.count
            out.rows = zip(rows, keep).filter(\.1).map(\.0)
            if !ops.isEmpty { out.ops = zip(ops, keep).filter(\.1).map(\.0) }
        } else {
            out.rows = rows
            if !ops.isEmpty { out.ops = ops }
        }
        return out
    }

    /// Whether every value of a record is already what its column stores (see ``StoredForm``).
    private static func holds(_ record: [Value], _ forms: [StoredForm]) -> Bool {
        record.withUnsafeBufferPointer { values in
            forms.withUnsafeBufferPointer { forms in
                guard values.count == forms.count else { return false }
                for c in 0..<forms.count where !forms[c].holds(values[c]) { return false }
                return true
            }
        }
    }

    /// Evaluates COLUMNS expressions and WHERE once over an all-NULL row, so an unknown function or column
    /// is found when the task is planned rather than on every node.
    public static func check(_ plan: LoadPlan, evaluator: any ExpressionEvaluator) throws(LoadError) {
        guard !plan.derived.isEmpty || plan.whereExpr != nil else { return }
        let batch = LoadBatch(plan: plan, evaluator: evaluator)
        batch.records = [[Value](repeating: .null, count: plan.fieldNames.count)]
        _ = try batch.evaluateDerived()
        if let condition = plan.whereExpr {
            let table = plan.spec.tableColumns
            _ = try batch.run([condition], columns: table.map { ($0.name, $0.type, $0.nullable) },
                              rows: [[Value](repeating: .null, count: table.count)])
        }
    }

    /// The COLUMNS expressions for every record, one array per record.
    private func evaluateDerived() throws(LoadError) -> [[Value]] {
        guard !plan.derived.isEmpty, !records.isEmpty else { return [] }
        // Untyped source columns (SQLite: no affinity): values keep the type they were decoded with.
        return try run(plan.derived.map(\.expr), columns: plan.fieldNames.map { ($0, SQLType.null, true) }, rows: records)
    }

    private func run(_ exprs: [Expr], columns: [(name: String, type: SQLType, nullable: Bool)], rows: [[Value]]) throws(LoadError) -> [[Value]] {
        do {
            return try evaluator.evaluate(exprs, columns: columns, rows: rows, timeZone: DateTimeText.timeZone(named: plan.spec.timeZone))
        } catch {
            throw LoadError("failed to evaluate the load's expressions: \(error)")
        }
    }
}

/// The values a column stores unchanged: a value of this form needs none of the conversion rules (it is not NULL,
/// and `converted(to:)` would return it as it is), which is how most loaded values arrive.
struct StoredForm {
    private enum Form { case integer(ClosedRange<Int64>), floating, text(maxBytes: Int), other }
    private let form: Form

    init(_ type: SQLType) {
        if let range = type.integerRange { form = .integer(range); return }
        switch type {
        case .float, .double: form = .floating
        case .char(let n), .varchar(let n): form = .text(maxBytes: n)
        default: form = .other
        }
    }

    func holds(_ value: Value) -> Bool {
        switch (form, value) {
        case (.integer(let range), .int(let i)): return range.contains(i)
        case (.floating, .double): return true
        case (.text(let n), .string(let s)): return s.utf8.count <= n
        default: return false
        }
    }
}
